"""Online submission pages (issue 12 item 3), mounted at ``/nop-ho-so/``.

The route name ``online:submit`` (argument: the procedure's code) is what the
public catalogue links to. ``ban-nhap/``: the citizen's drafts; ``ho-tro/``:
the desk submitting for a citizen it helps (reception role). Every page
shows personal data: never stored by a browser or proxy cache.
"""

from django.urls import URLPattern, URLResolver, path
from django.views.decorators.cache import never_cache

from . import helped, views

app_name = "online"
urlpatterns: list[URLPattern | URLResolver] = [
    path("ban-nhap/", never_cache(views.drafts), name="drafts"),
    path("ban-nhap/<int:draft_id>/", never_cache(views.edit), name="edit"),
    path("ban-nhap/<int:draft_id>/xem-lai/", never_cache(views.review), name="review"),
    path("ban-nhap/<int:draft_id>/nop/", never_cache(views.send), name="send"),
    path("ban-nhap/<int:draft_id>/xoa/", never_cache(views.delete), name="delete"),
    path("ho-tro/", never_cache(helped.drafts), name="helped_drafts"),
    path(
        "ho-tro/ban-nhap/<int:draft_id>/", never_cache(helped.edit), name="helped_edit"
    ),
    path(
        "ho-tro/ban-nhap/<int:draft_id>/xem-lai/",
        never_cache(helped.review),
        name="helped_review",
    ),
    path(
        "ho-tro/ban-nhap/<int:draft_id>/nop/",
        never_cache(helped.send),
        name="helped_send",
    ),
    path(
        "ho-tro/ban-nhap/<int:draft_id>/xoa/",
        never_cache(helped.delete),
        name="helped_delete",
    ),
    path("ho-tro/<str:code>/", never_cache(helped.start), name="helped_start"),
    path("<str:code>/", never_cache(views.submit), name="submit"),
]
