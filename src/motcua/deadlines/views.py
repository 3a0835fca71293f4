from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def calendar_page(request: HttpRequest) -> HttpResponse:
    return render(request, "deadlines/calendar.html")
