from django.urls import path

from . import views

app_name = "calendar"
urlpatterns = [
    path("", views.calendar_page, name="year"),
    path("tinh-han/", views.due_page, name="due"),
]
