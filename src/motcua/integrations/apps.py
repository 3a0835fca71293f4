from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "motcua.integrations"
    verbose_name = _("Hệ thống tích hợp")

    def ready(self) -> None:
        from motcua.notifications import scheduler

        from . import jobs

        scheduler.register("client_log_purge", jobs.purge_request_log, every="night")
