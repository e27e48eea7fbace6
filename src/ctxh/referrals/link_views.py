"""The one-time link page: a provider without an account answers one referral, without logging in.

It shows only that referral's minimum (the person's name, age and sex, what
is needed, the referring worker and the Centre) — no navigation, no other
data. Expired, used and revoked links get a refusal page (410; an unknown
token 404) with the Centre's phone and nothing else. A valid link first shows
a page naming no one, with a button to open it: chat apps (Zalo, Messenger)
fetch a shared link to preview it, and the preview must not carry the
person's name or situation. Every opening, answer
and refusal is written to the link's own log (``ReferralLinkUse``).
Responses are never cached or indexed, and the token in the URL never leaves
as a referrer: pages without a form say ``Referrer-Policy: no-referrer``; the
answer page says ``same-origin``, because under ``no-referrer`` a browser sends
``Origin: null`` with the form's POST, which Django's CSRF check (rightly)
refuses — ``same-origin`` still sends nothing to any other site, and the page
loads nothing from one.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from ctxh.core.exceptions import ConflictError
from ctxh.core.net import client_ip
from ctxh.referrals import selectors, services, workflow
from ctxh.referrals.forms import LinkMoveForm
from ctxh.referrals.models import ReferralLink
from ctxh.referrals.services import LinkRefused


def _private(response: HttpResponse, *, has_form: bool = False) -> HttpResponse:
    response["Referrer-Policy"] = "same-origin" if has_form else "no-referrer"
    response["Cache-Control"] = "no-store, max-age=0"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _client(request: HttpRequest) -> dict[str, Any]:
    return {"ip": client_ip(request) or None,
            "user_agent": request.META.get("HTTP_USER_AGENT", "")}


def _refused(request: HttpRequest, state: str, link: ReferralLink | None, action: str) -> HttpResponse:
    if link is not None:
        # A token that matches no link is not stored: anyone could fill the table with guesses.
        services.link_use_record(link=link, action=action, outcome=state, **_client(request))
    province = link.referral.province_id if link is not None else getattr(settings, "CTXH_PROVINCE_CODE", None)
    status = 404 if state == "unknown" else 410
    return _private(render(request, "referrals/link_refused.html", {
        "state": state, "phones": selectors.centre_phones(province)}, status=status))


def _page(request: HttpRequest, link: ReferralLink, form: LinkMoveForm | None = None, status: int = 200,
          failed: str = "") -> HttpResponse:
    context = {
        **selectors.provider_view(link.referral),
        "link": link, "moves": [workflow.MOVES[c] for c in workflow.LINK_MOVES[link.purpose]
                                if workflow.is_legal(c, link.referral.status)],
        "form": form or LinkMoveForm(), "failed": failed,
    }
    return _private(render(request, "referrals/link_page.html", context, status=status), has_form=True)


@csrf_protect
@require_http_methods(["GET", "POST"])
def link_page(request: HttpRequest, token: str) -> HttpResponse:
    link = selectors.link_by_token(token)
    try:
        services.link_check(link)
    except LinkRefused as exc:
        return _refused(request, exc.state, exc.link, "post" if request.method == "POST" else "view")
    assert link is not None
    if request.method == "GET":
        if request.GET.get("open") != "1":
            # Chat apps fetch a shared link to preview it: what they get names no one.
            referral = link.referral
            return _private(render(request, "referrals/link_gate.html", {
                "referral": referral, "centre": selectors.referring_centre(referral),
                "phones": selectors.centre_phones(referral.province_id)}))
        services.link_use_record(link=link, action="view", **_client(request))
        return _page(request, link)
    form = LinkMoveForm(request.POST)
    if not form.is_valid():
        return _page(request, link, form, status=422)
    action = form.cleaned_data["action"]
    try:
        referral, issued = services.link_act(token=token, action=action, text=form.cleaned_data["text"],
                                             **_client(request))
    except LinkRefused as exc:
        return _refused(request, exc.state, exc.link or link, action)
    except (ValidationError, ConflictError) as exc:
        messages = exc.messages if isinstance(exc, ValidationError) else [exc.message]
        form.add_error("text" if action in ("decline", "complete") else None, messages)
        return _page(request, link, form, status=422, failed=action)
    next_url = request.build_absolute_uri(issued.path) if issued is not None else ""
    return _private(render(request, "referrals/link_done.html", {
        **selectors.provider_view(referral), "action": action, "next_url": next_url,
        "next_link": issued.link if issued is not None else None,
    }))
