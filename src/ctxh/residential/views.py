"""Residential care pages. Thin: forms parse, selectors read (scoped), services write."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from ctxh.core.exceptions import ConflictError
from ctxh.core.forms import apply_service_errors
from ctxh.core.htmx import partial_or_full
from ctxh.core.rules import RuleMissing, rule_row
from ctxh.geo.models import Commune
from ctxh.network.models import Provider
from ctxh.people import selectors as people_selectors
from ctxh.residential import selectors, services
from ctxh.residential.forms import (
    AdmissionEditForm,
    AdmitForm,
    DischargeForm,
    FollowUpForm,
    ReintegrationForm,
    ResidentFilterForm,
    follow_up_months,
)
from ctxh.residential.models import REINTEGRATION_REASONS, Admission
from ctxh.residential.reference import RULE_FOLLOW_UP_INTERVAL, RULE_FOLLOW_UP_MONTHS

PAGE_SIZE = 25
DUE_ROWS = 200


def _require_manage(user: Any, facility: Provider) -> None:
    if not selectors.can_manage(user, facility):
        raise PermissionDenied(_("Bạn chỉ được xem, không được cập nhật thông tin của cơ sở này."))


def _case_for(user: Any, number: str) -> Any:
    """The case the user typed the number of, within what they may see; None when left blank."""
    number = (number or "").strip()
    if not number:
        return None
    from ctxh.cases.selectors import case_queryset

    case = case_queryset(user=user).filter(number__iexact=number).first()
    if case is None:
        raise ValidationError({"case_number": [_("Không tìm thấy hồ sơ số này trong phạm vi bạn được xem.")]})
    return case


def _home_communes(admission: Admission) -> Any:
    """Where a person may go home to: the facility's province, and their own commune wherever it is."""
    return Commune.objects.filter(
        Q(province_id=admission.facility.province_id) | Q(pk=admission.person.commune_id)).order_by("name")


def _transfer_targets(admission: Admission) -> Any:
    return Provider.objects.filter(is_residential=True, is_active=True,
                                   province_id=admission.facility.province_id).exclude(
        pk=admission.facility_id).order_by("name")


_ERRORS = {"case": "case_number", "person": None, "facility": None}


# Facilities -------------------------------------------------------------------------------------


@login_required
@require_GET
def facility_list(request: HttpRequest) -> HttpResponse:
    """Every facility the user sees with its places taken and free, fullest highlighted."""
    user = request.user
    selectors.require_view(user)
    q = request.GET.get("q", "").strip()
    rows = selectors.occupancy_list(user=user, q=q)
    totals = {
        "capacity": sum(r.capacity or 0 for r in rows), "occupied": sum(r.occupied for r in rows),
        "state": sum(r.state for r in rows), "voluntary_paid": sum(r.voluntary_paid for r in rows),
        "temporary": sum(r.temporary for r in rows), "monthly_fees": sum(r.monthly_fees for r in rows),
    }
    manageable = set(selectors.manageable_facilities(user=user).values_list("pk", flat=True))
    return render(request, "residential/facility_list.html", {
        "rows": rows, "totals": totals, "q": q, "manageable": manageable,
        "near_percent": selectors.near_full_percent(),
    })


@login_required
@require_GET
@vary_on_headers("HX-Request")
def facility_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A facility's residents now (search, sort, pages) and, in a tab, those who left."""
    user = request.user
    facility = selectors.facility_get(user=user, pk=pk)
    form = ResidentFilterForm(request.GET or None)
    d = form.cleaned_data if form.is_valid() else {}
    tab = d.get("tab") or "current"
    filters = selectors.ResidentFilters(facility=facility.pk, current=(tab == "current"), q=d.get("q", ""),
                                        kind=d.get("kind", ""), sort=d.get("sort", ""))
    page = Paginator(selectors.resident_list(user=user, filters=filters), PAGE_SIZE).get_page(request.GET.get("page"))
    default_sort = "name" if tab == "current" else "-discharged"
    context = {"facility": facility, "form": form, "page": page, "tab": tab, "sort": filters.sort or default_sort}
    template = partial_or_full(request, "residential/facility_detail.html", "residential/_resident_table.html")
    if template != "residential/_resident_table.html":
        context["occ"] = selectors.occupancy_of(facility)
        context["may_manage"] = selectors.can_manage(user, facility)
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def admit(request: HttpRequest, pk: int) -> HttpResponse:
    """Take a person into the facility: pick them from the registry, then the decision and kind of care."""
    user = request.user
    facility = selectors.facility_get(user=user, pk=pk)
    _require_manage(user, facility)
    person_id = request.POST.get("person") or request.GET.get("person") or ""
    form = AdmitForm(request.POST or None, initial={"person": person_id})
    person = None
    if person_id.isdigit():
        try:
            person = people_selectors.person_get(user=user, pk=int(person_id))
        except Http404:
            person = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if person is None:
            form.add_error("person", _("Không tìm thấy đối tượng này trong địa bàn của bạn."))
        else:
            try:
                admission = services.admission_create(
                    actor=user, person=person, facility=facility, case=_case_for(user, d["case_number"]),
                    over_capacity_reason=d["over_capacity_reason"],
                    **{f: d[f] for f in AdmitForm.SERVICE_FIELDS},
                )
            except ValidationError as exc:
                apply_service_errors(form, exc, _ERRORS)
            else:
                messages.success(request, _("Đã tiếp nhận %(p)s vào %(f)s.") % {
                    "p": person.full_name, "f": facility.name})
                return redirect("residential:resident", pk=admission.pk)
    return render(request, "residential/admit_form.html", {
        "form": form, "facility": facility, "person": person, "occ": selectors.occupancy_of(facility),
        "may_override": selectors.may_override_capacity(user, facility),
    }, status=422 if form.errors else 200)


# One resident -------------------------------------------------------------------------------------


def _detail_context(request: HttpRequest, admission: Admission, **overrides: Any) -> dict[str, Any]:
    user = request.user
    today = timezone.localdate()
    may_manage = selectors.can_manage(user, admission.facility)
    reintegration = selectors.reintegration_of(admission)
    ctx: dict[str, Any] = {
        "a": admission, "may_manage": may_manage, "reintegration": reintegration,
        "case_number": selectors.visible_case_number(user=user, admission=admission),
        "follow_ups": selectors.follow_ups_of(reintegration) if reintegration else [],
        "next_follow_up": selectors.next_follow_up(reintegration, on=today) if reintegration else None,
        "today": today, "reintegration_reasons": [str(r) for r in REINTEGRATION_REASONS],
        "age": admission.person.age_on(today),
        "follow_up_months": follow_up_months(today),
    }
    try:
        ctx["follow_up_rule"] = rule_row(RULE_FOLLOW_UP_MONTHS, admission.discharged_on or today)
        ctx["interval_rule"] = rule_row(RULE_FOLLOW_UP_INTERVAL, today)
    except RuleMissing:
        pass
    if may_manage and admission.is_open:
        ctx["discharge_form"] = DischargeForm(admission=admission, communes=_home_communes(admission),
                                              facilities=_transfer_targets(admission))
    if may_manage and not admission.is_open and admission.discharge_reason in REINTEGRATION_REASONS \
            and reintegration is None:
        ctx["reintegration_form"] = ReintegrationForm(admission=admission, communes=_home_communes(admission))
    if may_manage and reintegration is not None:
        ctx["follow_up_form"] = FollowUpForm()
    ctx.update(overrides)
    return ctx


@login_required
@require_GET
def resident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One resident's stay, discharge, return home and follow-ups; every opening is logged."""
    admission = selectors.resident_open_for_read(user=request.user, pk=pk)
    return render(request, "residential/resident_detail.html", _detail_context(request, admission))


@login_required
@require_http_methods(["GET", "POST"])
def resident_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct the admission facts; a save after someone else's is refused and shows what changed."""
    user = request.user
    admission = selectors.admission_get(user=user, pk=pk)
    _require_manage(user, admission.facility)
    case_number = selectors.visible_case_number(user=user, admission=admission)
    if request.method == "GET":
        selectors.resident_open_for_read(user=user, pk=pk, purpose="edit")
        form = AdmissionEditForm(admission=admission, case_number=case_number)
        return render(request, "residential/admission_edit.html", {"form": form, "a": admission})
    form = AdmissionEditForm(request.POST, admission=admission, case_number=case_number)
    conflict = None
    if form.is_valid():
        d = form.cleaned_data
        changed = form.changed_for_service()
        data = {f: d[f] for f in changed if f != "case_number"}
        try:
            if "case_number" in changed and not form.hidden_case:
                data["case"] = _case_for(user, d["case_number"])
            services.admission_update(actor=user, admission=admission, data=data, expected_version=d["version"])
        except ConflictError as exc:
            conflict = exc
            fresh = selectors.admission_get(user=user, pk=pk)
            post = request.POST.copy()
            post["version"] = str(fresh.version)
            form = AdmissionEditForm(post, admission=fresh, case_number=case_number)
            form.is_valid()
        except ValidationError as exc:
            apply_service_errors(form, exc, _ERRORS)
        else:
            messages.success(request, _("Đã lưu thông tin tiếp nhận."))
            return redirect("residential:resident", pk=pk)
    return render(request, "residential/admission_edit.html", {"form": form, "a": admission, "conflict": conflict},
                  status=409 if conflict else 422)


@login_required
@require_POST
def resident_discharge(request: HttpRequest, pk: int) -> HttpResponse:
    """The resident leaves; a return home records who took them in, in the same transaction."""
    user = request.user
    admission = selectors.admission_get(user=user, pk=pk)
    _require_manage(user, admission.facility)
    form = DischargeForm(request.POST, admission=admission, communes=_home_communes(admission),
                         facilities=_transfer_targets(admission))
    conflict = None
    if form.is_valid():
        d = form.cleaned_data
        try:
            with transaction.atomic():
                done = services.resident_discharge(
                    actor=user, admission=admission, discharged_on=d["discharged_on"], reason=d["reason"],
                    decision=d["decision"], note=d["note"], transferred_to=d["transferred_to"],
                    expected_version=d["version"])
                if done.discharge_reason in REINTEGRATION_REASONS:
                    try:
                        services.reintegration_record(
                            actor=user, admission=done, commune=d["commune"], receiver_name=d["receiver_name"],
                            receiver_relationship=d["receiver_relationship"], receiver_phone=d["receiver_phone"],
                            address_detail=d["address_detail"], follow_up_until=d["follow_up_until"],
                            notes=d["reintegration_notes"])
                    except ValidationError as exc:
                        if hasattr(exc, "error_dict") and "notes" in exc.error_dict:
                            exc.error_dict["reintegration_notes"] = exc.error_dict.pop("notes")
                        raise
        except ConflictError as exc:
            conflict = exc
        except ValidationError as exc:
            apply_service_errors(form, exc, {"reason": "reason"})
        else:
            messages.success(request, _("Đã ghi nhận %(p)s rời cơ sở ngày %(d)s.") % {
                "p": admission.person.full_name, "d": f"{d['discharged_on']:%d/%m/%Y}"})
            return redirect("residential:resident", pk=pk)
    fresh = selectors.admission_get(user=user, pk=pk)
    ctx = _detail_context(request, fresh, conflict=conflict)
    if fresh.is_open:
        if conflict:
            post = request.POST.copy()
            post["version"] = str(fresh.version)
            form = DischargeForm(post, admission=fresh, communes=_home_communes(fresh),
                                 facilities=_transfer_targets(fresh))
            form.is_valid()
        ctx["discharge_form"] = form
        ctx["discharge_open"] = True
    return render(request, "residential/resident_detail.html", ctx, status=409 if conflict else 422)


@login_required
@require_POST
def reintegration(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the return home of a person who already left (when it was not recorded at discharge)."""
    user = request.user
    admission = selectors.admission_get(user=user, pk=pk)
    _require_manage(user, admission.facility)
    form = ReintegrationForm(request.POST, admission=admission, communes=_home_communes(admission))
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.reintegration_record(
                actor=user, admission=admission, commune=d["commune"], receiver_name=d["receiver_name"],
                receiver_relationship=d["receiver_relationship"], receiver_phone=d["receiver_phone"],
                address_detail=d["address_detail"], follow_up_until=d["follow_up_until"], notes=d["notes"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi thông tin tái hòa nhập."))
            return redirect("residential:resident", pk=pk)
    ctx = _detail_context(request, admission)
    if "reintegration_form" not in ctx:
        # Nothing to record here any more (already recorded, or not a return home).
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs)
                       or _("Không ghi được thông tin tái hòa nhập cho lượt ở này."))
        return redirect("residential:resident", pk=pk)
    ctx["reintegration_form"] = form
    return render(request, "residential/resident_detail.html", ctx, status=422)


@login_required
@require_POST
def follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a follow-up visit to a person back home."""
    user = request.user
    admission = selectors.admission_get(user=user, pk=pk)
    _require_manage(user, admission.facility)
    found = selectors.reintegration_of(admission)
    if found is None:
        raise Http404
    form = FollowUpForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.follow_up_record(actor=user, reintegration=found, visited_on=d["visited_on"],
                                      situation=d["situation"], notes=d["notes"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi lần theo dõi ngày %(d)s.") % {"d": f"{d['visited_on']:%d/%m/%Y}"})
            if request.POST.get("next") == "due":
                return redirect("residential:follow-ups")
            return redirect("residential:resident", pk=pk)
    return render(request, "residential/resident_detail.html",
                  _detail_context(request, admission, follow_up_form=form), status=422)


@login_required
@require_GET
def follow_ups_due(request: HttpRequest) -> HttpResponse:
    """People back home whose monthly visit is due or overdue, most overdue first."""
    user = request.user
    selectors.require_view(user)
    today = timezone.localdate()
    rows = selectors.follow_ups_due(user=user, on=today)
    return render(request, "residential/follow_ups_due.html", {
        "rows": rows[:DUE_ROWS], "more": max(0, len(rows) - DUE_ROWS), "today": today,
        "overdue": sum(1 for r in rows if r.overdue), "soon_days": selectors.due_soon_days(),
    })
