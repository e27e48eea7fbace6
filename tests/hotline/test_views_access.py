"""Every hotline page refuses those who should not see calls."""

import pytest
from django.urls import reverse

from ctxh.hotline.models import Call

OBJECT_PAGES = ["hotline:detail", "hotline:edit"]
OBJECT_POSTS = ["hotline:edit", "hotline:draft", "hotline:person-register", "hotline:follow-up",
                "hotline:follow-up-done", "hotline:open-case", "hotline:link-case"]
LIST_PAGES = ["hotline:list", "hotline:calls", "hotline:new", "hotline:follow-ups", "hotline:person-search"]
NO_CALL_ROLE = ["outsider", "statistician", "collaborator", "collaborator2", "facility"]


@pytest.fixture
def call(make_call):
    return make_call(summary="Nội dung nhạy cảm của cuộc gọi")


def _untouched(call):
    fresh = Call.objects.get(pk=call.pk)
    return fresh.version == call.version and fresh.draft == {} and fresh.follow_up_at is None


@pytest.mark.parametrize("name", LIST_PAGES + OBJECT_PAGES)
def test_it_sends_anonymous_users_to_login(client, call, name):
    url = reverse(name, args=[call.pk]) if name in OBJECT_PAGES else reverse(name)
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", OBJECT_POSTS + ["hotline:new"])
def test_it_refuses_anonymous_posts(client, call, name):
    url = reverse(name) if name == "hotline:new" else reverse(name, args=[call.pk])
    assert client.post(url, {"summary": "x"}).status_code == 302
    assert _untouched(call) and Call.objects.count() == 1


@pytest.mark.parametrize("user", NO_CALL_ROLE)
@pytest.mark.parametrize("name", LIST_PAGES + OBJECT_PAGES)
def test_it_refuses_roles_without_calls(login, cast, call, user, name):
    url = reverse(name, args=[call.pk]) if name in OBJECT_PAGES else reverse(name)
    assert login(cast[user]).get(url).status_code == 403


@pytest.mark.parametrize("user", NO_CALL_ROLE + ["far_worker"])
@pytest.mark.parametrize("name", OBJECT_POSTS)
def test_it_refuses_posts_from_outside(login, cast, call, user, name):
    status = login(cast[user]).post(reverse(name, args=[call.pk]), {
        "summary": "x", "follow_up_at": "01/01/2099 08:00", "case_number": "1", "version": call.version}).status_code
    assert status in (403, 404)
    assert _untouched(call)


@pytest.mark.parametrize("name", OBJECT_PAGES)
def test_a_worker_of_another_province_gets_404(login, cast, call, name):
    assert login(cast.far_worker).get(reverse(name, args=[call.pk])).status_code == 404


def test_a_worker_of_another_province_sees_an_empty_list(login, cast, call):
    response = login(cast.far_worker).get(reverse("hotline:list"))
    assert response.status_code == 200 and list(response.context["page"].object_list) == []


@pytest.mark.parametrize("user", ["director", "caseworker", "counsellor", "admin"])
def test_staff_of_the_province_read_the_call(login, cast, call, user):
    response = login(cast[user]).get(reverse("hotline:detail", args=[call.pk]))
    assert response.status_code == 200 and "Nội dung nhạy cảm của cuộc gọi" in response.content.decode()


def test_a_caseworker_who_did_not_take_the_call_cannot_edit_it(login, cast, call):
    client = login(cast.caseworker)
    assert client.get(reverse("hotline:edit", args=[call.pk])).status_code == 403
    assert client.post(reverse("hotline:edit", args=[call.pk]), {"version": call.version}).status_code == 403
    assert _untouched(call)


def test_the_menu_shows_the_hotline_only_to_those_who_see_calls(login, cast):
    assert "Tổng đài" in login(cast.counsellor).get(reverse("home")).content.decode()
    assert "Tổng đài" not in login(cast.collaborator).get(reverse("home")).content.decode()
