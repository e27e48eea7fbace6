"""A person's support history: the fragment the person page loads, or a page of its own."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from ctxh.accounts import access
from ctxh.core.htmx import partial_or_full
from ctxh.support import selectors


@login_required
@require_GET
@vary_on_headers("HX-Request")
def person_support(request: HttpRequest, pk: int) -> HttpResponse:
    """Grants, allocations and needs of a person and their household; the read is access-logged."""
    user = request.user
    history = selectors.person_support(user=user, pk=pk)
    context = {"h": history, "person": history.person, "can_manage": access.can(user, "support.manage")}
    return render(request, partial_or_full(request, "support/person_support.html", "support/_person_support.html"),
                  context)
