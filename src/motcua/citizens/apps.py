from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CitizensConfig(AppConfig):
    name = "motcua.citizens"
    verbose_name = _("Tài khoản công dân")

    def ready(self) -> None:
        from motcua.notifications import texts

        # the one-time code: sent at any hour, erased once sent (texts.SECRET)
        texts.register("citizen_code", {"code", "minutes"}, secret=True)
