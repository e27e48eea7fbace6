"""Registry pages. Thin: forms parse, selectors read (scoped), services write."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ctxh.accounts import access
from ctxh.core.exceptions import ConflictError
from ctxh.core.forms import apply_service_errors
from ctxh.core.htmx import partial_or_full
from ctxh.geo.models import Commune
from ctxh.people import selectors, services
from ctxh.people.forms import (
    ConsentForm,
    DisabilityForm,
    EndDateForm,
    GroupMembershipForm,
    HouseholdForm,
    MemberForm,
    PersonFilterForm,
    PersonForm,
    PovertyForm,
    RemoveMemberForm,
    WithdrawForm,
    parse_partial_date,
)
from ctxh.people.models import Consent, GroupMembership, HouseholdMember

PAGE_SIZE = 25
SEARCH_LIMIT = 20
TABS = ["overview", "household", "groups", "disability", "consent", "history"]


def _covered_communes(user: Any) -> Any:
    cov = access.coverage(user)
    return Commune.objects.filter(province_id__in=cov.provinces) | Commune.objects.filter(pk__in=cov.communes)


def _require_view(user: Any) -> None:
    access.require(user, "person.view")


# People ---------------------------------------------------------------------

@login_required
@require_GET
def person_list(request: HttpRequest) -> HttpResponse:
    _require_view(request.user)
    form = PersonFilterForm(request.GET or None, communes=_covered_communes(request.user).order_by("name"))
    filters = selectors.PersonFilters()
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        filters = selectors.PersonFilters(
            q=d["q"], commune=d["commune"].pk if d["commune"] else None, sex=d["sex"],
            status=d["status"], group=d["group"], born_from=d["born_from"], born_to=d["born_to"],
            sort=d["sort"] or "name",
        )
    page = Paginator(selectors.person_list(user=request.user, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page"))
    template = partial_or_full(request, "people/person_list.html", "people/_person_table.html")
    return render(request, template, {"form": form, "page": page, "sort": filters.sort})


@login_required
@require_GET
def person_search(request: HttpRequest) -> HttpResponse:
    """Results as the user types (htmx): at most 20, scoped, no access logged for a list."""
    _require_view(request.user)
    q = request.GET.get("q", "").strip()
    found = selectors.person_search(user=request.user, q=q, limit=SEARCH_LIMIT) if q else None
    return render(request, "people/_search_results.html", {
        "results": found.people if found else [], "truncated": found.truncated if found else False,
        "q": q, "pick": request.GET.get("pick") == "1"})


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "person.change")
    form = PersonForm(request.POST or None, initial={"full_name": request.GET.get("full_name", "")})
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_register(
                actor=request.user, data=form.service_data(),
                duplicate_reason=form.cleaned_data.get("duplicate_reason", ""),
                confirm_id_warning=form.cleaned_data["confirm_id_warning"],
            )
        except services.DuplicateSuspected as exc:
            context["duplicates"] = selectors.DuplicateReport(exc.visible, exc.hidden_count)
            apply_service_errors(form, exc)
        except services.IdWarning as exc:
            context["id_warnings"] = exc.warnings
            apply_service_errors(form, exc)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã đăng ký %(name)s.") % {"name": person.full_name})
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/person_form.html", context, status=422 if form.errors else 200)


@login_required
@require_GET
def person_duplicates(request: HttpRequest) -> HttpResponse:
    """The likely-duplicates panel, refreshed while the registration form is filled in."""
    access.require(request.user, "person.change")
    name = request.GET.get("full_name", "").strip()
    cccd = request.GET.get("cccd", "").strip()
    report = None
    if len(name.split()) >= 2 or len(cccd) == 12:
        try:
            year = parse_partial_date(request.GET.get("birth", "")).__getitem__(0).year
        except ValueError:
            year = None
        try:
            province_id = int(request.GET.get("province") or 0) or None
        except ValueError:
            province_id = None
        exclude = request.GET.get("exclude")
        report = selectors.duplicate_report(
            user=request.user, full_name=name, birth_year=year, province_id=province_id, cccd=cccd,
            exclude_id=int(exclude) if exclude and exclude.isdigit() else None,
        )
    return render(request, "people/_duplicates.html", {"duplicates": report})


@login_required
@require_GET
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_view(request.user)
    person = selectors.person_open(user=request.user, pk=pk)
    tab = request.GET.get("tab", "overview")
    if tab not in TABS:
        tab = "overview"
    context: dict[str, Any] = {"person": person, "tab": tab, "tabs": TABS}
    if tab == "household":
        member = HouseholdMember.objects.filter(person=person).select_related("household").first()
        context["membership"] = member
        if member:
            context["members"] = selectors.household_members(user=request.user, household=member.household)
    elif tab == "groups":
        context["groups"] = person.groups.select_related("group")
    elif tab == "disability":
        context["disabilities"] = person.disabilities.select_related("type", "level", "issuing_commune")
    elif tab == "consent":
        context["consents"] = person.consents.select_related("recorded_by")
    elif tab == "history":
        context["history"] = selectors.person_history(user=request.user, person=person)
    return render(request, "people/person_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(request.user, "person.change")
    person = selectors.person_get(user=request.user, pk=pk)
    form = PersonForm(request.POST or None, person=person)
    context: dict[str, Any] = {"form": form, "person": person}
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(
                actor=request.user, person=person, data=form.service_data(),
                expected_version=form.cleaned_data.get("version") or 0,
                confirm_id_warning=form.cleaned_data["confirm_id_warning"],
            )
        except ConflictError as exc:
            context["conflict"] = exc
            # Keep what the user typed; a second save is then a deliberate overwrite.
            data = request.POST.copy()
            data["version"] = str(selectors.person_get(user=request.user, pk=pk).version)
            form = PersonForm(data, person=person)
            form.is_valid()
            context["form"] = form
        except services.IdWarning as exc:
            context["id_warnings"] = exc.warnings
            apply_service_errors(form, exc)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect("people:detail", pk=person.pk)
    status = 409 if "conflict" in context else (422 if form.errors else 200)
    return render(request, "people/person_form.html", context, status=status)


def _small_form(request: HttpRequest, form: Any, title: str, back: str, save: Any, *,
                success: str, redirect_to: str, person: Any = None) -> HttpResponse:
    """GET shows a one-purpose form; POST runs the service and returns to the record."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect(redirect_to)
    return render(request, "people/small_form.html",
                  {"form": form, "title": title, "back": back, "person": person},
                  status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def group_add(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(request.user, "person.change")
    person = selectors.person_get(user=request.user, pk=pk)
    back = reverse("people:detail", args=[pk]) + "?tab=groups"
    return _small_form(
        request, GroupMembershipForm(request.POST or None), _("Thêm diện đối tượng"), back,
        lambda d: services.group_membership_add(actor=request.user, person=person, **d),
        success=_("Đã thêm diện đối tượng."), redirect_to=back, person=person,
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_end(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(request.user, "person.change")
    gm = get_object_or_404(GroupMembership.objects.select_related("group"), pk=pk)
    person = selectors.person_get(user=request.user, pk=gm.person_id)
    back = reverse("people:detail", args=[person.pk]) + "?tab=groups"
    return _small_form(
        request, EndDateForm(request.POST or None), _("Kết thúc diện: %(g)s") % {"g": gm.group}, back,
        lambda d: services.group_membership_end(actor=request.user, membership=gm, end_date=d["end_date"]),
        success=_("Đã ghi ngày kết thúc."), redirect_to=back, person=person,
    )


@login_required
@require_http_methods(["GET", "POST"])
def disability_add(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(request.user, "person.change")
    person = selectors.person_get(user=request.user, pk=pk)
    back = reverse("people:detail", args=[pk]) + "?tab=disability"
    return _small_form(
        request, DisabilityForm(request.POST or None, province_id=person.province_id),
        _("Ghi nhận khuyết tật"), back,
        lambda d: services.disability_record(actor=request.user, person=person, **d),
        success=_("Đã ghi nhận khuyết tật."), redirect_to=back, person=person,
    )


@login_required
@require_http_methods(["GET", "POST"])
def consent_add(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(request.user, "person.change")
    person = selectors.person_get(user=request.user, pk=pk)
    back = reverse("people:detail", args=[pk]) + "?tab=consent"
    return _small_form(
        request, ConsentForm(request.POST or None), _("Ghi nhận sự đồng ý"), back,
        lambda d: services.consent_record(actor=request.user, person=person, data=d),
        success=_("Đã ghi nhận sự đồng ý."), redirect_to=back, person=person,
    )


@login_required
@require_http_methods(["GET", "POST"])
def consent_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(request.user, "person.change")
    consent = get_object_or_404(Consent, pk=pk)
    person = selectors.person_get(user=request.user, pk=consent.person_id)
    back = reverse("people:detail", args=[person.pk]) + "?tab=consent"
    return _small_form(
        request, WithdrawForm(request.POST or None), _("Rút lại sự đồng ý"), back,
        lambda d: services.consent_withdraw(actor=request.user, consent=consent,
                                            withdrawn_on=d["withdrawn_on"], reason=d["reason"]),
        success=_("Đã ghi nhận việc rút lại sự đồng ý."), redirect_to=back, person=person,
    )


# Households -------------------------------------------------------------------

@login_required
@require_GET
def household_list(request: HttpRequest) -> HttpResponse:
    _require_view(request.user)
    q = request.GET.get("q", "").strip()
    try:
        commune = int(request.GET.get("commune") or 0) or None
    except ValueError:
        commune = None
    page = Paginator(selectors.household_list(user=request.user, q=q, commune=commune), PAGE_SIZE).get_page(
        request.GET.get("page"))
    template = partial_or_full(request, "people/household_list.html", "people/_household_table.html")
    return render(request, template, {
        "page": page, "q": q, "commune": commune,
        "communes": _covered_communes(request.user).order_by("name"),
    })


@login_required
@require_http_methods(["GET", "POST"])
def household_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "household.change")
    form = HouseholdForm(request.POST or None)
    head = None
    head_id = request.POST.get("head") or request.GET.get("head")
    if head_id and head_id.isdigit():
        head = selectors.person_get(user=request.user, pk=int(head_id))
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in ("province", "commune", "address_detail", "notes")}
        try:
            household = services.household_create(actor=request.user, data=data, head=head)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã tạo hộ %(code)s.") % {"code": household.code})
            return redirect("people:household-detail", pk=household.pk)
    return render(request, "people/household_form.html", {"form": form, "head": head},
                  status=422 if form.errors else 200)


@login_required
@require_GET
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_view(request.user)
    household = selectors.household_get(user=request.user, pk=pk)
    return render(request, "people/household_detail.html", {
        "household": household,
        "members": selectors.household_members(user=request.user, household=household),
        "poverty": household.poverty.select_related("standard"),
        "member_form": MemberForm(),
        "poverty_form": PovertyForm(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def household_edit(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(request.user, "household.change")
    household = selectors.household_get(user=request.user, pk=pk)
    form = HouseholdForm(request.POST or None, initial={
        "province": household.province_id, "commune": household.commune_id,
        "address_detail": household.address_detail, "notes": household.notes, "version": household.version})
    context: dict[str, Any] = {"form": form, "household": household}
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in ("province", "commune", "address_detail", "notes")}
        try:
            services.household_update(actor=request.user, household=household, data=data,
                                      expected_version=form.cleaned_data.get("version") or 0)
        except ConflictError as exc:
            context["conflict"] = exc
            post = request.POST.copy()
            post["version"] = str(selectors.household_get(user=request.user, pk=pk).version)
            context["form"] = HouseholdForm(post)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect("people:household-detail", pk=pk)
    status = 409 if "conflict" in context else (422 if form.errors else 200)
    return render(request, "people/household_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def household_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(request.user, "household.change")
    household = selectors.household_get(user=request.user, pk=pk)
    form = MemberForm(request.POST or None)
    back = reverse("people:household-detail", args=[pk])
    if request.method == "POST" and form.is_valid():
        try:
            person = selectors.person_get(user=request.user, pk=form.cleaned_data["person"])
            services.household_member_add(
                actor=request.user, household=household, person=person,
                relationship=form.cleaned_data["relationship"], joined_on=form.cleaned_data["joined_on"])
        except Http404:
            form.add_error("person", _("Không tìm thấy người này trong địa bàn của bạn."))
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm thành viên."))
            return redirect(back)
    return render(request, "people/member_form.html", {"form": form, "household": household, "back": back},
                  status=422 if form.errors else 200)


@login_required
@require_POST
def household_member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(request.user, "household.change")
    member = selectors.household_member_get(user=request.user, pk=pk)
    household = member.household
    form = RemoveMemberForm(request.POST)
    if form.is_valid():
        try:
            services.household_member_remove(actor=request.user, member=member, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã chuyển thành viên khỏi hộ."))
    else:
        messages.error(request, _("Cần ghi lý do chuyển khỏi hộ."))
    return redirect("people:household-detail", pk=household.pk)


@login_required
@require_POST
def household_poverty(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(request.user, "household.change")
    household = selectors.household_get(user=request.user, pk=pk)
    form = PovertyForm(request.POST)
    if form.is_valid():
        try:
            services.household_poverty_set(actor=request.user, household=household, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã ghi kết quả rà soát hộ nghèo."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("people:household-detail", pk=pk)
