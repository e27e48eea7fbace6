"""The needs pages: the list with its actions, recording a need, each move confirmed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ctxh.support import services
from ctxh.support.models import Need, NeedStatus
from tests.support.conftest import term

D = dt.date


def _v(need):
    """The need's version as a page would have read it now."""
    return Need.objects.get(pk=need.pk).version


@pytest.fixture
def need(cast, people):
    return services.need_identify(actor=cast.caseworker, person=people["han"], need_type=term("need_type", "tricycle"),
                                  detail="Cụt hai chân", identified_on=D(2025, 4, 1))


def test_the_list_shows_needs_with_the_moves_they_allow(login, cast, need, people):
    services.need_identify(actor=cast.caseworker, person=people["cuong"], need_type=term("need_type", "job"))
    page = login(cast.caseworker).get(reverse("support:need-list")).content.decode()
    assert "Đặng Thị Ngọc Hân" in page and "Xe lắc" in page and "Lê Văn Cường" in page
    assert "Đề nghị hỗ trợ" in page and "data-confirm" in page and "Không đáp ứng" in page
    page = login(cast.collaborator2).get(reverse("support:need-list")).content.decode()
    assert "Lê Văn Cường" in page and "Đặng Thị Ngọc Hân" not in page


def test_the_list_filters_by_status_and_type(login, cast, need, people):
    services.need_identify(actor=cast.caseworker, person=people["an"], need_type=term("need_type", "job"))
    services.need_request(actor=cast.caseworker, need=need, expected_version=_v(need))
    client = login(cast.caseworker)
    page = client.get(reverse("support:need-list"), {"status": "requested"}).content.decode()
    assert "Đặng Thị Ngọc Hân" in page and "Nguyễn Văn An" not in page
    page = client.get(reverse("support:need-list"), {"need_type": "job"}).content.decode()
    assert "Nguyễn Văn An" in page and "Đặng Thị Ngọc Hân" not in page


def test_recording_a_need(login, cast, people):
    response = login(cast.collaborator).post(reverse("support:need-create"), {
        "person": people["han"].pk, "need_type": "vocational_training", "detail": "Học may"})
    assert response.status_code == 302
    assert Need.objects.get().need_type.code == "vocational_training"


def test_a_need_without_a_recipient_keeps_the_form(login, cast):
    response = login(cast.collaborator).post(reverse("support:need-create"), {"need_type": "job", "detail": "Bảo vệ"})
    assert response.status_code == 422 and "chỉ một trong hai" in response.content.decode()
    assert "Bảo vệ" in response.content.decode()


def test_requesting_from_the_list_then_declining_with_a_reason(login, cast, need):
    client = login(cast.caseworker)
    response = client.post(reverse("support:need-move", args=[need.pk, "request"]),
                           {"version": need.version, "next": "/support/needs/?status=requested"})
    assert response.status_code == 302 and response["Location"] == "/support/needs/?status=requested"
    need.refresh_from_db()
    assert need.status == NeedStatus.REQUESTED
    page = client.get(reverse("support:need-move", args=[need.pk, "decline"])).content.decode()
    assert "Lý do không đáp ứng" in page
    response = client.post(reverse("support:need-move", args=[need.pk, "decline"]), {"version": need.version})
    assert response.status_code == 422 and "Cần ghi lý do không đáp ứng" in response.content.decode()
    client.post(reverse("support:need-move", args=[need.pk, "decline"]),
                {"version": need.version, "reason": "Đã được hội khác hỗ trợ"})
    need.refresh_from_db()
    assert need.status == NeedStatus.DECLINED


def test_an_illegal_move_is_explained(login, cast, need):
    response = login(cast.caseworker).post(reverse("support:need-move", args=[need.pk, "fulfil"]),
                                           {"version": need.version, "support": "grant:1"})
    assert response.status_code == 422
    assert "không tìm thấy" in response.content.decode().lower() or "Không thể" in response.content.decode()


def test_fulfilling_offers_the_support_the_person_received(login, cast, need, people, record_grant):
    services.need_request(actor=cast.caseworker, need=need, expected_version=_v(need))
    grant = record_grant(person=people["han"], kind=term("support_kind", "goods"), amount=None,
                         item=term("support_item", "tricycle"), quantity=1)
    record_grant(person=people["an"], amount=1_000_000)
    client = login(cast.caseworker)
    page = client.get(reverse("support:need-move", args=[need.pk, "fulfil"])).content.decode()
    assert f'value="grant:{grant.pk}"' in page and page.count('name="support"') == 1
    need.refresh_from_db()
    response = client.post(reverse("support:need-move", args=[need.pk, "fulfil"]),
                           {"version": need.version, "support": f"grant:{grant.pk}"})
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.fulfilled_grant == grant


def test_a_stale_version_shows_the_conflict(login, cast, need):
    services.need_request(actor=cast.director, need=need, expected_version=_v(need))
    response = login(cast.caseworker).post(reverse("support:need-move", args=[need.pk, "decline"]),
                                           {"version": 1, "reason": "Không đủ điều kiện"})
    page = response.content.decode()
    assert response.status_code == 409 and "người khác cập nhật" in page and "Không đủ điều kiện" in page


def test_an_unknown_move_is_not_found(login, cast, need):
    assert login(cast.caseworker).get(reverse("support:need-move", args=[need.pk, "destroy"])).status_code == 404


def test_opening_a_move_of_a_need_is_logged(login, cast, need, people):
    from ctxh.audit.models import AccessEntry

    services.need_request(actor=cast.caseworker, need=need, expected_version=_v(need))
    page = login(cast.caseworker).get(reverse("support:need-move", args=[need.pk, "fulfil"])).content.decode()
    assert "Đặng Thị Ngọc Hân" in page
    assert AccessEntry.objects.filter(actor=cast.caseworker, object_type="support.need", object_id=str(need.pk),
                                      person_id=people["han"].pk).exists()
