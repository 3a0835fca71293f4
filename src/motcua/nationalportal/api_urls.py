from django.urls import path  # noqa: F401  (the sync endpoints, if any, are added here)

app_name = "nationalportal_api"
urlpatterns: list = []
