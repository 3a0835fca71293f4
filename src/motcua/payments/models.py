"""Payment orders: one try of a citizen to pay a dossier's fees online.

A dossier may have several orders (a failed or cancelled try, then a new one);
at most one of them is applied to the dossier. An order keeps the gateway's
callback fields that name no one (``callback``), never the payer's name, card
or account.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PaymentOrder(models.Model):
    class State(models.TextChoices):
        CREATED = "created", _("Mới tạo")
        PENDING = "pending", _("Đang chờ cổng thanh toán")
        PAID = "paid", _("Đã thanh toán")
        FAILED = "failed", _("Không thành công")
        CANCELLED = "cancelled", _("Đã hủy")

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="payment_orders"
    )
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="+"
    )
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    provider = models.CharField(_("cổng thanh toán"), max_length=32)
    reference = models.CharField(_("mã đơn thanh toán"), max_length=32, unique=True)
    state = models.CharField(
        _("trạng thái"), max_length=16, choices=State.choices, default=State.CREATED
    )
    transaction_no = models.CharField(
        _("mã giao dịch tại cổng"), max_length=64, blank=True
    )
    bank_code = models.CharField(_("ngân hàng"), max_length=32, blank=True)
    response_code = models.CharField(max_length=8, blank=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    paid_at = models.DateTimeField(null=True, blank=True)
    settled_at = models.DateTimeField(null=True, blank=True)
    # Whether the payment was recorded on the dossier; when not, why (the
    # dossier no longer waited, the fee asked changed): the desk reconciles.
    applied = models.BooleanField(default=False)
    problem = models.CharField(max_length=32, blank=True)
    callback = models.JSONField(default=dict, blank=True)
    # Times the citizen was sent to the gateway with this order (a double
    # click or the back button reuses an open order rather than making one).
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("đơn thanh toán trực tuyến")
        verbose_name_plural = _("đơn thanh toán trực tuyến")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["dossier", "state"], name="payorder_dossier_state"),
            models.Index(fields=["agency", "created_at"], name="payorder_agency_at"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "transaction_no"],
                condition=~models.Q(transaction_no=""),
                name="payorder_one_order_per_transaction",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def settled(self) -> bool:
        return self.state in FINAL


FINAL = frozenset(
    {
        PaymentOrder.State.PAID,
        PaymentOrder.State.FAILED,
        PaymentOrder.State.CANCELLED,
    }
)
