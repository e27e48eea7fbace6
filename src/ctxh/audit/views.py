"""The two log pages a director reads: what was changed, and who opened sensitive records.

Both are a GET filter form over a paginated table; when htmx submits the
filters only the table is sent back, and the URL is pushed so the filtered
view can be bookmarked or shared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from ctxh.audit import selectors
from ctxh.audit.forms import AccessFilterForm, AuditFilterForm, object_type_choices
from ctxh.audit.models import AccessEntry, AuditEntry
from ctxh.core.htmx import partial_or_full

ENTRIES_PER_PAGE = 50

# Verbs whose ``changes`` are a snapshot of new values, where a two-item list is
# a value (two communes), not the ``[old, new]`` pair that updates record.
_SNAPSHOT_VERBS = ("created", "registered", "granted", "added", "given", "recorded", "set", "locked")


@dataclass(frozen=True)
class ChangeLine:
    field: str
    old: str
    new: str
    is_change: bool


@dataclass(frozen=True)
class Row:
    """One log entry with what the table shows beside it, worked out once here."""

    entry: AuditEntry | AccessEntry
    type_name: str
    change_lines: list[ChangeLine] = field(default_factory=list)


@login_required
@require_GET
@vary_on_headers("HX-Request")
def change_list(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    entries = selectors.audit_entry_list(user=request.user, filters=form.filters if form.is_bound else {})
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    type_names = dict(object_type_choices())
    rows = [Row(e, type_names.get(e.object_type, e.object_type), readable_changes(e.action, e.changes))
            for e in page.object_list]
    return render(request, partial_or_full(request, "audit/change_list.html", "audit/_change_table.html"),
                  {"form": form, "page": page, "rows": rows})


@login_required
@require_GET
@vary_on_headers("HX-Request")
def access_list(request: HttpRequest) -> HttpResponse:
    form = AccessFilterForm(request.GET or None)
    entries = selectors.access_entry_list(user=request.user, filters=form.filters if form.is_bound else {})
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    type_names = dict(object_type_choices())
    rows = [Row(e, type_names.get(e.object_type, e.object_type)) for e in page.object_list]
    return render(request, partial_or_full(request, "audit/access_list.html", "audit/_access_table.html"),
                  {"form": form, "page": page, "rows": rows})


def readable_changes(action: str, changes: Any) -> list[ChangeLine]:
    """``{field: [old, new]}`` as "field: old → new", any other value as "field: value".

    Services log updates as ``[old, new]`` pairs and creations as a snapshot;
    the action's verb tells the two apart where a value is itself a list.
    """
    if not isinstance(changes, dict):
        return [ChangeLine("", "", _show(changes), False)] if changes else []
    snapshot = action.rsplit(".", 1)[-1].endswith(_SNAPSHOT_VERBS)
    lines = []
    for name, value in changes.items():
        if not snapshot and isinstance(value, list) and len(value) == 2:
            lines.append(ChangeLine(name, _show(value[0]), _show(value[1]), True))
        else:
            lines.append(ChangeLine(name, "", _show(value), False))
    return lines


def _show(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if value is True:
        return _("có")
    if value is False:
        return _("không")
    if isinstance(value, list):
        return ", ".join(_show(v) for v in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_show(v)}" for k, v in value.items())
    return str(value)

