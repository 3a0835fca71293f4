from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "motcua.payments"
    verbose_name = _("Thanh toán trực tuyến")

    def ready(self) -> None:
        from motcua.notifications import scheduler

        from . import jobs, vnpay  # noqa: F401  (vnpay registers the provider)

        scheduler.register(
            "payments_reconcile", jobs.reconcile, every="watch", own_transactions=True
        )
