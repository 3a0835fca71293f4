"""Applicant rows per dossier (3/3): every applicant has its agency, and a row
belongs to exactly one dossier (a unique link, checked by the database)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0004_backfill_paths"),
        ("dossiers", "0005_applicant_per_dossier_split"),
    ]

    operations = [
        migrations.AlterField(
            model_name="applicant",
            name="agency",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="agencies.agency",
                verbose_name="cơ quan",
            ),
        ),
        migrations.AlterField(
            model_name="dossier",
            name="applicant",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="dossier",
                to="dossiers.applicant",
                verbose_name="người nộp",
            ),
        ),
    ]
