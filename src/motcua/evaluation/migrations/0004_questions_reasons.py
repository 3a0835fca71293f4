"""Seed the questions asked with a dossier's rating (Circular 01/2018/TT-VPCP
indicators 3 and 7) and the standard reasons for being unsatisfied
(``evaluation.voice_defaults``). Both are data: an administrator edits them,
or adds a question for a later period."""

from django.db import migrations


def forwards(apps, schema_editor):
    from motcua.evaluation.voice_defaults import install_defaults

    install_defaults(
        apps.get_model("evaluation", "RatingQuestion"),
        apps.get_model("evaluation", "UnhappyReason"),
    )


def backwards(apps, schema_editor):
    from motcua.evaluation.voice_defaults import FIRST_DAY, QUESTIONS, REASONS

    apps.get_model("evaluation", "RatingQuestion").objects.filter(
        code__in=[q["code"] for q in QUESTIONS], valid_from=FIRST_DAY
    ).delete()
    apps.get_model("evaluation", "UnhappyReason").objects.filter(
        code__in=[c for c, _ in REASONS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0003_kiosk_online_followups")]
    operations = [migrations.RunPython(forwards, backwards)]
