from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "motcua.reports"
    verbose_name = _("Báo cáo, thống kê")

    def ready(self) -> None:
        from motcua.dossiers import observers

        from .store import batched, on_dossier_event

        observers.register(on_dossier_event, batch=batched)
