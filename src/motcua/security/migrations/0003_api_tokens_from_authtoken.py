"""Move the DRF authtoken keys (stored in clear, never expiring) into ApiToken:
their SHA-256 only, expiring ``MOTCUA_API_TOKEN_DAYS`` after this migration, so
integrations keep working until then; the clear keys are then deleted.
``rest_framework.authtoken`` is no longer installed: its table is read, when
present, with plain SQL."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from django.conf import settings
from django.db import migrations
from django.utils import timezone

LEGACY_TABLE = "authtoken_token"


def move_legacy_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if LEGACY_TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("security", "ApiToken")
    now = timezone.now()
    expires = now + timedelta(days=getattr(settings, "MOTCUA_API_TOKEN_DAYS", 90))
    table = connection.ops.quote_name(LEGACY_TABLE)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key, user_id, created FROM {table}")  # noqa: S608
        rows = cursor.fetchall()
    for key, user_id, created in rows:
        ApiToken.objects.get_or_create(
            key_hash=hashlib.sha256(key.encode()).hexdigest(),
            defaults={
                "user_id": user_id,
                "name": "Mã cũ (trước khi có khóa có hạn)",
                "prefix": key[:10],
                "created_at": (
                    created
                    if isinstance(created, datetime) and timezone.is_aware(created)
                    else now
                ),
                "expires_at": expires,
            },
        )
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608


class Migration(migrations.Migration):
    dependencies = [("security", "0002_api_token")]

    operations = [
        migrations.RunPython(move_legacy_tokens, migrations.RunPython.noop),
    ]
