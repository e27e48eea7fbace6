"""The public portal: hotline numbers, the provider directory and the printable handbook.

No login and no personal data. Pages are built for a phone on a slow link:
server-rendered HTML that needs no JavaScript, GET forms, a small stylesheet,
and ``Cache-Control: public, max-age=300`` so a proxy or the phone itself can
keep them. Pages are rendered without the request's context processors, so
they never read the session (nothing varies by cookie) and never depend on
who is logged in: the selectors are always asked as the public (``user=None``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.utils.crypto import salted_hmac
from django.views.decorators.http import require_GET

from ctxh.core.net import client_ip
from ctxh.network import handbook, selectors
from ctxh.network.forms import PublicSearchForm

PAGE_SIZE = 25
MAX_AGE = 300


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """GET only; cacheable by anyone for five minutes.

    A browser that carries a staff session cookie gets ``private`` instead, so
    a shared cache never stores a response that the session middleware may
    have given a ``Set-Cookie``.
    """

    @wraps(view)
    @require_GET
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code >= 400:
            patch_cache_control(response, no_store=True)  # a refusal is for this caller, now
        elif settings.SESSION_COOKIE_NAME in request.COOKIES:
            patch_cache_control(response, private=True, max_age=MAX_AGE)
        else:
            patch_cache_control(response, public=True, max_age=MAX_AGE)
        return response

    return wrapper


def _render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    # No context processors: they read the session and the user, which a public
    # page has no use for (and which would add "Vary: Cookie").
    return HttpResponse(render_to_string(template, {**context, "request": request}), status=status)


def _province_id() -> int:
    return settings.CTXH_PROVINCE_CODE


@public_page
def home(request: HttpRequest) -> HttpResponse:
    return _render(request, "network/public_home.html", {
        "hotlines": selectors.public_hotlines(province_id=_province_id()),
        "form": PublicSearchForm(None),
    })


@public_page
def hotlines(request: HttpRequest) -> HttpResponse:
    rows = selectors.public_hotlines(province_id=_province_id())
    return _render(request, "network/public_hotlines.html", {
        "hotlines": rows, "urgent": selectors.urgent_numbers(rows),
    })


@public_page
def provider_list(request: HttpRequest) -> HttpResponse:
    form = PublicSearchForm(request.GET)
    values = form.values()
    filters = selectors.ProviderFilters(q=values["q"], service=values["service"], commune=values["commune"],
                                        province=values["province"], sort="name")
    page = Paginator(selectors.provider_list(user=None, filters=filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return _render(request, "network/public_providers.html", {
        "form": form, "page": page, "searched": any(request.GET.get(k) for k in ("q", "commune", "service")),
    })


@public_page
def provider_detail(request: HttpRequest, pk: int) -> HttpResponse:
    provider = selectors.provider_get(user=None, pk=pk)  # 404 unless public and active
    return _render(request, "network/public_provider.html", {"provider": provider})


@public_page
def handbook_form(request: HttpRequest) -> HttpResponse:
    return _render(request, "network/public_handbook.html", {"form": PublicSearchForm(request.GET)})


@public_page
def handbook_pdf(request: HttpRequest) -> HttpResponse:
    """The printable handbook of addresses (Sổ tay địa chỉ) for a province, or one commune of it."""
    form = PublicSearchForm(request.GET)
    values = form.values()
    client = salted_hmac("ctxh.network.handbook", client_ip(request), algorithm="sha256").hexdigest()[:32]
    try:
        book = handbook.handbook_pdf(province_id=values["province"], commune_id=values["commune"], client=client)
    except handbook.Busy:
        return _render(request, "network/public_handbook.html", {"form": form, "busy": True}, status=429)
    response = HttpResponse(book.content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{book.filename}"'
    return response
