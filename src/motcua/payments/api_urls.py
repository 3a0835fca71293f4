from django.urls import path

from . import api

app_name = "payments_api"
urlpatterns = [
    path("ipn/<str:provider>/", api.IpnView.as_view(), name="ipn"),
    path("<str:token>/", api.StatusView.as_view(), name="status"),
]
