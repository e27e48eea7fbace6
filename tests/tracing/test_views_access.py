"""Every tracing page refuses those who should not see tracing requests."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ctxh.tracing.models import TracingMatch, TracingRequest

pytestmark = pytest.mark.django_db

LIST_PAGES = ["tracing:list", "tracing:create"]
OBJECT_PAGES = ["tracing:detail", "tracing:edit", "tracing:reunify", "tracing:close"]
OBJECT_POSTS = ["tracing:edit", "tracing:rematch", "tracing:reunify", "tracing:close"]
MATCH_POSTS = ["tracing:match-confirm", "tracing:match-reject"]
NO_TRACING_ROLE = ["outsider", "statistician", "collaborator", "collaborator2", "facility"]
SECRET = "Phạm Minh Tuấn"


@pytest.fixture
def req(make_request, an):
    return make_request(sought_name="Nguyễn Văn An", birth_year_from=1985, birth_year_to=1985,
                        circumstances="Chi tiết nhạy cảm")


@pytest.fixture
def match(req):
    return req.matches.get()


def _url(name, req, match):
    if name in MATCH_POSTS:
        return reverse(name, args=[req.pk, match.pk])
    if name in LIST_PAGES:
        return reverse(name)
    return reverse(name, args=[req.pk])


def _untouched(req):
    fresh = TracingRequest.objects.get(pk=req.pk)
    return (fresh.version == req.version and fresh.status == req.status
            and not TracingMatch.objects.exclude(status="pending").exists())


POST_DATA = {"version": 1, "note": "x", "status": "withdrawn", "reunified_on": "01/01/2026", "method": "phone",
             "sought_name": "Khác", "seeker_name": "A B", "seeker_phone": "0904555666", "seeker_relationship": "parent",
             "sought_sex": "male", "source": "staff"}


@pytest.mark.parametrize("name", LIST_PAGES + OBJECT_PAGES)
def test_it_sends_anonymous_users_to_login(client, req, match, name):
    response = client.get(_url(name, req, match))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", OBJECT_POSTS + MATCH_POSTS + ["tracing:create"])
def test_it_refuses_anonymous_posts(client, req, match, name):
    assert client.post(_url(name, req, match), POST_DATA).status_code == 302
    assert _untouched(req) and TracingRequest.objects.count() == 1


@pytest.mark.parametrize("user", NO_TRACING_ROLE)
@pytest.mark.parametrize("name", LIST_PAGES + OBJECT_PAGES)
def test_it_refuses_roles_without_tracing(login, cast, req, match, user, name):
    response = login(cast[user]).get(_url(name, req, match))
    assert response.status_code == 403 and SECRET not in response.content.decode()


@pytest.mark.parametrize("user", NO_TRACING_ROLE + ["far_worker"])
@pytest.mark.parametrize("name", OBJECT_POSTS + MATCH_POSTS)
def test_it_refuses_posts_from_outside(login, cast, req, match, user, name):
    assert login(cast[user]).post(_url(name, req, match), POST_DATA).status_code in (403, 404)
    assert _untouched(req)


@pytest.mark.parametrize("name", OBJECT_PAGES)
def test_a_worker_of_another_province_gets_404(login, cast, req, match, name):
    assert login(cast.far_worker).get(_url(name, req, match)).status_code == 404


def test_a_worker_of_another_province_sees_an_empty_list(login, cast, req):
    response = login(cast.far_worker).get(reverse("tracing:list"))
    assert response.status_code == 200 and list(response.context["page"].object_list) == []
    assert "Nguyễn Văn An" not in response.content.decode()


@pytest.mark.parametrize("user", ["director", "caseworker", "counsellor", "admin"])
def test_centre_staff_of_the_province_read_the_request(login, cast, req, user):
    response = login(cast[user]).get(reverse("tracing:detail", args=[req.pk]))
    assert response.status_code == 200 and "Chi tiết nhạy cảm" in response.content.decode()


@pytest.mark.parametrize("name", ["tracing:edit", "tracing:reunify", "tracing:close"])
def test_the_administrator_reads_but_does_not_work_requests(login, cast, req, match, name):
    client = login(cast.admin)
    assert client.get(_url(name, req, match)).status_code == 403
    assert client.post(_url("tracing:match-confirm", req, match), {}).status_code == 403
    assert client.get(reverse("tracing:create")).status_code == 403
    assert _untouched(req)
