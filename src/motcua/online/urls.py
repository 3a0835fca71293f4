"""Online submission pages (issue 12 item 3), mounted at ``/nop-ho-so/``.

The route name ``online:submit`` (argument: the procedure's code) is what the
public catalogue links to. ``ban-nhap/``: the citizen's drafts; ``ho-tro/``:
the desk submitting for a citizen it helps (reception role).
"""

from django.urls import URLPattern, URLResolver, path

from . import helped, views

app_name = "online"
urlpatterns: list[URLPattern | URLResolver] = [
    path("ban-nhap/", views.drafts, name="drafts"),
    path("ban-nhap/<int:draft_id>/", views.edit, name="edit"),
    path("ban-nhap/<int:draft_id>/xem-lai/", views.review, name="review"),
    path("ban-nhap/<int:draft_id>/nop/", views.send, name="send"),
    path("ban-nhap/<int:draft_id>/xoa/", views.delete, name="delete"),
    path("ho-tro/", helped.drafts, name="helped_drafts"),
    path("ho-tro/ban-nhap/<int:draft_id>/", helped.edit, name="helped_edit"),
    path(
        "ho-tro/ban-nhap/<int:draft_id>/xem-lai/", helped.review, name="helped_review"
    ),
    path("ho-tro/ban-nhap/<int:draft_id>/nop/", helped.send, name="helped_send"),
    path("ho-tro/ban-nhap/<int:draft_id>/xoa/", helped.delete, name="helped_delete"),
    path("ho-tro/<str:code>/", helped.start, name="helped_start"),
    path("<str:code>/", views.submit, name="submit"),
]
