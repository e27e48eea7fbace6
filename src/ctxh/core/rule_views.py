"""The administrator's pages for rule rows (quy định) and the category lists (danh mục)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ctxh.accounts import access
from ctxh.core import rule_selectors as selectors
from ctxh.core import rule_services as services
from ctxh.core.exceptions import ConflictError
from ctxh.core.forms import apply_service_errors
from ctxh.core.models import Rule
from ctxh.core.rule_forms import KIND_NUMBER, RuleForm, SearchForm, kind_of

PAGE_SIZE = 25


def _key_url(key: str) -> str:
    return reverse("rules:key", args=[key])


def _arrears_message(request: HttpRequest, rule: Rule) -> None:
    run: services.ArrearsRun = getattr(rule, "arrears", services.ArrearsRun())
    as_of = f"{run.as_of:%d/%m/%Y}" if run.as_of else ""
    if run.status == "queued":
        messages.info(request, _("Quy định này thay đổi trợ cấp của những tháng đã chi từ %(date)s: hệ thống đang "
                                 "tính lại truy lĩnh; kết quả có ở trang Truy lĩnh.") % {"date": as_of})
    elif run.status == "unavailable":
        messages.warning(request, _("Quy định này ảnh hưởng đến trợ cấp đã chi từ ngày %(date)s; chức năng tính "
                                    "truy lĩnh chưa có, hãy rà soát lại các khoản đã chi.") % {"date": as_of})


@login_required
@require_GET
def rule_list(request: HttpRequest) -> HttpResponse:
    """Rules grouped by the first part of their key; the value in force today and the history of each."""
    prefixes = selectors.rule_prefixes(user=request.user)
    form = SearchForm(request.GET or None, prefixes=prefixes)
    q = prefix = ""
    if form.is_bound and form.is_valid():
        q, prefix = form.cleaned_data["q"], form.cleaned_data["group"]
    keys = selectors.rule_keys(user=request.user, q=q, prefix=prefix)
    page = Paginator(keys, PAGE_SIZE).get_page(request.GET.get("page"))
    groups: list[tuple[str, list[Any]]] = []
    for k in page.object_list:
        if not groups or groups[-1][0] != k.prefix:
            groups.append((k.prefix, []))
        groups[-1][1].append(k)
    return render(request, "core/rule_list.html", {
        "form": form, "page": page, "groups": groups, "q": q, "prefix": prefix, "total": len(keys)})


@login_required
@require_GET
def rule_key(request: HttpRequest, key: str) -> HttpResponse:
    """One rule: every row, newest first, with edit and (future rows only) delete."""
    history = selectors.rule_history(user=request.user, key=key)
    return render(request, "core/rule_key.html", {"rule": history})


@login_required
@require_http_methods(["GET", "POST"])
def rule_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "rules.manage")
    initial: dict[str, Any] = {"value_kind": KIND_NUMBER}
    key = request.GET.get("key", "").strip()
    if key:
        initial["key"] = key
        latest = Rule.objects.filter(key=key).order_by("-valid_from").first()
        if latest is not None:  # same kind and unit as before; the document must be the new one
            initial.update(value_kind=kind_of(latest.value), unit=latest.unit)
    form = RuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            rule = services.rule_add(actor=request.user, key=form.cleaned_data["key"], **form.service_data())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm giá trị %(key)s từ %(date)s.") % {
                "key": rule.key, "date": f"{rule.valid_from:%d/%m/%Y}"})
            _arrears_message(request, rule)
            return redirect(_key_url(rule.key))
    back = _key_url(key) if key and Rule.objects.filter(key=key).exists() else reverse("rules:list")
    return render(request, "core/rule_form.html", {"form": form, "back": back, "rule": None},
                  status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rule = selectors.rule_get(user=request.user, pk=pk)
    initial = {**RuleForm.initial_for(rule), "fingerprint": services.rule_fingerprint(rule)}
    form = RuleForm(request.POST or None, initial=initial, editing=True)
    context: dict[str, Any] = {"form": form, "rule": rule, "back": _key_url(rule.key)}
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.rule_change(actor=request.user, rule=rule, expected=form.cleaned_data["fingerprint"],
                                         **form.service_data())
        except ConflictError as exc:
            context["conflict"] = exc
            current = Rule.objects.filter(pk=pk).first()
            if current is None:
                messages.error(request, exc.message)
                return redirect(_key_url(rule.key))
            context["current"] = selectors.rule_get(user=request.user, pk=pk)
            post = request.POST.copy()
            post["fingerprint"] = services.rule_fingerprint(current)
            context["form"] = RuleForm(post, initial=initial, editing=True)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu dòng %(key)s từ %(date)s.") % {
                "key": saved.key, "date": f"{saved.valid_from:%d/%m/%Y}"})
            _arrears_message(request, saved)
            return redirect(_key_url(saved.key))
    status = 409 if "conflict" in context else (422 if form.errors else 200)
    return render(request, "core/rule_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def rule_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask first (GET), then delete (POST) — only a row whose date has not come yet."""
    rule = selectors.rule_get(user=request.user, pk=pk)
    if request.method == "POST":
        try:
            services.rule_remove(actor=request.user, rule=rule, expected=request.POST.get("fingerprint", ""))
        except ConflictError as exc:
            rule = selectors.rule_get(user=request.user, pk=pk)
            return render(request, "core/rule_confirm_delete.html", {
                "rule": rule, "back": _key_url(rule.key), "conflict": exc.message,
                "fingerprint": services.rule_fingerprint(rule)}, status=409)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã xóa dòng %(key)s từ %(date)s.") % {
                "key": rule.key, "date": f"{rule.valid_from:%d/%m/%Y}"})
            if not Rule.objects.filter(key=rule.key).exists():
                return redirect("rules:list")
        return redirect(_key_url(rule.key))
    return render(request, "core/rule_confirm_delete.html", {
        "rule": rule, "back": _key_url(rule.key), "fingerprint": services.rule_fingerprint(rule)})


@login_required
@require_GET
def term_vocabularies(request: HttpRequest) -> HttpResponse:
    return render(request, "core/rule_terms.html", {"vocabularies": selectors.term_vocabularies(user=request.user)})


@login_required
@require_GET
def term_list(request: HttpRequest, vocabulary: str) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    terms = selectors.term_list(user=request.user, vocabulary=vocabulary, q=q)
    page = Paginator(terms, PAGE_SIZE * 2).get_page(request.GET.get("page"))
    return render(request, "core/rule_term_list.html", {"vocabulary": vocabulary, "page": page, "q": q})
