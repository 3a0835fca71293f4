from django.urls import path

from . import api

urlpatterns = [
    path("", api.AgencyListView.as_view(), name="api-agencies"),
    path("<str:code>/", api.AgencyDetailView.as_view(), name="api-agency"),
]
