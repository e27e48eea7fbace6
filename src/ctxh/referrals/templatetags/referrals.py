"""Referral panels other apps' pages include: a case's referrals, a call's, the worker's overdue ones.

The tags read through the referral selectors with the request's user, so the
pages that include them need no change in their views.
"""

from __future__ import annotations

from typing import Any

from django import template

from ctxh.accounts import access
from ctxh.referrals import selectors

register = template.Library()


def _user(context: Any) -> Any:
    request = context.get("request")
    return getattr(request, "user", None)


@register.inclusion_tag("referrals/_case_referrals.html", takes_context=True)
def case_referrals(context: Any, case: Any) -> dict[str, Any]:
    """The case page's "Chuyển gửi" section: its referrals and the button to send one."""
    from ctxh.cases.selectors import case_access_reason

    user = _user(context)
    may_refer = (access.can(user, "referral.make") and not case.is_closed
                 and case_access_reason(user, case) in ("team", "director", "area"))
    return {"case": case, "referrals": selectors.case_referrals(user=user, case=case), "may_refer": may_refer}


@register.inclusion_tag("referrals/_call_referrals.html", takes_context=True)
def call_referrals(context: Any, call: Any) -> dict[str, Any]:
    user = _user(context)
    return {"call": call, "referrals": selectors.call_referrals(user=user, call=call),
            "may_refer": access.can(user, "referral.make") and not call.is_open}


@register.inclusion_tag("referrals/_overdue_slot.html", takes_context=True)
def overdue_referrals(context: Any) -> dict[str, Any]:
    """The worker's page: a slot htmx fills with the referrals still unanswered after their date.

    Loaded after the page, so the caseload costs no query more and shows at once on a slow link.
    """
    return {"show": access.can(_user(context), "referral.make")}
