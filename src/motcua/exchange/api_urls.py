"""Liên thông between systems (issue 14 item 3): a dossier step handled by an
agency on another MotCua deployment, or any system speaking the documented
exchange protocol (docs/exchange.md) — signed requests, idempotency, retries."""

from django.urls import path

from . import api

app_name = "exchange_api"
urlpatterns = [
    path("transfers/", api.TransferView.as_view(), name="transfers"),
    path(
        "transfers/<uuid:transfer_id>/updates/",
        api.UpdateView.as_view(),
        name="updates",
    ),
    path(
        "transfers/<uuid:transfer_id>/cancel/",
        api.CancelView.as_view(),
        name="cancel",
    ),
]
