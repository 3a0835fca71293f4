from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SlipsConfig(AppConfig):
    name = "motcua.slips"
    verbose_name = _("Phiếu, biểu mẫu")
