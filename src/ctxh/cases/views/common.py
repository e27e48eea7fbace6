"""What every case page shares: the capability gate, errors onto forms, links back to a tab."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from ctxh.accounts import access
from ctxh.cases import selectors
from ctxh.cases.models import Case

PAGE_SIZE = 25


def has_case_role(user: Any) -> bool:
    return any(access.can(user, cap) for cap in selectors.CASE_CAPABILITIES)


def require_case_role(user: Any) -> None:
    """403 for those with no case role at all (statistician, outsider); the selectors give 404 for the rest."""
    if not has_case_role(user):
        raise PermissionDenied(_("Bạn không có quyền xem hồ sơ trường hợp."))


def apply_errors(form: Any, exc: ValidationError, index: dict[str, tuple[Any, str]] | None = None) -> None:
    """Put a service's errors on the fields they name, on formset rows through ``index``, or on the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, errors in exc.message_dict.items():
        if index and field in index:
            row, name = index[field]
            row.add_error(name if name in row.fields else None, errors)
        elif field in form.fields:
            form.add_error(field, errors)
        else:
            form.add_error(None, errors)


def rows_index(prefix: str, sent: list[tuple[int, Any]], fields: list[str]) -> dict[str, tuple[Any, str]]:
    """Service error keys ``<prefix>-<i>-<field>`` (i counts the rows sent) → (formset row, field)."""
    out: dict[str, tuple[Any, str]] = {}
    for i, (_pos, row) in enumerate(sent):
        for name in fields:
            out[f"{prefix}-{i}-{name}"] = (row, name)
    return out


def error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def case_url(case: Case | int, tab: str | None = None) -> str:
    url = reverse("cases:detail", kwargs={"pk": getattr(case, "pk", case)})
    return f"{url}?tab={tab}" if tab else url


def next_url(request: HttpRequest, default: str) -> str:
    """Where to go after a small form: ``next`` when it stays on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default
