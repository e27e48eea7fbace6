"""Case pages. Thin: forms parse, selectors read (scoped), services write.

Split by concept: ``lists`` (caseload, director, search, opening, notifications),
``case`` (the case page, break-the-glass, edit, moves, files, the PDF) and
``work`` (assessment, plan, notes, team, reviews, closure).
"""

from ctxh.cases.views.case import (
    attachment_download,
    break_glass,
    case_detail,
    case_edit,
    case_pdf,
    case_seal,
    case_transition,
)
from ctxh.cases.views.lists import case_list, case_open, director, my_cases, notifications
from ctxh.cases.views.work import (
    assessment_new,
    assign,
    attachment_add,
    closure_approve,
    closure_reject,
    closure_request,
    member_end,
    note_add,
    plan_approve,
    plan_edit,
    plan_item_status,
    plan_return,
    plan_submit,
    review_new,
)

__all__ = [
    "assessment_new", "assign", "attachment_add", "attachment_download", "break_glass", "case_detail", "case_edit",
    "case_list", "case_open", "case_pdf", "case_seal", "case_transition", "closure_approve", "closure_reject",
    "closure_request", "director", "member_end", "my_cases", "note_add", "notifications", "plan_approve",
    "plan_edit", "plan_item_status", "plan_return", "plan_submit", "review_new",
]
