"""The access log: who opened which sensitive record, emergency reads highlighted with their reason."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ctxh.audit.models import AccessEntry
from ctxh.audit.services import access_record

URL = reverse("audit:access")
REASON = "Trẻ có nguy cơ bị bạo hành, cần xem ngay ngoài giờ làm việc"


@pytest.fixture
def reads(cast):
    plain = access_record(actor=cast.caseworker, obj=cast.outsider, person_id=7)
    glass = access_record(actor=cast.counsellor, obj=cast.outsider, person_id=8, break_glass=True, reason=REASON)
    old = access_record(actor=cast.collaborator, obj=cast.outsider, person_id=9)
    AccessEntry.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=10))
    return {"plain": plain, "glass": glass, "old": old}


def _ids(response) -> list[int]:
    return [e.pk for e in response.context["page"].object_list]


@pytest.mark.django_db
def test_it_shows_reads_newest_first_and_highlights_break_the_glass(client, cast, reads):
    client.force_login(cast.director)
    response = client.get(URL)
    assert _ids(response) == [reads["glass"].pk, reads["plain"].pk, reads["old"].pk]
    body = response.content.decode()
    assert REASON in body and "Truy cập khẩn cấp" in body
    assert body.count('class="bad"') == 1
    assert timezone.localtime(reads["glass"].created_at).strftime("%d/%m/%Y %H:%M") in body


@pytest.mark.django_db
def test_it_filters_by_actor_person_break_glass_and_dates(client, cast, reads):
    client.force_login(cast.director)
    assert _ids(client.get(URL, {"actor": "caseworker"})) == [reads["plain"].pk]
    assert _ids(client.get(URL, {"person_id": 9})) == [reads["old"].pk]
    assert _ids(client.get(URL, {"break_glass": "on"})) == [reads["glass"].pk]
    today = timezone.localdate()
    assert _ids(client.get(URL, {"date_from": today.strftime("%d/%m/%Y"), "date_to": today.strftime("%d/%m/%Y")})) == [
        reads["glass"].pk, reads["plain"].pk]
    assert _ids(client.get(URL, {"date_to": (today - dt.timedelta(days=5)).isoformat()})) == [reads["old"].pk]


@pytest.mark.django_db
def test_it_refuses_an_end_date_before_the_start(client, cast, reads):
    client.force_login(cast.director)
    today = timezone.localdate()
    response = client.get(URL, {"date_from": today.isoformat(), "date_to": (today - dt.timedelta(days=1)).isoformat()})
    assert "Ngày kết thúc phải sau ngày bắt đầu." in response.content.decode()


@pytest.mark.django_db
def test_it_pages_fifty_reads_in_bounded_queries(client, cast, django_assert_max_num_queries):
    users = [cast.caseworker, cast.counsellor, cast.collaborator, cast.facility]
    for i in range(60):
        access_record(actor=users[i % len(users)], obj=cast.outsider, person_id=i, break_glass=i % 7 == 0,
                      reason="Khẩn cấp" if i % 7 == 0 else "")
    client.force_login(cast.director)
    with django_assert_max_num_queries(10):
        response = client.get(URL)
    assert len(response.context["page"].object_list) == 50


@pytest.mark.django_db
def test_it_says_when_the_log_is_empty(client, cast):
    client.force_login(cast.director)
    assert "Chưa có mục nào trong nhật ký truy cập." in client.get(URL).content.decode()


@pytest.mark.django_db
def test_it_sends_only_the_table_to_htmx(client, cast, reads):
    client.force_login(cast.director)
    body = client.get(URL, {"break_glass": "on"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="log-table"' in body and "<html" not in body and REASON in body


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["collaborator", "statistician", "outsider", "caseworker", "facility"])
def test_it_refuses_everyone_else(client, cast, who):
    client.force_login(cast[who])
    assert client.get(URL).status_code == 403


@pytest.mark.django_db
def test_it_sends_an_anonymous_visitor_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
