"""Run N parallel receptions against a SQLite *file* database and print the codes.

Used by test_concurrency.py in a subprocess: the suite's own SQLite database is
in memory, which cannot show how WAL + BEGIN IMMEDIATE behave with real writers.
Usage: python -m tests.dossiers.sqlite_receptions N   (DATABASE_URL set by caller)
"""

import json
import os
import sys
import threading

import django


def main(n: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.config.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from motcua.core import clock
    from motcua.dossiers import services

    from .builders import build_world, vn

    call_command("migrate", verbosity=0)
    world = build_world()
    connection.close()
    barrier = threading.Barrier(n)
    codes: list[str] = []
    errors: list[str] = []

    def receive() -> None:
        try:
            barrier.wait(timeout=30)
            with clock.frozen_at(vn(2025, 6, 2)):
                dossier = services.dossier_receive(world.reception, data=world.input())
            codes.append(dossier.code)
        except Exception as exc:  # reported to the test as data
            errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            connection.close()

    threads = [threading.Thread(target=receive) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    print(json.dumps({"codes": codes, "errors": errors}))


if __name__ == "__main__":
    main(int(sys.argv[1]))
