from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "motcua.integrations"
    verbose_name = _("Hệ thống tích hợp")
