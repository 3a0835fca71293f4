"""Install the first definition of the 766 index (data/index766-v1.json)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from motcua.evaluation.definitions import install_definition, read_definition

    install_definition(
        apps.get_model("evaluation", "IndexGroup"),
        apps.get_model("evaluation", "IndexIndicator"),
        read_definition(),
    )


def backwards(apps, schema_editor):
    apps.get_model("evaluation", "IndexGroup").objects.filter(
        version="766-2022-v1"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
