"""What the support pages share: resolving the recipient pickers, error placement, paging."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from ctxh.core.forms import apply_service_errors
from ctxh.people.models import Household, Person
from ctxh.people.selectors import household_get, person_get

PAGE_SIZE = 25

# Service argument → form field, where they differ.
ERROR_FIELDS: dict[str, str | None] = {"household": "person", "case": "case_number", "on": "on", "status": None,
                                       "grant": "support", "allocation": "support", "need": None}


def apply_errors(form: Any, exc: ValidationError) -> None:
    apply_service_errors(form, exc, ERROR_FIELDS)


def picked(user: Any, form: Any) -> tuple[Person | None, Household | None]:
    """The person or household chosen in the pickers, read through the user's scope.

    An id outside the scope is a form error, not a 404: the page stays with
    what the user typed.
    """
    person = household = None
    pid, hid = form.cleaned_data.get("person"), form.cleaned_data.get("household")
    try:
        if pid:
            person = person_get(user=user, pk=pid)
        if hid:
            household = household_get(user=user, pk=hid)
    except Http404:
        form.add_error("person", ValidationError(_not_found()))
    return person, household


def _not_found() -> str:
    from django.utils.translation import gettext as _

    return _("Không tìm thấy người (hộ) này trong địa bàn bạn phụ trách.")


def prefill_recipient(user: Any, request: HttpRequest) -> dict[str, Any]:
    """?person= / ?household= on a form link: the chosen recipient, if the user may see it."""
    out: dict[str, Any] = {}
    for key, getter in (("person", person_get), ("household", household_get)):
        value = request.GET.get(key, "")
        if value.isdigit():
            try:
                out[key] = getter(user=user, pk=int(value))
            except Http404:
                pass
    return out


def chosen(user: Any, data: Any) -> dict[str, Any]:
    """The recipient shown on a re-rendered form (after an error), from the posted ids."""
    out: dict[str, Any] = {}
    for key, getter in (("person", person_get), ("household", household_get)):
        value = str(data.get(key) or "")
        if value.isdigit():
            try:
                out[key] = getter(user=user, pk=int(value))
            except Http404:
                pass
    return out


def next_url(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


def person_support_url(person_id: int) -> str:
    return reverse("support:person", args=[person_id])
