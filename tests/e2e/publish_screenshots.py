"""Copy the e2e screenshots the officers' guide shows into docs/img/.

    .venv/bin/pytest tests/e2e            # makes test-artifacts/screenshots/
    .venv/bin/python -m tests.e2e.publish_screenshots

A page taller than ``MAX_HEIGHT`` is cut to its top (the guide shows where
things are, not every row), and an image over ``MAX_BYTES`` is reduced to a
256-colour palette so the repository stays small.
"""

from __future__ import annotations

import io
import sys

from PIL import Image

from .helpers import REPO, SCREENSHOTS

# screenshot name -> file name the guide uses
GUIDE = {
    "login": "login.png",
    "totp": "totp.png",
    "staff-home": "staff-home.png",
    "desk": "desk.png",
    "desk-search": "desk-search.png",
    "desk-done": "desk-done.png",
    "desk-phone": "desk-phone.png",
    "queue": "queue.png",
    "dossier": "dossier.png",
    "extend": "extend.png",
    "leader": "leader.png",
    "returns": "returns.png",
    # the citizens' guide (phone, 360 px) and the kiosk
    "catalogue-search-360": "citizen-catalogue-search.png",
    "catalogue-procedure-360": "citizen-procedure.png",
    "citizen-sign-in-360": "citizen-sign-in.png",
    "citizen-dossiers-360": "citizen-dossiers.png",
    "online-01-form": "citizen-online-form.png",
    "online-02-review": "citizen-online-review.png",
    "online-03-tracking": "citizen-online-tracking.png",
    "citizen-tracking-supplement": "citizen-tracking-supplement.png",
    "citizen-supplement": "citizen-supplement.png",
    "citizen-tracking-result": "citizen-tracking-result.png",
    "citizen-verify-result": "citizen-verify.png",
    "payment-page-phone": "citizen-payment.png",
    "payment-result-phone": "citizen-payment-result.png",
    "feedback-sent-phone": "citizen-feedback-sent.png",
    "feedback-lookup-phone": "citizen-feedback-lookup.png",
    "rating-phone": "citizen-rating.png",
    "kiosk-tablet": "kiosk-tablet.png",
    "kiosk-offline": "kiosk-offline.png",
    "kiosk-dossier": "kiosk-dossier.png",
    "followup-answered": "followup-answered.png",
    "feedback-staff-detail": "feedback-staff-detail.png",
    "human-touches-home-return": "home-return.png",
    "human-touches-dossier": "home-return-dossier.png",
    "citizen-transparency": "citizen-transparency.png",
}
MAX_BYTES = 300 * 1024
MAX_HEIGHT = 2400


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def publish(name: str, target: str) -> int:
    image = Image.open(SCREENSHOTS / f"{name}.png").convert("RGB")
    if image.height > MAX_HEIGHT:
        image = image.crop((0, 0, image.width, MAX_HEIGHT))
    data = _png(image)
    if len(data) > MAX_BYTES:
        data = _png(image.quantize(colors=256, method=Image.Quantize.MEDIANCUT))
    if len(data) > MAX_BYTES:
        raise SystemExit(f"{name}: still {len(data) // 1024} KB after reduction")
    (REPO / "docs" / "img" / target).write_bytes(data)
    return len(data)


def main() -> int:
    missing = [n for n in GUIDE if not (SCREENSHOTS / f"{n}.png").exists()]
    if missing:
        print("run the e2e tests first; missing:", ", ".join(missing))
        return 1
    for name, target in GUIDE.items():
        print(f"docs/img/{target}: {publish(name, target) // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
