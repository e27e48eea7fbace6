from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ctxh.accounts import access
from ctxh.core.selectors import home_summary


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The start page: what this user's roles need first."""
    return render(request, "core/home.html", {"summary": home_summary(user=request.user),
                                               "memberships": access.memberships(request.user)})


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", {"message": str(exception or "")}, status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)
