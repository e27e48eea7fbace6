"""The change log: directors and administrators read it, filter it, and nobody else sees it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ctxh.accounts.models import Organization
from ctxh.accounts.services import membership_grant, user_create, user_update
from ctxh.audit.models import AuditEntry
from ctxh.audit.services import audit_record
from ctxh.audit.views import readable_changes

URL = reverse("audit:changes")


@pytest.fixture
def entries(cast, geo):
    """A few writes by the administrator, plus one about a person, plus one from long ago."""
    lan = user_create(actor=cast.admin, username="lan.pt", full_name="Phạm Thị Lan",
                      password="mat-khau-thu-nghiem-2026")
    user_update(actor=cast.admin, user=lan, full_name="Phạm Thị Lan Anh", email="", phone="", is_active=True)
    membership_grant(actor=cast.admin, user=lan, organization=Organization.objects.get(name="UBND xã 1"),
                     role="collaborator", communes=[geo["c1"]])
    person_entry = audit_record(actor=cast.caseworker, action="person.registered", obj=cast.outsider,
                                person_id=4242, changes={"full_name": "Nguyễn Văn An"})
    old = audit_record(actor=cast.caseworker, action="person.updated", obj=cast.outsider,
                       changes={"phone": ["0900000000", "0911111111"]})
    AuditEntry.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=40))
    return {"lan": lan, "person_entry": person_entry, "old": old}


def _actions(response) -> list[str]:
    return [e.action for e in response.context["page"].object_list]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["director", "admin"])
def test_it_shows_entries_newest_first_to_supervisors(client, cast, entries, who):
    client.force_login(cast[who])
    response = client.get(URL)
    assert response.status_code == 200
    actions = _actions(response)
    assert actions[0] == "person.registered"
    assert actions.index("membership.granted") < actions.index("user.updated") < actions.index("user.created")
    assert actions[-1] == "person.updated"  # 40 days ago


@pytest.mark.django_db
def test_it_renders_time_actor_object_and_readable_changes(client, cast, entries):
    client.force_login(cast.director)
    body = client.get(URL).content.decode()
    entry = AuditEntry.objects.get(action="user.updated")
    assert timezone.localtime(entry.created_at).strftime("%d/%m/%Y %H:%M") in body
    assert "Phạm Thị Lan → Phạm Thị Lan Anh" in body
    assert "0900000000 → 0911111111" in body
    assert "Hệ thống" in body  # the cast's memberships were granted by no one



def test_it_tells_a_two_item_snapshot_value_from_an_old_new_pair():
    granted = readable_changes("membership.granted", {"communes": [101, 102], "whole_province": False})
    assert [(c.field, c.new, c.is_change) for c in granted] == [
        ("communes", "101, 102", False), ("whole_province", "không", False)]
    updated = readable_changes("user.updated", {"email": ["", "a@b.vn"], "is_active": [True, False]})
    assert [(c.old, c.new, c.is_change) for c in updated] == [("—", "a@b.vn", True), ("có", "không", True)]


@pytest.mark.django_db
def test_it_filters_by_actor_action_type_person_and_dates(client, cast, entries):
    client.force_login(cast.director)
    assert set(_actions(client.get(URL, {"actor": "admin"}))) == {
        "user.created", "user.updated", "membership.granted"}
    assert _actions(client.get(URL, {"action": "person."})) == ["person.registered", "person.updated"]
    assert _actions(client.get(URL, {"object_type": "accounts.membership"})).count("membership.granted") >= 1
    assert set(_actions(client.get(URL, {"object_type": "accounts.membership"}))) == {"membership.granted"}
    assert _actions(client.get(URL, {"person_id": 4242})) == ["person.registered"]
    today = timezone.localdate()
    recent = _actions(client.get(URL, {"date_from": (today - dt.timedelta(days=1)).isoformat()}))
    assert "person.updated" not in recent and "person.registered" in recent
    old = _actions(client.get(URL, {"date_to": (today - dt.timedelta(days=30)).strftime("%d/%m/%Y")}))
    assert old == ["person.updated"]
    none = client.get(URL, {"action": "case."})
    assert "Không có mục nào khớp với bộ lọc." in none.content.decode()


@pytest.mark.django_db
def test_it_ignores_an_invalid_filter_and_says_so(client, cast, entries):
    client.force_login(cast.director)
    response = client.get(URL, {"person_id": "abc", "actor": "admin"})
    assert response.context["form"].errors["person_id"]
    assert set(_actions(response)) == {"user.created", "user.updated", "membership.granted"}


@pytest.mark.django_db
def test_it_sends_only_the_table_to_htmx(client, cast, entries):
    client.force_login(cast.director)
    response = client.get(URL, {"actor": "admin"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'id="log-table"' in body and "<html" not in body
    assert "HX-Request" in response["Vary"]
    restore = client.get(URL, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in restore.content.decode()


@pytest.mark.django_db
def test_it_pages_fifty_entries_in_bounded_queries(client, cast, django_assert_max_num_queries):
    users = [cast.admin, cast.director, cast.caseworker, cast.counsellor, cast.collaborator]
    for i in range(70):
        audit_record(actor=users[i % len(users)], action="person.updated", obj=cast.outsider,
                     changes={"phone": [str(i), str(i + 1)]})
    client.force_login(cast.director)
    with django_assert_max_num_queries(10):
        response = client.get(URL)
    assert len(response.context["page"].object_list) == 50
    with django_assert_max_num_queries(10):
        second = client.get(URL, {"page": 2})
    assert second.context["page"].number == 2


@pytest.mark.django_db
def test_it_says_when_the_log_is_empty(client, cast):
    AuditEntry.objects.all().delete()
    client.force_login(cast.director)
    assert "Chưa có mục nào trong nhật ký thay đổi." in client.get(URL).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["collaborator", "statistician", "outsider", "caseworker", "counsellor"])
def test_it_refuses_everyone_else(client, cast, who):
    client.force_login(cast[who])
    assert client.get(URL).status_code == 403


@pytest.mark.django_db
def test_it_sends_an_anonymous_visitor_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
