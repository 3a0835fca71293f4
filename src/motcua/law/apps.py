from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LawConfig(AppConfig):
    name = "motcua.law"
    verbose_name = _("Văn bản pháp luật áp dụng")
