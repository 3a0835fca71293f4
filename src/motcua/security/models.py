"""Security state that must survive cache culling and be shared by every web
process: attempt counters for sign-in, tokens and tracking look-ups."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AttemptCounter(models.Model):
    """Failed attempts of one kind (``scope``) by one client, account or code.

    ``key`` is a keyed hash of what is counted (an address, a user name, a
    dossier code): the table holds no personal data and cannot be read back."""

    scope = models.CharField(max_length=32)
    key = models.CharField(max_length=64)
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    blocked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("bộ đếm lần thử sai")
        verbose_name_plural = _("bộ đếm lần thử sai")
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "key"], name="attempt_counter_unique"
            )
        ]
        indexes = [models.Index(fields=["last_failure_at"], name="attempt_last")]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key[:8]} ({self.failures})"
