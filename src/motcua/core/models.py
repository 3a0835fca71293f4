"""The configuration stamp (ADR 0032): one row whose value the database itself
changes, by trigger, whenever a table of the configuration changes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ConfigStamp(models.Model):
    """Never written by the application: the triggers installed after every
    migration (:mod:`motcua.core.configstamp`) give it a value no earlier change
    had, a sequence's next number on PostgreSQL, a random 64-bit one on SQLite."""

    id = models.PositiveSmallIntegerField(primary_key=True)
    value = models.BigIntegerField()

    class Meta:
        verbose_name = _("dấu thay đổi cấu hình")

    def __str__(self) -> str:
        return str(self.value)
