from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NationalPortalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "motcua.nationalportal"
    verbose_name = _("Đồng bộ Cổng dịch vụ công quốc gia")
