"""Steps of the backup/restore test, run in a process of their own against a
real database (``DATABASE_URL``): ``python -m tests.privacy.restore_scenario
STEP [STEP...]`` with steps ``migrate``, ``make``, ``backup=PATH``, ``change``
and ``state`` (prints the row count of every table, the history chains — every
event's hash — and the verification, as JSON). Several steps share one process:
starting Django is the slow part."""

from __future__ import annotations

import io
import json
import os
import sys


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.config.settings")
    import django

    django.setup()


def make() -> None:
    from django.conf import settings

    from tests.dossiers.builders import build_world, vn
    from tests.reports.histories import play

    world = build_world()
    play(world, vn(2026, 3, 2), "direct", [(1, "assign"), (24, "finish")])
    play(world, vn(2026, 3, 3), "desk_refused", [])
    play(world, vn(2026, 3, 4), "direct", [(1, "assign")])
    media = settings.MEDIA_ROOT
    os.makedirs(media / "ho-so", exist_ok=True)
    (media / "ho-so" / "scan.pdf").write_bytes(b"%PDF-1.7\n%%EOF\n")


def change() -> None:
    """What a bad day does: new rows, a deleted one, a tampered date, a lost
    file."""
    from django.conf import settings
    from django.db import connection

    from motcua.agencies.models import Agency
    from motcua.dossiers.models import Dossier, Event

    Agency.objects.create(code="999.99.99.H99", name="Thêm sau sao lưu", level="other")
    last = Event.objects.order_by("-id").first()
    assert last is not None
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM dossiers_event WHERE id = %s", [last.pk])
        cursor.execute("UPDATE dossiers_event SET at = %s", ["2020-01-01 00:00:00"])
    Dossier.objects.filter(pk=last.dossier_id).update(status="returned")
    (settings.MEDIA_ROOT / "ho-so" / "scan.pdf").unlink()


def state() -> None:
    from django.conf import settings

    from motcua.dossiers.history import verify_all
    from motcua.dossiers.models import Event
    from motcua.privacy.backups import table_counts

    checked, problems = verify_all()
    chains = [
        [code, seq, digest]
        for code, seq, digest in Event.objects.order_by(
            "dossier_id", "seq"
        ).values_list("dossier__code", "seq", "hash")
    ]
    scan = settings.MEDIA_ROOT / "ho-so" / "scan.pdf"
    print(
        json.dumps(
            {
                "counts": table_counts(),
                "chains": chains,
                "verified": [checked, len(problems)],
                "scan": scan.read_bytes().decode() if scan.exists() else None,
            }
        )
    )


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def backup(path: str) -> None:
    from django.core.management import call_command

    call_command("backup", "--output", path, stdout=io.StringIO())


if __name__ == "__main__":
    _setup()
    steps = {"migrate": migrate, "make": make, "change": change, "state": state}
    for step in sys.argv[1:]:
        name, _, argument = step.partition("=")
        if name == "backup":
            backup(argument)
        else:
            steps[name]()
