"""The printable case file (hồ sơ in): the sections the legal forms ask for, rendered to PDF by WeasyPrint.

Sections follow Decree 56/2017 (mẫu 01–06) and Circular 02/2020: the person's
identity, the intake (who reported, when, what), the initial risk
assessment, the detailed assessment with needs by domain, the support plan
with its items and approval, implementation and reviews, and the closure.
Every page carries "MẬT", the case number and the print date. Opening the
file for print is written to the access log (purpose ``print``).

Fonts: Noto Sans / DejaVu Sans (Debian's fonts-noto-core, fonts-dejavu-core),
which draw Vietnamese stacked marks (ệ, ử, ỗ) correctly.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from ctxh.cases import selectors
from ctxh.cases.models import Assessment, Case, Plan, PlanItem

PRINT_PURPOSE = "print"


def case_file_context(*, user: Any, case: Case) -> dict[str, Any]:
    """What the printed file shows, read through the selectors (the case is already scoped to ``user``)."""
    assessments = list(case.assessments.select_related("recorded_by").prefetch_related("needs__domain")
                       .order_by("assessed_on", "id"))
    plans = selectors.case_plans(user=user, case=case)
    plan = (next((p for p in plans if p.status == Plan.Status.APPROVED), None)
            or next((p for p in plans if p.status in (Plan.Status.SUBMITTED, Plan.Status.DRAFT)), None)
            or (plans[0] if plans else None))
    items: list[PlanItem] = list(plan.items.all()) if plan else []
    return {
        "case": case,
        "person": case.person,
        "printed_at": timezone.localtime(),
        "printed_by": user,
        "deadlines": selectors.case_deadlines(user=user, case=case),
        "initial": [a for a in assessments if a.kind == Assessment.Kind.INITIAL_RISK],
        "detailed": [a for a in assessments if a.kind != Assessment.Kind.INITIAL_RISK],
        "plan": plan,
        "plan_items": items,
        "other_plans": [p for p in plans if p is not plan],
        "reviews": list(case.reviews.select_related("recorded_by").order_by("reviewed_on", "id")),
        "closures": list(case.closures.select_related("reason", "requested_by", "approved_by")
                         .order_by("requested_at", "id")),
        "team": selectors.case_team(user=user, case=case),
        "step": next((s for s in case.case_type.steps.all() if s.code == case.status), None),
        "title": _("Hồ sơ quản lý trường hợp"),
    }


def case_file_html(*, user: Any, pk: Any) -> tuple[Case, str]:
    """The case file as HTML for print; 404 outside the user's cases; logged as a print."""
    case = selectors.case_open_for_read(user=user, pk=pk, purpose=PRINT_PURPOSE)
    return case, render_to_string("cases/pdf/case_file.html", case_file_context(user=user, case=case))


def case_file_pdf(*, user: Any, pk: Any) -> tuple[Case, bytes]:
    """The case file as PDF bytes (WeasyPrint)."""
    from weasyprint import HTML  # imported here: loading Pango costs time every page does not need

    case, html = case_file_html(user=user, pk=pk)
    return case, HTML(string=html).write_pdf()
