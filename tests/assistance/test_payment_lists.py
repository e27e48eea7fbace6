"""Monthly payment lists: who is on them, totals, paying line by line, closing, corrections."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Sum

from ctxh.assistance import selectors, services
from ctxh.assistance.models import ListClosed, PaymentLine, PaymentList, PaymentRun
from ctxh.audit.models import AuditEntry
from tests.assistance.factories import entitled

D = dt.date
MONTH = D(2025, 9, 1)


@pytest.fixture
def c1_people(geo):
    """Entitlements of commune c1 (and one of c2) around September 2025."""
    c1 = geo["c1"]
    return {
        "active": entitled(c1, name="Nguyễn Thị Lan", coefficient="1.5"),
        "bank": entitled(c1, name="Vũ Văn Hải", coefficient="2.5", method="bank", group="d20_5_1_under4",
                         label="Trẻ em dưới 4 tuổi"),
        "ends_in_month": entitled(c1, name="Lê Văn Tâm", status="stopped", stop_on=D(2025, 9, 18)),
        "ended_before": entitled(c1, name="Đỗ Thị Nga", status="stopped", stop_on=D(2025, 8, 31)),
        "starts_in_month": entitled(c1, name="Phan Văn Khoa", start_on=D(2025, 9, 30)),
        "starts_after": entitled(c1, name="Bùi Thị Yến", start_on=D(2025, 10, 1)),
        "proposed": entitled(c1, name="Trịnh Văn Long", status="proposed"),
        "rejected": entitled(c1, name="Hà Thị Mơ", status="rejected"),
        "other_commune": entitled(geo["c2"], name="Mai Văn Sáu"),
    }


def test_it_lists_exactly_the_entitlements_active_in_the_month(cast, geo, c1_people):
    plist = services.payment_list_generate(actor=cast.collaborator, commune=geo["c1"], month=D(2025, 9, 17))
    assert plist.month == MONTH
    on_list = set(plist.lines.values_list("entitlement_id", flat=True))
    expected = {c1_people[k].pk for k in ("active", "bank", "ends_in_month", "starts_in_month")}
    assert on_list == expected
    line = plist.lines.get(entitlement=c1_people["bank"])
    assert (line.base_level, line.amount, line.arrears, line.total) == (500_000, 1_250_000, 0, 1_250_000)
    assert line.method == "bank" and line.bank_account == "123456789012"
    assert line.full_name == "Vũ Văn Hải" and line.birth_year == 1980
    assert line.address.startswith("Thôn Đông, ")
    assert AuditEntry.objects.filter(action="payment_list.generated", object_id=str(plist.pk)).exists()


def test_it_numbers_lines_by_group_then_given_name(cast, geo, c1_people):
    plist = services.payment_list_generate(actor=cast.collaborator, commune=geo["c1"], month=MONTH)
    rows = list(plist.lines.order_by("position").values_list("position", "group_code", "full_name"))
    assert [r[0] for r in rows] == [1, 2, 3, 4]
    assert rows[0][1] == "d20_5_1_under4"
    assert [r[2] for r in rows[1:]] == ["Phan Văn Khoa", "Nguyễn Thị Lan", "Lê Văn Tâm"]  # Khoa, Lan, Tâm


def test_its_totals_equal_the_sum_of_its_lines(cast, geo, c1_people):
    plist = services.payment_list_generate(actor=cast.collaborator, commune=geo["c1"], month=MONTH)
    first = plist.lines.order_by("position").first()
    services.payment_line_mark_paid(actor=cast.collaborator, line=first)
    plist.refresh_from_db()
    sums = PaymentLine.objects.filter(payment_list=plist).aggregate(
        n=Count("id"), a=Sum("amount"), r=Sum("arrears"), t=Sum("total"))
    assert (plist.line_count, plist.total_amount, plist.total_arrears, plist.total) == (
        sums["n"], sums["a"], sums["r"], sums["t"])
    assert plist.total == 750_000 * 3 + 1_250_000
    assert plist.paid_count == 1
    groups = selectors.group_totals(payment_list=plist)
    assert sum(g.total for g in groups) == plist.total and sum(g.count for g in groups) == plist.line_count
    assert {g.group_code: g.count for g in groups} == {"d20_5_1_under4": 1, "d20_5_7_severe_adult": 3}


def test_a_closed_list_refuses_every_edit(cast, geo, c1_people):
    plist = services.payment_list_generate(actor=cast.collaborator, commune=geo["c1"], month=MONTH)
    line = plist.lines.first()
    services.payment_list_close(actor=cast.director, payment_list=plist)
    with pytest.raises(ListClosed):
        services.payment_line_mark_paid(actor=cast.collaborator, line=line)
    with pytest.raises(ListClosed):
        services.payment_list_generate(actor=cast.collaborator, commune=geo["c1"], month=MONTH)
    with pytest.raises(ListClosed):
        services.payment_list_close(actor=cast.director, payment_list=plist)
    line.amount = 1
    line.total = 1
    with pytest.raises(ListClosed):
        line.save()
    with pytest.raises(ListClosed):
        line.delete()
    with pytest.raises(ListClosed):
        PaymentLine.objects.filter(payment_list=plist).update(amount=0)
    with pytest.raises(ListClosed):
        PaymentLine.objects.filter(payment_list=plist).delete()
    with pytest.raises(ListClosed):
        PaymentList.objects.get(pk=plist.pk).delete()
    with pytest.raises(ListClosed):
        PaymentList.objects.filter(pk=plist.pk).delete()
    assert PaymentLine.objects.get(pk=line.pk).amount != 1


def test_a_correction_is_a_new_line_on_a_correction_list(cast, geo, c1_people):
    plist = services.payment_list_generate(actor=cast.collaborator, commune=geo["c1"], month=MONTH)
    services.payment_list_close(actor=cast.director, payment_list=plist)
    before = PaymentList.objects.get(pk=plist.pk)
    line = plist.lines.get(entitlement=c1_people["ends_in_month"])
    fix = services.payment_correction_add(actor=cast.collaborator, payment_list=plist, line=line,
                                          amount_delta=-750_000, reason="Đã mất trước kỳ chi, gia đình báo muộn")
    assert fix.correction_of == line and fix.total == -750_000
    corr = fix.payment_list
    assert corr.kind == "correction" and corr.corrects == plist and corr.month == MONTH and corr.status == "draft"
    after = PaymentList.objects.get(pk=plist.pk)
    assert (after.total, after.line_count, after.version) == (before.total, before.line_count, before.version)
    corr.refresh_from_db()
    assert corr.total == -750_000
    second = services.payment_correction_add(actor=cast.collaborator, payment_list=plist, line=line,
                                             amount_delta=50_000, reason="Sửa lại số liệu")
    assert second.payment_list == corr
    with pytest.raises(ValidationError):  # the line would go below zero
        services.payment_correction_add(actor=cast.collaborator, payment_list=plist, line=line,
                                        amount_delta=-100_000, reason="Thừa")
    with pytest.raises(ValidationError):  # a reason is required
        services.payment_correction_add(actor=cast.collaborator, payment_list=plist, line=line,
                                        amount_delta=10_000, reason=" ")
    services.payment_list_close(actor=cast.director, payment_list=corr)
    assert PaymentList.objects.get(pk=corr.pk).is_closed


def test_it_does_not_correct_a_draft(cast, geo, c1_people):
    plist = services.payment_list_generate(actor=cast.collaborator, commune=geo["c1"], month=MONTH)
    with pytest.raises(ValidationError):
        services.payment_correction_add(actor=cast.collaborator, payment_list=plist, line=plist.lines.first(),
                                        amount_delta=1000, reason="x")


def test_marking_paid_twice_is_a_conflict_and_undo_works(cast, geo, c1_people):
    from ctxh.core.exceptions import ConflictError

    plist = services.payment_list_generate(actor=cast.collaborator, commune=geo["c1"], month=MONTH)
    line = plist.lines.first()
    services.payment_line_mark_paid(actor=cast.collaborator, line=line)
    with pytest.raises(ConflictError):
        services.payment_line_mark_paid(actor=cast.director, line=line)
    undone = services.payment_line_mark_paid(actor=cast.collaborator, line=line, paid=False)
    assert undone.paid_at is None and not undone.signed


def test_a_refresh_keeps_paid_lines_and_picks_up_new_decisions(cast, geo, c1_people):
    plist = services.payment_list_generate(actor=cast.collaborator, commune=geo["c1"], month=MONTH)
    paid = plist.lines.get(entitlement=c1_people["active"])
    services.payment_line_mark_paid(actor=cast.collaborator, line=paid)
    late = entitled(geo["c1"], name="An Văn Ba", start_on=D(2025, 9, 1))
    again = services.payment_list_generate(actor=cast.collaborator, commune=geo["c1"], month=MONTH)
    assert again.pk == plist.pk
    assert again.lines.count() == 5 and again.lines.filter(entitlement=late).exists()
    kept = again.lines.get(entitlement=c1_people["active"])
    assert kept.pk == paid.pk and kept.paid_at is not None
    assert sorted(again.lines.values_list("position", flat=True)) == [1, 2, 3, 4, 5]
    assert again.line_count == 5 and again.paid_count == 1


def test_closing_checks_the_version_and_needs_lines(cast, geo, c1_people):
    from ctxh.core.exceptions import ConflictError

    plist = services.payment_list_generate(actor=cast.collaborator, commune=geo["c1"], month=MONTH)
    seen = plist.version
    services.payment_line_mark_paid(actor=cast.collaborator, line=plist.lines.first())
    with pytest.raises(ConflictError):
        services.payment_list_close(actor=cast.director, payment_list=plist, expected_version=seen)
    empty = services.payment_list_generate(actor=cast.director, commune=geo["c3"], month=MONTH)
    with pytest.raises(ValidationError):
        services.payment_list_close(actor=cast.director, payment_list=empty)


def test_only_the_right_people_generate_mark_and_close(cast, geo, c1_people):
    from django.http import Http404

    for user in (cast.caseworker, cast.statistician, cast.outsider, cast.facility):
        with pytest.raises(PermissionDenied):
            services.payment_list_generate(actor=user, commune=geo["c1"], month=MONTH)
    with pytest.raises(ValidationError):  # another commune's collaborator
        services.payment_list_generate(actor=cast.collaborator2, commune=geo["c1"], month=MONTH)
    plist = services.payment_list_generate(actor=cast.collaborator, commune=geo["c1"], month=MONTH)
    with pytest.raises(PermissionDenied):
        services.payment_list_close(actor=cast.collaborator, payment_list=plist)
    with pytest.raises(Http404):
        services.payment_line_mark_paid(actor=cast.collaborator2, line=plist.lines.first())


def test_the_province_run_makes_every_commune_list_and_the_workbook(
        cast, geo, c1_people, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    closed_c2 = services.payment_list_generate(actor=cast.director, commune=geo["c2"], month=MONTH)
    services.payment_list_close(actor=cast.director, payment_list=closed_c2)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.payment_run_start(actor=cast.director, province=geo["province"], month=MONTH)
    run = PaymentRun.objects.get(pk=run.pk)
    assert run.status == "done", run.error
    assert (run.lists_made, run.lines_made, run.percent) == (1, 4, 100)
    assert run.export_file.endswith(".xlsx") and (tmp_path / run.export_file).exists()
    assert PaymentList.objects.get(pk=closed_c2.pk).line_count == 1  # closed: left as it was


def test_the_province_run_is_for_province_wide_staff(cast, geo):
    with pytest.raises(PermissionDenied):
        services.payment_run_start(actor=cast.collaborator, province=geo["province"], month=MONTH)


def test_lists_are_made_up_to_next_month_and_no_further(cast, geo, c1_people):
    from django.utils import timezone

    from ctxh.assistance.models import month_start, next_month

    following = next_month(month_start(timezone.localdate()))
    assert services.payment_list_generate(actor=cast.collaborator, commune=geo["c1"], month=following).month == following
    for ask in (lambda m: services.payment_list_generate(actor=cast.collaborator, commune=geo["c1"], month=m),
                lambda m: services.payment_run_start(actor=cast.director, province=geo["c1"].province, month=m)):
        with pytest.raises(ValidationError) as refused:
            ask(next_month(following))
        assert "Chỉ lập danh sách đến tháng sau." in str(refused.value)
    assert not PaymentList.objects.filter(month=next_month(following)).exists()
