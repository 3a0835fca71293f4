from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "motcua.feedback"
    verbose_name = _("Phản ánh, kiến nghị")

    def ready(self) -> None:
        from motcua.notifications import texts

        from .notify import VARIABLES

        for key, names in VARIABLES.items():
            texts.register(key, names)
