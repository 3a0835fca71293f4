"""Back-office pages of the feedback box, mounted at ``/can-bo/phan-anh/``."""

from django.urls import URLPattern, URLResolver, path

from . import staff_views as views

app_name = "feedback_staff"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.item_list, name="list"),
    path("hom-thu/", views.box_entry, name="box_entry"),
    path("<int:pk>/", views.item_detail, name="detail"),
    path("<int:pk>/phan-cong/", views.assign, name="assign"),
    path("<int:pk>/tra-loi/", views.answer, name="answer"),
    path("<int:pk>/cong-khai/", views.publish, name="publish"),
    path("<int:pk>/thoi-cong-khai/", views.unpublish, name="unpublish"),
    path("<int:pk>/tep/<int:file_id>/", views.attachment, name="attachment"),
]
