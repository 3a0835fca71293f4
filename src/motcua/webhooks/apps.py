from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "motcua.webhooks"
    verbose_name = _("Webhook cho hệ thống tích hợp")

    def ready(self) -> None:
        from motcua.dossiers import observers
        from motcua.notifications import channels
        from motcua.notifications.models import ChannelName

        from .delivery import WebhookChannel
        from .enqueue import on_dossier_event

        # Bulk work is quiet through the notifications' batch (outbox.replaying).
        observers.register(on_dossier_event)
        channels.register(ChannelName.WEBHOOK, WebhookChannel)
