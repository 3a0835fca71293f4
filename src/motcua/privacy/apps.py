from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "motcua.privacy"
    verbose_name = _("Bảo vệ dữ liệu cá nhân")
