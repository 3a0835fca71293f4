"""Set the tree path of agencies saved before paths were kept (e.g. by an
earlier ``load_demo``). Same rule as ``services.agency_rebuild_paths``."""

from django.db import migrations


def backfill_paths(apps, schema_editor):
    Agency = apps.get_model("agencies", "Agency")
    agencies = {a.pk: a for a in Agency.objects.all()}
    changed = []
    for agency in agencies.values():
        ids = [agency.pk]
        parent_id = agency.parent_id
        while parent_id is not None and parent_id not in ids:
            ids.append(parent_id)
            parent_id = agencies[parent_id].parent_id
        path = "/" + "".join(f"{pk}/" for pk in reversed(ids))
        if agency.path != path:
            agency.path = path
            changed.append(agency)
    Agency.objects.bulk_update(changed, ["path"])


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0003_counter_fields_membership_agency_membership_fields_and_more")
    ]

    operations = [migrations.RunPython(backfill_paths, migrations.RunPython.noop)]
