"""The stored search values without punctuation ("nhan cha, me, con" → "nhan
cha me con"), so that a word next to a comma is found as a word. Recomputed
for every version and alias; two aliases of a procedure that now read the same
are kept once."""

import re

from django.db import migrations

from motcua.core.text import fold

_SEPARATORS = re.compile(r"[^\w.]+|(?<!\d)\.|\.(?!\d)")


def plain(text):
    return " ".join(_SEPARATORS.sub(" ", fold(text)).split())


def recompute(apps, schema_editor):
    ProcedureVersion = apps.get_model("catalog", "ProcedureVersion")
    SearchAlias = apps.get_model("catalog", "SearchAlias")
    versions = ProcedureVersion.objects.select_related("procedure__field")
    for version in versions.iterator():
        procedure = version.procedure
        words = [procedure.code, version.name, *(version.aliases or [])]
        ProcedureVersion.objects.filter(pk=version.pk).update(
            search_text=plain(" ".join([*words, procedure.field.name])),
            search_name=plain(version.name),
        )
    seen = set()
    for alias in SearchAlias.objects.order_by("pk").iterator():
        folded = plain(alias.phrase)[:255]
        key = (alias.procedure_code, folded)
        if not folded or key in seen:
            alias.delete()
            continue
        seen.add(key)
        if folded != alias.folded:
            SearchAlias.objects.filter(pk=alias.pk).update(folded=folded)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0006_blank_form_types")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
