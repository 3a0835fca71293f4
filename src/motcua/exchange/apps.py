from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "motcua.exchange"
    verbose_name = _("Liên thông giữa các hệ thống")

    def ready(self) -> None:
        from motcua.dossiers import observers, permissions
        from motcua.notifications import channels, scheduler
        from motcua.notifications.models import ChannelName

        from . import jobs
        from .channel import ExchangeChannel
        from .outbound import on_dossier_event

        # Bulk work is quiet through the notifications' batch (outbox.replaying).
        observers.register(on_dossier_event)
        # A peer's technical account is never a step's assignee.
        permissions.register_technical_link("exchange_peer")
        channels.register(ChannelName.EXCHANGE, ExchangeChannel)
        scheduler.register(
            "exchange_keys_purge", jobs.purge_received_requests, every="night"
        )
