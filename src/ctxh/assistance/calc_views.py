"""The eligibility calculator pages: a described person, or a registered one.

Thin: the form parses, ``ctxh.assistance.eligibility`` judges (the same engine as
the API and the entitlements), the people selectors scope and log the reading
of a registered person's file.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_http_methods

from ctxh.accounts import access
from ctxh.assistance.calc_forms import CalculatorForm, form_data_from_facts
from ctxh.assistance.eligibility import Result, evaluate, facts_for_person, validate_facts
from ctxh.assistance.selectors import covered_communes
from ctxh.core.forms import apply_service_errors
from ctxh.core.htmx import partial_or_full
from ctxh.core.models import Term
from ctxh.core.rules import RuleMissing
from ctxh.people.selectors import person_open

CAPABILITY = "entitlement.check"

SCHEME_LABELS = {
    "monthly_allowance": _l("Trợ cấp xã hội hằng tháng"),
    "residential_care": _l("Trợ cấp nuôi dưỡng tại cơ sở"),
    "care_support": _l("Hỗ trợ chăm sóc, nuôi dưỡng"),
    "social_pension": _l("Trợ cấp hưu trí xã hội"),
}
RECIPIENT_LABELS = {"self": _l("Đối tượng"), "carer": _l("Người, hộ chăm sóc")}
# The form's field that shows an error the engine reports on a fact.
FIELD_OF_FACT = {"birth_date": "birth", "birth_precision": "birth"}


def result_context(result: Result | None) -> dict[str, Any]:
    if result is None:
        return {"result": None}
    paid = {id(line) for line in result.paid}
    return {
        "result": result,
        "rows": [{"line": line, "paid": id(line) in paid} for line in result.qualifying],
        "scheme_labels": SCHEME_LABELS,
        "recipient_labels": RECIPIENT_LABELS,
    }


@login_required
@require_http_methods(["GET", "POST"])
def calculator(request: HttpRequest) -> HttpResponse:
    """The form and, once sent, the answer below it (htmx swaps the block in place)."""
    access.require(request.user, CAPABILITY)
    form = CalculatorForm(request.POST or None, communes=covered_communes(request.user))
    result = None
    if request.method == "POST" and form.is_valid():
        facts = form.facts()
        try:
            validate_facts(facts)
            result = evaluate(facts)
        except ValidationError as exc:
            apply_service_errors(form, exc, rename=FIELD_OF_FACT)
        except RuleMissing as exc:
            form.add_error("on", str(exc))
    selected = form["groups"].value() or []
    context = {"form": form, "selected_groups": set(selected), **result_context(result)}
    template = partial_or_full(request, "assistance/calculator.html", "assistance/calculator_result.html")
    response = render(request, template, context)
    if template.endswith("calculator_result.html"):
        # Bring the answer (or the errors above the form) into view after the swap.
        response["HX-Reswap"] = "outerHTML show:#calc-answer:top" if result else "outerHTML show:#calc:top"
    return response


def _parse_on(text: str) -> dt.date | None:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


@login_required
@require_GET
def calculator_person(request: HttpRequest, pk: int) -> HttpResponse:
    """What a registered person qualifies for on a date, with the facts read from the registry."""
    access.require(request.user, CAPABILITY)
    person = person_open(user=request.user, pk=pk, purpose="entitlement.check")
    on_text = request.GET.get("on", "")
    on = _parse_on(on_text) if on_text else timezone.localdate()
    date_error = ""
    if on is None:
        date_error = _("Ngày xét không đúng dạng dd/mm/yyyy; đang xét theo hôm nay.")
        on = timezone.localdate()
    facts = facts_for_person(person, on)
    result = None
    try:
        result = evaluate(facts)
    except RuleMissing as exc:
        date_error = str(exc)
    labels = dict(Term.objects.filter(code__in=facts.groups).values_list("code", "name"))
    if labels and request.LANGUAGE_CODE == "en":
        labels.update({c: n for c, n in Term.objects.filter(code__in=facts.groups).exclude(name_en="")
                       .values_list("code", "name_en")})
    level = Term.objects.filter(vocabulary="disability_level", code=facts.disability_level).first()
    context = {
        "person": person, "facts": facts, "on": on, "date_error": date_error,
        "group_labels": [labels.get(code, code) for code in sorted(facts.groups)],
        "disability_level": level.label if level else "",
        "form_data": form_data_from_facts(facts),
        **result_context(result),
    }
    return render(request, "assistance/calculator_person.html", context)
