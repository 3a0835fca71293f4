"""Online submission pages (issue 12 item 3), mounted at ``/nop-ho-so/``.

The route name ``online:submit`` (argument: the procedure's code) is what the
public catalogue links to; its view is built by the online-submission work.
"""

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "online"
urlpatterns: list[URLPattern | URLResolver] = [
    path("<str:code>/", views.submit, name="submit"),
]
