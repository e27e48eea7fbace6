"""The public portal (no login): placeholder until the portal is built."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "network/public_home.html")
