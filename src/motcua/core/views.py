"""The public front pages. The home page is a grid of cards, one per service."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    """What MotCua is, and where to go from here."""
    return render(request, "core/home.html")
