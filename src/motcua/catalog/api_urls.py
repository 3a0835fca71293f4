from django.urls import path

from . import api

urlpatterns = [
    path("", api.ProcedureListView.as_view(), name="api-procedures"),
    path("<str:code>/", api.ProcedureDetailView.as_view(), name="api-procedure-detail"),
]
