from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "motcua.notifications"
    verbose_name = _("Tin nhắn gửi người dân")

    def ready(self) -> None:
        from motcua.dossiers import observers

        from .outbox import on_dossier_event, quiet_batch

        observers.register(on_dossier_event, batch=quiet_batch)
