"""Applicant rows per dossier (2/3): split the shared rows and seal histories.

Until now a returning applicant's row (same ID number) was shared by all their
dossiers, in every agency, and overwritten by each new reception. From now on
each dossier keeps the applicant as received, in a row of its own agency.

1. Split: the oldest dossier of a shared row keeps it; every other dossier gets
   a copy with the same values (and the same ``created_at``). No dossier loses
   data. The values are the row's current ones: the events never recorded the
   applicant, so details overwritten before this migration cannot be recovered.
   Rows that no dossier refers to (none are expected) are deleted.
2. Fill: the dossier's agency; the ID document type guessed from the number's
   format (12 digits CCCD, 9 digits CMND, a tax code, a passport number, else
   "other" — older data is kept, not refused); a fresh fingerprint salt.
3. Seal: each dossier with a history gets one system event ``seal`` (no actor,
   status unchanged) whose snapshot is the *previous last event's* snapshot plus
   the applicant's fingerprint. So the chain stays valid and now covers the
   applicant, and anything already wrong before this migration (a broken link,
   a date edited behind the history's back) is still reported by
   ``verify_history``, not whitewashed.

One pass over the dossiers in id order, in batches of 500 (one bulk update of
the applicants and one bulk insert of the seals per batch).
Irreversible in substance: going back leaves the rows split and the seals in
the (append-only) history.
"""

import json
import secrets

from django.db import migrations
from django.db.models import Count

from motcua.core import clock
from motcua.dossiers.applicants import guess_id_kind
from motcua.dossiers.history import _canonical, applicant_fingerprint, event_hash

BATCH = 500
SEAL_REASON = (
    "Niêm phong thông tin người nộp hồ sơ khi chuyển sang lưu người nộp riêng "
    "cho từng hồ sơ."
)


def _copy(applicant, model):
    fields = {
        f.attname: getattr(applicant, f.attname)
        for f in model._meta.concrete_fields
        if not f.primary_key
    }
    copy = model.objects.create(**fields)
    model.objects.filter(pk=copy.pk).update(created_at=applicant.created_at)
    return copy


def _seal(dossier, last, event_model, now):
    recorded = dict((last.payload or {}).get("snapshot") or {})
    recorded["applicant"] = applicant_fingerprint(dossier)
    event = event_model(
        dossier_id=dossier.pk,
        agency_id=dossier.agency_id,
        seq=last.seq + 1,
        action="seal",
        actor=None,
        actor_name="",
        at=now,
        from_status=dossier.status,
        to_status=dossier.status,
        step_id=None,
        reason=SEAL_REASON,
        payload=json.loads(_canonical({"snapshot": recorded})),
        prev_hash=last.hash,
    )
    event.hash = event_hash(event, dossier.code)
    return event


def _last_events(event_model, dossier_ids):
    last = {}
    for event in event_model.objects.filter(dossier_id__in=dossier_ids).order_by(
        "dossier_id", "seq"
    ):
        last[event.dossier_id] = event
    return last


def split_and_seal(apps, schema_editor):
    Applicant = apps.get_model("dossiers", "Applicant")
    Dossier = apps.get_model("dossiers", "Dossier")
    Event = apps.get_model("dossiers", "Event")
    shared = set(
        Dossier.objects.values("applicant_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("applicant_id", flat=True)
    )
    claimed = set()
    now = clock.now()
    last_id = 0
    while True:
        chunk = list(
            Dossier.objects.filter(id__gt=last_id)
            .select_related("applicant")
            .order_by("id")[:BATCH]
        )
        if not chunk:
            break
        last_id = chunk[-1].pk
        last_events = _last_events(Event, [d.pk for d in chunk])
        applicants, seals = [], []
        for dossier in chunk:
            applicant = dossier.applicant
            if applicant.pk in shared:
                if applicant.pk in claimed:
                    applicant = _copy(applicant, Applicant)
                    dossier.applicant = applicant
                    Dossier.objects.filter(pk=dossier.pk).update(
                        applicant_id=applicant.pk
                    )
                else:
                    claimed.add(applicant.pk)
            applicant.agency_id = dossier.agency_id
            applicant.id_kind = (
                guess_id_kind(applicant.id_number) if applicant.id_number else ""
            )
            applicant.fingerprint_salt = secrets.token_hex(16)
            applicants.append(applicant)
            if dossier.pk in last_events:
                seals.append(_seal(dossier, last_events[dossier.pk], Event, now))
        Applicant.objects.bulk_update(
            applicants, ["agency", "id_kind", "fingerprint_salt"]
        )
        Event.objects.bulk_create(seals)
    Applicant.objects.filter(dossier__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0004_applicant_per_dossier_fields")]

    operations = [migrations.RunPython(split_and_seal, migrations.RunPython.noop)]
