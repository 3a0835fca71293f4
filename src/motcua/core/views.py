"""The public front pages. The home page is a grid of cards, one per service;
``/healthz/`` tells a load balancer whether this process is ready."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import health


def home(request: HttpRequest) -> HttpResponse:
    """What MotCua is, and where to go from here."""
    return render(request, "core/home.html")


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when ready, 503 with a stable code when not (``core.health``)."""
    state = health.health()
    response = JsonResponse(
        state.as_json(),
        status=200 if state.ready else 503,
        json_dumps_params={"ensure_ascii": False},
    )
    response["Cache-Control"] = "no-store"
    return response
