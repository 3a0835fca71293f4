from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NationalPortalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "motcua.nationalportal"
    verbose_name = _("Đồng bộ Cổng dịch vụ công quốc gia")

    def ready(self) -> None:
        from motcua.dossiers import observers
        from motcua.notifications import channels, scheduler
        from motcua.notifications.models import ChannelName

        from .delivery import PortalChannel
        from .services import catch_up, on_dossier_event

        # Bulk work is quiet through the notifications' batch (outbox.replaying).
        observers.register(on_dossier_event)
        channels.register(ChannelName.DVCQG, PortalChannel)
        scheduler.register(
            "nationalportal_catch_up", catch_up, every="night", own_transactions=True
        )
