from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "motcua.exchange"
    verbose_name = _("Liên thông giữa các hệ thống")
