"""Donors and donations (nhà tài trợ, khoản tài trợ): what remains, and allocating it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ctxh.accounts import access
from ctxh.core.exceptions import ConflictError
from ctxh.geo.models import Commune
from ctxh.support import selectors, services
from ctxh.support.forms import AllocationForm, CancelForm, DonationForm, DonorForm
from ctxh.support.models import Donation
from ctxh.support.views.common import PAGE_SIZE, apply_errors, chosen, picked, prefill_recipient

STATES = [("", _l("Tất cả")), ("open", _l("Còn lại để phân bổ")), ("used", _l("Đã phân bổ hết"))]


@login_required
@require_GET
def donation_list(request: HttpRequest) -> HttpResponse:
    """Donations of the province with what remains of each, and the donors."""
    user = request.user
    q = request.GET.get("q", "").strip()[:100]
    state = request.GET.get("state", "")
    state = state if state in ("open", "used") else ""
    donor = request.GET.get("donor", "")
    qs = selectors.donation_list(user=user, q=q, state=state, donor=int(donor) if donor.isdigit() else None)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "support/donation_list.html", {
        "page": page, "q": q, "state": state, "states": STATES,
        "donors": list(selectors.donor_list(user=user)[:200]),
        "can_manage": access.can(user, "donation.manage"),
    })


def _home_province(user: Any) -> int | None:
    provinces = sorted(selectors.donation_provinces(user))
    return provinces[0] if len(provinces) == 1 else (provinces[0] if provinces else None)


@login_required
@require_http_methods(["GET", "POST"])
def donor_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    access.require(user, "donation.manage")
    form = DonorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            province = _home_province(user)
            if province is None:
                raise ValidationError({"name": [_("Tài khoản của bạn không gắn với tỉnh nào.")]})
            donor = services.donor_create(actor=user, province_id=province, name=d["name"], kind=d["kind"],
                                          contact_name=d["contact_name"], phone=d["phone"], email=d["email"],
                                          address=d["address"], notes=d["notes"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm nhà tài trợ %(name)s.") % {"name": donor.name})
            return redirect(f"{_url('support:donation-create')}?donor={donor.pk}")
    return render(request, "support/donor_form.html", {"form": form}, status=422 if form.errors else 200)


def _url(name: str, *args: Any) -> str:
    from django.urls import reverse

    return reverse(name, args=args)


@login_required
@require_http_methods(["GET", "POST"])
def donor_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    access.require(user, "donation.manage")
    donor = selectors.donor_get(user=user, pk=pk)
    fields = ["name", "kind", "contact_name", "phone", "email", "address", "notes"]
    form = DonorForm(request.POST or None, initial={"version": donor.version, **{f: getattr(donor, f) for f in fields}})
    context: dict[str, Any] = {"form": form, "donor": donor}
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.donor_update(actor=user, donor=donor, data={f: d[f] for f in fields},
                                      expected_version=d["version"])
            except ConflictError as exc:
                context["conflict"] = exc
                data = request.POST.copy()
                data["version"] = str(selectors.donor_get(user=user, pk=pk).version)
                context["form"] = DonorForm(data)
                context["form"].is_valid()
                status = 409
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Đã lưu thay đổi."))
                return redirect("support:donation-list")
    return render(request, "support/donor_form.html", context, status=status)


def _province_communes(user: Any) -> Any:
    return Commune.objects.filter(province_id__in=sorted(selectors.donation_provinces(user))).order_by("name")


@login_required
@require_http_methods(["GET", "POST"])
def donation_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    access.require(user, "donation.manage")
    donor = request.GET.get("donor", "")
    initial = {"received_on": timezone.localdate(), "form": "goods"}
    if donor.isdigit():
        initial["donor"] = int(donor)
    form = DonationForm(request.POST or None, initial=initial, donors=selectors.donor_list(user=user),
                        communes=_province_communes(user))
    if request.method == "POST" and form.is_valid():
        try:
            donation = services.donation_record(actor=user, **form.service_values())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi khoản tài trợ."))
            return redirect("support:donation-detail", pk=donation.pk)
    return render(request, "support/donation_form.html", {"form": form}, status=422 if form.errors else 200)


def _detail(request: HttpRequest, donation: Donation, *, form: AllocationForm | None = None, status: int = 200,
            extra: dict[str, Any] | None = None) -> HttpResponse:
    user = request.user
    can_manage = access.can(user, "donation.manage")
    extra = dict(extra or {})
    if form is None and can_manage:
        extra.update(prefill_recipient(user, request))
        initial: dict[str, Any] = {"allocated_on": timezone.localdate(),
                                   **{k: extra[k].pk for k in ("person", "household") if k in extra}}
        need = request.GET.get("need", "")
        if need.isdigit():
            try:
                found = selectors.need_get(user=user, pk=int(need))
            except Http404:
                found = None
            if found is not None:
                extra["need"] = found
                initial["need"] = found.pk
                extra["person" if found.person_id else "household"] = found.person or found.household
                initial["person" if found.person_id else "household"] = (found.person_id or found.household_id)
        form = AllocationForm(initial=initial)
    allocations = selectors.donation_allocations(user=user, donation=donation)
    return render(request, "support/donation_detail.html", {
        "donation": donation, "allocations": allocations, "form": form, "can_manage": can_manage,
        "communes": list(donation.communes.order_by("name")), **extra,
    }, status=status)


@login_required
@require_GET
def donation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.donation_get(user=request.user, pk=pk))


@login_required
@require_POST
def allocation_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Give part of the donation; more than remains is refused with what remains."""
    user = request.user
    access.require(user, "donation.manage")
    donation = selectors.donation_get(user=user, pk=pk)
    form = AllocationForm(request.POST, request.FILES)
    extra = chosen(user, request.POST)
    need = None
    if str(request.POST.get("need", "")).isdigit():
        try:
            need = selectors.need_get(user=user, pk=int(request.POST["need"]))
            extra["need"] = need
        except Http404:
            need = None
    if form.is_valid():
        person, household = picked(user, form)
        if not form.errors:
            d = form.cleaned_data
            try:
                services.allocation_create(
                    actor=user, donation=donation, person=person, household=household, amount=d["amount"],
                    quantity=d["quantity"], allocated_on=d["allocated_on"], note=d["note"],
                    received_by=d["received_by"], received_on=d["received_on"], receipt_number=d["receipt_number"],
                    proof_file=d["proof_file"], need=need)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Đã phân bổ."))
                return redirect("support:donation-detail", pk=donation.pk)
    donation = selectors.donation_get(user=user, pk=pk)  # what remains now
    return _detail(request, donation, form=form, status=422, extra=extra)


@login_required
@require_http_methods(["GET", "POST"])
def allocation_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then undo an allocation entered by mistake; its share returns to the donation."""
    user = request.user
    access.require(user, "donation.manage")
    allocation = selectors.allocation_get(user=user, pk=pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.allocation_cancel(actor=user, allocation=allocation, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã hủy phân bổ; số lượng được trả lại khoản tài trợ."))
            return redirect("support:donation-detail", pk=allocation.donation_id)
    return render(request, "support/allocation_cancel.html", {"allocation": allocation, "form": form},
                  status=422 if form.errors else 200)


@login_required
@require_GET
def allocation_proof(request: HttpRequest, pk: int) -> FileResponse:
    user = request.user
    allocation = selectors.allocation_get(user=user, pk=pk)
    name, content_type, handle = selectors.proof_open(user=user, obj=allocation)
    return FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
