from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "motcua.core"
    verbose_name = _("Lõi hệ thống")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import schema  # noqa: F401  (registers the OpenAPI extension)
        from .configstamp import after_migrate

        # every migrate (re)installs the configuration stamp's triggers (ADR 0032)
        post_migrate.connect(
            after_migrate, sender=self, dispatch_uid="motcua.core.configstamp"
        )
