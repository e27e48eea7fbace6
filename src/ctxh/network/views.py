"""Staff pages of the provider directory. Thin: forms parse, selectors read, services write."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ctxh.accounts import access
from ctxh.core.exceptions import ConflictError
from ctxh.core.forms import apply_service_errors
from ctxh.core.htmx import partial_or_full
from ctxh.network import selectors, services
from ctxh.network.forms import ActiveForm, ProviderFilterForm, ProviderForm

PAGE_SIZE = 25


def _reader_provinces(user: Any) -> list[int]:
    """Provinces whose communes the filter offers: the user's own, and the installation's."""
    from ctxh.geo.models import Commune

    cov = access.coverage(user)
    provinces = set(cov.provinces) | {settings.CTXH_PROVINCE_CODE}
    if cov.communes:
        provinces |= set(Commune.objects.filter(pk__in=cov.communes).values_list("province_id", flat=True))
    return sorted(provinces)


@login_required
@require_GET
def provider_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "provider.view")
    form = ProviderFilterForm(request.GET or None, provinces=_reader_provinces(request.user))
    filters = form.filters()
    page = Paginator(selectors.provider_list(user=request.user, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page"))
    template = partial_or_full(request, "network/provider_list.html", "network/_provider_table.html")
    return render(request, template, {
        "form": form, "page": page, "sort": filters.sort,
        "can_manage": access.can(request.user, "provider.manage"),
    })


@login_required
@require_GET
def provider_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(request.user, "provider.view")
    provider = selectors.provider_get(user=request.user, pk=pk)
    return render(request, "network/provider_detail.html", {
        "provider": provider,
        "can_edit": selectors.can_manage(user=request.user, province_id=provider.province_id),
    })


@login_required
@require_http_methods(["GET", "POST"])
def provider_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "provider.manage")
    provinces = selectors.manageable_provinces(user=request.user)
    form = ProviderForm(request.POST or None, provinces=provinces)
    if request.method == "POST" and form.is_valid():
        try:
            provider = services.provider_create(actor=request.user, data=form.service_data())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm “%(name)s” vào danh bạ.") % {"name": provider.name})
            return redirect("network:detail", pk=provider.pk)
    return render(request, "network/provider_form.html", _form_context(form), status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def provider_edit(request: HttpRequest, pk: int) -> HttpResponse:
    provider = selectors.provider_for_edit(user=request.user, pk=pk)
    provinces = selectors.manageable_provinces(user=request.user)
    form = ProviderForm(request.POST or None, provinces=provinces, provider=provider)
    context: dict[str, Any] = {}
    if request.method == "POST" and form.is_valid():
        try:
            services.provider_update(actor=request.user, provider=provider, data=form.service_data(),
                                     expected_version=form.cleaned_data.get("version") or 0)
        except ConflictError as exc:
            context["conflict"] = exc
            # Keep what the user typed; saving again is then a deliberate overwrite.
            data = request.POST.copy()
            data["version"] = str(selectors.provider_get(user=request.user, pk=pk).version)
            form = ProviderForm(data, provinces=provinces, provider=provider)
            form.is_valid()
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect("network:detail", pk=provider.pk)
    status = 409 if "conflict" in context else (422 if form.errors else 200)
    return render(request, "network/provider_form.html", {**_form_context(form, provider), **context}, status=status)


def _form_context(form: ProviderForm, provider: Any = None) -> dict[str, Any]:
    return {
        "form": form, "provider": provider, "service_tree": selectors.service_tree(),
        "checked_services": form.checked("services"), "checked_targets": form.checked("target_groups"),
    }


@login_required
@require_http_methods(["GET", "POST"])
def provider_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    """Deactivate or reactivate after an explicit confirmation (a page of its own: works without JavaScript)."""
    provider = selectors.provider_for_edit(user=request.user, pk=pk)
    activate = not provider.is_active
    form = ActiveForm(request.POST or None, initial={"version": provider.version})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.provider_set_active(
                actor=request.user, provider=provider, active=activate,
                confirmed=form.cleaned_data["confirmed"], expected_version=form.cleaned_data.get("version"),
                reason=form.cleaned_data["reason"],
            )
        except ConflictError as exc:
            messages.error(request, exc.message)
            return redirect("network:detail", pk=provider.pk)
        except ValidationError as exc:
            apply_service_errors(form, exc)
            status = 422
        else:
            messages.success(request, _("Đã mở lại đơn vị trong danh bạ.") if activate
                             else _("Đã ngừng hiển thị đơn vị trong danh bạ."))
            return redirect("network:detail", pk=provider.pk)
    return render(request, "network/provider_active.html",
                  {"provider": provider, "form": form, "activate": activate}, status=status)
