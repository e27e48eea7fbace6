"""The administrator's rule editor pages (/rules/) and the category lists."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ctxh.audit.models import AuditEntry
from ctxh.core import rule_services
from ctxh.core.models import Rule
from ctxh.core.rules import rule_value

# A rule of this test's own: other apps' rows change as the law does.
BASE = "assistance.coef.ctxh_test"
ROW = {
    "key": BASE, "valid_from": "01/07/2026", "value_kind": "number", "value": "2,5",
    "unit": "hệ số", "source": "Quyết định thử nghiệm 2", "note": "",
}


@pytest.fixture(autouse=True)
def rows(db):
    Rule.objects.create(key=BASE, valid_from=dt.date(2021, 7, 1), value=1.5, unit="hệ số",
                        source="Nghị định 20/2021/NĐ-CP, Điều 6")
    return Rule.objects.create(key=BASE, valid_from=dt.date(2024, 7, 1), value=2.0, unit="hệ số",
                               source="Quyết định thử nghiệm 1")


def _future() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=30)


@pytest.fixture
def future_row(db):
    return Rule.objects.create(key=BASE, valid_from=_future(), value=3, unit="hệ số", source="Dự thảo")


def test_the_list_groups_rules_and_shows_the_value_in_force_and_the_history(login, cast):
    client = login(cast.admin)
    assert "<h2>assistance</h2>" in client.get(reverse("rules:list")).content.decode()
    page = client.get(reverse("rules:list"), {"q": "ctxh_test"}).content.decode()
    assert "<strong>2</strong> hệ số" in page  # in force today
    assert "Nghị định 20/2021/NĐ-CP, Điều 6" in page and "1,5" in page  # an older row, in the history


def test_the_list_searches_without_diacritics_and_filters_by_group(login, cast):
    client = login(cast.admin)
    found = client.get(reverse("rules:list"), {"q": "quyet dinh thu nghiem"}).content.decode()
    assert BASE in found and "poverty.area_by_division_type" not in found
    group = client.get(reverse("rules:list"), {"group": "poverty"}).content.decode()
    assert "poverty.area_by_division_type" in group and BASE not in group
    none = client.get(reverse("rules:list"), {"q": "khong co gi nhu the"}).content.decode()
    assert "Không có quy định nào khớp với điều kiện lọc." in none


def test_an_administrator_adds_a_row_with_a_past_date_and_the_value_changes(login, cast, monkeypatch):
    monkeypatch.setattr(rule_services, "_arrears_function", lambda: None)
    client = login(cast.admin)
    form = client.get(reverse("rules:create"), {"key": BASE}).content.decode()
    assert 'value="hệ số"' in form  # the unit of the rule is offered again
    response = client.post(reverse("rules:create"), ROW)
    assert response.status_code == 302 and response["Location"] == reverse("rules:key", args=[BASE])
    assert rule_value(BASE, dt.date(2026, 6, 30)) == 2.0
    assert rule_value(BASE, dt.date(2026, 7, 1)) == 2.5
    assert AuditEntry.objects.filter(action="rule.added", actor=cast.admin).count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "Đã thêm giá trị assistance.coef.ctxh_test từ 01/07/2026." in page
    assert "chức năng tính truy lĩnh chưa có" in page


def test_recomputed_arrears_are_announced(login, cast, geo, django_capture_on_commit_callbacks):
    from ctxh.assistance import services
    from ctxh.assistance.models import ArrearsItem
    from tests.assistance.factories import entitled

    entitled(geo["c1"], coefficient="2.0", start_on=dt.date(2025, 1, 1))
    plist = services.payment_list_generate(actor=cast.director, commune=geo["c1"], month=dt.date(2025, 9, 1))
    services.payment_list_close(actor=cast.director, payment_list=plist)
    client = login(cast.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("rules:create"), {
            **ROW, "key": "assistance.base_level", "valid_from": "01/09/2025", "value": "540.000",
            "unit": "VND/tháng"}, follow=True)
    assert "đang tính lại truy lĩnh" in response.content.decode()
    assert "01/09/2025" in response.content.decode()
    assert ArrearsItem.objects.filter(month=dt.date(2025, 9, 1), difference=80_000).count() == 1


def test_bad_json_and_a_missing_source_are_refused_in_vietnamese(login, cast):
    client = login(cast.admin)
    response = client.post(reverse("rules:create"), {
        **ROW, "key": "cases.deadline.test", "value_kind": "json", "value": "{hours: 12}", "source": ""})
    page = response.content.decode()
    assert response.status_code == 422
    assert "Giá trị JSON không hợp lệ ở dòng 1, cột 2." in page
    assert "Cần ghi văn bản quy định (số, ngày, cơ quan ban hành)." in page
    assert "{hours: 12}" in page  # what was typed stays
    assert not Rule.objects.filter(key="cases.deadline.test").exists()
    number = client.post(reverse("rules:create"), {**ROW, "value": "năm trăm"})
    assert "Giá trị số không hợp lệ. Ví dụ: 500.000 hoặc 1,5." in number.content.decode()


def test_json_and_text_values_are_stored_as_json(login, cast):
    client = login(cast.admin)
    client.post(reverse("rules:create"), {**ROW, "key": "cases.deadline.test", "value_kind": "json",
                                          "value": '{"hours": 12}', "unit": "giờ", "valid_from": "01/01/2020"})
    client.post(reverse("rules:create"), {**ROW, "key": "cases.label.test", "value_kind": "text",
                                          "value": " Khẩn cấp ", "unit": "", "valid_from": "01/01/2020"})
    assert Rule.objects.get(key="cases.deadline.test").value == {"hours": 12}
    assert Rule.objects.get(key="cases.label.test").value == "Khẩn cấp"


def test_editing_a_row_audits_the_diff_and_a_stale_form_shows_the_conflict(login, cast, monkeypatch):
    monkeypatch.setattr(rule_services, "_arrears_function", lambda: None)
    row = Rule.objects.get(key=BASE, valid_from=dt.date(2024, 7, 1))
    client = login(cast.admin)
    form = client.get(reverse("rules:edit", args=[row.pk])).content.decode()
    assert "Dòng này đã có hiệu lực" in form and "\n2</textarea>" in form
    fingerprint = rule_services.rule_fingerprint(row)
    data = {**ROW, "valid_from": "01/07/2024", "value": "2", "source": "Quyết định thử nghiệm 1",
            "note": "Đã đối chiếu", "fingerprint": fingerprint}
    assert client.post(reverse("rules:edit", args=[row.pk]), data).status_code == 302
    assert AuditEntry.objects.get(action="rule.changed").changes == {"rule": BASE, "note": ["", "Đã đối chiếu"]}
    stale = client.post(reverse("rules:edit", args=[row.pk]), {**data, "value": "2,75"})
    page = stale.content.decode()
    assert stale.status_code == 409
    assert "vừa được người khác sửa" in page and "\n2,75</textarea>" in page
    row.refresh_from_db()
    assert row.value == 2


def test_a_future_row_is_deleted_after_confirmation(login, cast, future_row):
    client = login(cast.admin)
    confirm = client.get(reverse("rules:delete", args=[future_row.pk])).content.decode()
    assert "Xóa dòng quy định?" in confirm and "data-confirm" in confirm
    response = client.post(reverse("rules:delete", args=[future_row.pk]),
                           {"fingerprint": rule_services.rule_fingerprint(future_row)}, follow=True)
    assert not Rule.objects.filter(pk=future_row.pk).exists()
    assert "Đã xóa dòng assistance.coef.ctxh_test" in response.content.decode()


def test_a_row_changed_after_the_confirmation_page_is_not_deleted(login, cast, future_row):
    client = login(cast.admin)
    seen = rule_services.rule_fingerprint(future_row)
    Rule.objects.filter(pk=future_row.pk).update(value=9)  # another administrator's edit
    response = client.post(reverse("rules:delete", args=[future_row.pk]), {"fingerprint": seen})
    assert response.status_code == 409
    assert "vừa được người khác sửa" in response.content.decode() and ">9 " in response.content.decode()
    assert Rule.objects.filter(pk=future_row.pk).exists()


def test_a_row_in_force_cannot_be_deleted(login, cast):
    row = Rule.objects.get(key=BASE, valid_from=dt.date(2024, 7, 1))
    client = login(cast.admin)
    assert "không xóa được" in client.get(reverse("rules:delete", args=[row.pk])).content.decode()
    response = client.post(reverse("rules:delete", args=[row.pk]),
                           {"fingerprint": rule_services.rule_fingerprint(row)}, follow=True)
    assert Rule.objects.filter(pk=row.pk).exists()
    assert "Chỉ xóa được dòng có hiệu lực từ một ngày trong tương lai" in response.content.decode()


def test_the_key_page_offers_delete_only_for_future_rows(login, cast, future_row):
    page = login(cast.admin).get(reverse("rules:key", args=[BASE])).content.decode()
    assert page.count("/delete/") == 1 and reverse("rules:delete", args=[future_row.pk]) in page
    assert "sắp tới" in page and "đang áp dụng" in page


def test_the_category_lists_show_dates_and_sources(login, cast):
    client = login(cast.admin)
    index = client.get(reverse("rules:terms")).content.decode()
    assert reverse("rules:term-list", args=["poverty_indicator"]) in index
    page = client.get(reverse("rules:term-list", args=["poverty_indicator"])).content.decode()
    assert "Người phụ thuộc trong hộ gia đình" in page and "01/01/2022" in page
    assert "Nghị định 07/2021/NĐ-CP" in page and "Việc làm" in page
    assert client.get(reverse("rules:term-list", args=["khong-co"])).status_code == 404


# Who may not --------------------------------------------------------------------

def _urls(row):
    return [
        ("get", reverse("rules:list")), ("get", reverse("rules:create")), ("post", reverse("rules:create")),
        ("get", reverse("rules:key", args=[BASE])), ("get", reverse("rules:edit", args=[row.pk])),
        ("post", reverse("rules:edit", args=[row.pk])), ("get", reverse("rules:delete", args=[row.pk])),
        ("post", reverse("rules:delete", args=[row.pk])), ("get", reverse("rules:terms")),
        ("get", reverse("rules:term-list", args=["ethnicity"])),
    ]


def test_anonymous_users_are_sent_to_login(client, future_row):
    for method, url in _urls(future_row):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


@pytest.mark.parametrize("user", ["director", "caseworker", "collaborator", "statistician", "outsider"])
def test_everyone_but_an_administrator_is_refused(login, cast, future_row, user):
    client = login(cast[user])
    for method, url in _urls(future_row):
        assert getattr(client, method)(url, ROW if method == "post" else None).status_code == 403, url
    assert Rule.objects.filter(pk=future_row.pk).exists()
    assert not AuditEntry.objects.filter(action__startswith="rule.").exists()
