from django.urls import path  # noqa: F401  (the exchange endpoints are added here)

app_name = "exchange_api"
urlpatterns: list = []
