"""Wait until an address answers, then say after how long.

    python tools/wait-http.py URL [--timeout SECONDS] [--label TEXT]

Asks ``URL`` (127.0.0.1 in practice) every 0.2 s until it answers with a status
below 500, then prints ``LABEL URL: SECONDS giây``; exit status 1 after
``--timeout`` seconds without an answer (``make demo`` goes on all the same)."""

from __future__ import annotations

import argparse
import sys
import time
import urllib.error
import urllib.request


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--timeout", type=float, default=180)
    parser.add_argument("--label", default="demo: trang đầu tiên")
    args = parser.parse_args()
    started = time.monotonic()
    while time.monotonic() - started < args.timeout:
        try:
            with urllib.request.urlopen(args.url, timeout=10) as answer:
                status = answer.status
        except urllib.error.HTTPError as error:
            status = error.code
        except OSError:
            status = 0
        if 0 < status < 500:
            seconds = time.monotonic() - started
            print(f"{args.label} {args.url} ({status}): {seconds:.1f} giây", flush=True)
            return 0
        time.sleep(0.2)
    print(f"{args.label} {args.url}: chưa trả lời sau {args.timeout:.0f} giây")
    return 1


if __name__ == "__main__":
    sys.exit(main())
