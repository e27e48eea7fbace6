"""The public family tracing form (no login, no script, nothing personal shown back).

Order of the checks on a post, cheapest first and before the body is parsed:

1. body size: over ``MAX_BODY_BYTES`` → 413, without reading it;
2. rate limit: ``tracing.public_per_hour`` posts per client address per hour
   (only a keyed hash of the address is stored) → 429 with the hotline;
3. CSRF, then the form;
4. the honeypot and the fill time. A filled honeypot or a post faster than a
   person can type is *refused* with a message, not silently dropped: on a slow
   link the stylesheet that hides the trap may not load, and browser autofill
   may fill it, so a real family must learn that nothing was sent. Both count
   against the address's hourly limit, so a robot soon meets the 429.

The receipt page shows the receipt number (signed into its address, so it
cannot be guessed) and what happens next — never a name, a match or anything
from the registry. There is no public lookup of results: staff call back.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.crypto import salted_hmac
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from ctxh.core.forms import apply_service_errors
from ctxh.core.net import client_ip
from ctxh.hotline.models import HotlineLine
from ctxh.tracing import selectors, services
from ctxh.tracing.forms import ERROR_FIELDS, PublicTracingForm, form_token
from ctxh.tracing.models import SubmissionOutcome

# Every field filled to its limit in Vietnamese, sent as multipart (3 bytes a
# letter) is about 15 KB; anything larger is not a person typing.
MAX_BODY_BYTES = 20 * 1024
_RECEIPT_SALT = "ctxh.tracing.receipt"
_RECEIPT_MAX_AGE = 7 * 24 * 3600


def ip_hash(request: HttpRequest) -> str:
    """A keyed hash of the address: enough to count, useless to find the person."""
    return salted_hmac("ctxh.tracing.public-ip", client_ip(request), algorithm="sha256").hexdigest()


def hotlines() -> list[HotlineLine]:
    """The Centre's own line(s) first, then the national ones."""
    lines = HotlineLine.objects.filter(is_active=True).filter(
        Q(province_id=settings.CTXH_PROVINCE_CODE) | Q(province__isnull=True)
    ).order_by("province_id", "position")
    return sorted(lines, key=lambda line: line.province_id is None)


def _body_too_large(request: HttpRequest) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > MAX_BODY_BYTES


def _refused(request: HttpRequest, *, status: int, reason: str) -> HttpResponse:
    return render(request, "tracing/public_refused.html", {"reason": reason, "hotlines": hotlines()}, status=status)


def _page(request: HttpRequest, form: PublicTracingForm, *, status: int = 200, **extra: Any) -> HttpResponse:
    return render(request, "tracing/public_form.html", {
        "form": form, "token": form_token(), "hotlines": hotlines(), **extra}, status=status)


@csrf_protect
def _form(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request, PublicTracingForm())
    form = PublicTracingForm(request.POST)
    address = ip_hash(request)
    if form.is_honeypot():
        services.public_submission_record(ip_hash=address, outcome=SubmissionOutcome.HONEYPOT)
        return _page(request, form, status=400, trap="honeypot")
    if form.is_too_fast():
        services.public_submission_record(ip_hash=address, outcome=SubmissionOutcome.TOO_FAST)
        return _page(request, form, status=400, trap="too_fast")
    if form.is_valid():
        try:
            req = services.tracing_request_submit_public(data=form.service_data(), ip_hash=address)
        except ValidationError as exc:
            apply_service_errors(form, exc, ERROR_FIELDS)
        else:
            token = signing.dumps(req.receipt_number, salt=_RECEIPT_SALT)
            return redirect("tracing_public:received", token=token)
    return _page(request, form, status=422)


@csrf_exempt  # CSRF is checked by ``_form``, after the size and rate checks that need no body
@never_cache
@require_http_methods(["GET", "POST"])
def public_form(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if _body_too_large(request):
            return _refused(request, status=413, reason="too_large")
        if selectors.public_submissions_last_hour(ip_hash=ip_hash(request)) >= selectors.public_per_hour():
            return _refused(request, status=429, reason="rate_limited")
    return _form(request)


@never_cache
@require_GET
def public_received(request: HttpRequest, token: str) -> HttpResponse:
    try:
        number = signing.loads(token, salt=_RECEIPT_SALT, max_age=_RECEIPT_MAX_AGE)
    except signing.BadSignature:
        raise Http404 from None
    return render(request, "tracing/public_received.html", {"number": number, "hotlines": hotlines()})
