from django.urls import path

from . import api

urlpatterns = [
    path("due", api.DueView.as_view(), name="api-calendar-due"),
    path("days", api.DaysView.as_view(), name="api-calendar-days"),
]
