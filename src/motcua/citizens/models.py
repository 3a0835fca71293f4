"""Citizen accounts (issue 12 item 2) and the dossiers a citizen submitted.

A citizen is a user with a :class:`Citizen` row and no staff role. The identity
comes from the provider that verified it: the VNeID-style OpenID Connect
provider (identity number, full name, birth date and phone from its claims) or
a local account whose phone or e-mail was verified by a one-time code.

:class:`CitizenDossier` ties a dossier to the citizen who submitted it online
(or for whom a desk officer submitted it); "Hồ sơ của tôi" lists these rows, in
every agency, and nothing else.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Citizen(models.Model):
    class VerifiedBy(models.TextChoices):
        VNEID = "vneid", _("Định danh điện tử (VNeID)")
        PHONE = "phone", _("Mã xác thực gửi qua điện thoại")
        EMAIL = "email", _("Mã xác thực gửi qua thư điện tử")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="citizen"
    )
    verified_by = models.CharField(
        _("xác thực bằng"), max_length=16, choices=VerifiedBy.choices
    )
    # Personal identification number (số định danh cá nhân, 12 digits) as the
    # identity provider asserted it; empty for a local account.
    identity_number = models.CharField(
        _("số định danh cá nhân"), max_length=12, blank=True, db_index=True
    )
    full_name = models.CharField(_("họ tên"), max_length=255, blank=True)
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=32, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("công dân")
        verbose_name_plural = _("công dân")

    def __str__(self) -> str:
        return self.full_name or str(self.pk)


class CitizenDossier(models.Model):
    class Via(models.TextChoices):
        ONLINE = "online", _("Công dân tự nộp trực tuyến")
        HELPED = "helped", _("Cán bộ hướng dẫn nộp thay")

    citizen = models.ForeignKey(
        Citizen, on_delete=models.PROTECT, related_name="dossier_links"
    )
    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="citizen_link"
    )
    via = models.CharField(max_length=16, choices=Via.choices, default=Via.ONLINE)
    # The desk officer who submitted for the citizen ("tổ hướng dẫn nộp hồ sơ
    # trực tuyến"), when one did.
    helped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hồ sơ của công dân")
        verbose_name_plural = _("hồ sơ của công dân")
        indexes = [models.Index(fields=["citizen", "-id"], name="citizen_dossiers")]

    def __str__(self) -> str:
        return f"{self.citizen_id} → {self.dossier_id}"


class SignInCode(models.Model):
    """A one-time code sent to a phone or e-mail address (the local account).

    Neither the code nor the address is kept in clear: ``address_key`` and
    ``code_hash`` are HMACs under the secret key (:mod:`motcua.citizens.codes`).
    Only the newest code of an address is valid; it expires and allows a few
    tries. ``message`` is the outbox row that carries it, whose variables are
    erased once the code is used, replaced or expired."""

    class Channel(models.TextChoices):
        PHONE = "phone", _("Điện thoại")
        EMAIL = "email", _("Thư điện tử")

    channel = models.CharField(max_length=8, choices=Channel.choices)
    address_key = models.CharField(max_length=64, db_index=True)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    tries = models.PositiveSmallIntegerField(default=0)
    # set when the code was used, replaced by a newer one or tried too often
    spent_at = models.DateTimeField(null=True, blank=True)
    message = models.ForeignKey(
        "notifications.Message",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("mã xác thực một lần")
        verbose_name_plural = _("mã xác thực một lần")
        indexes = [models.Index(fields=["address_key", "-id"], name="signin_code_addr")]

    def __str__(self) -> str:
        return f"{self.channel} #{self.pk}"
