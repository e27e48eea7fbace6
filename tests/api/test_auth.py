"""POST /api/v1/auth/token and the two ways to authenticate: bearer token and session."""

from __future__ import annotations

import datetime as dt

import pytest
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.utils import timezone

from ctxh.accounts.models import ApiToken
from ctxh.accounts.services import token_revoke
from tests.api.conftest import JsonClient
from tests.conftest import PASSWORD


def _token(user, password: str = PASSWORD):
    return JsonClient(Client()).post("/auth/token", {"username": user.username, "password": password})


def test_it_gives_a_token_that_opens_the_api(cast, people):
    response = _token(cast.caseworker)
    assert response.status_code == 200
    key = response.json()["token"]
    listing = JsonClient(Client(), token=key).get("/people")
    assert listing.status_code == 200
    assert listing.json()["count"] == 4  # the province's people, not Hà Nội's


def test_it_refuses_a_wrong_password(cast):
    response = _token(cast.caseworker, password="sai-mat-khau")
    assert response.status_code == 401
    assert response.json()["detail"]
    assert not ApiToken.objects.filter(user=cast.caseworker).exists()


def test_it_refuses_a_locked_account_even_with_the_right_password(cast):
    user = cast.caseworker
    user.locked_until = timezone.now() + dt.timedelta(minutes=10)
    user.save(update_fields=["locked_until"])
    assert _token(user).status_code == 401


def test_it_refuses_a_revoked_token(cast):
    key = _token(cast.caseworker).json()["token"]
    token = ApiToken.objects.get(user=cast.caseworker)
    token_revoke(actor=cast.caseworker, token=token)
    response = JsonClient(Client(), token=key).get("/people")
    assert response.status_code == 401
    assert response.json()["detail"]


def test_it_refuses_an_unknown_token(db):
    assert JsonClient(Client(), token="ctxh_khong-co-that").get("/people").status_code == 401


def test_it_refuses_anonymous_requests(db, api_as):
    assert api_as(None).get("/people").status_code == 401
    assert api_as(None).get("/households").status_code == 401


def _person_body(geo) -> dict:
    return {"full_name": "Hoàng Văn Tú", "sex": "male", "birth_date": "2001-02-03", "commune": geo["c1"].pk}


def test_it_needs_csrf_for_a_session_write(cast, geo):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.caseworker)
    response = JsonClient(client).post("/people", _person_body(geo))
    assert response.status_code == 403


def test_it_accepts_a_session_write_with_the_csrf_token(cast, geo):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.caseworker)
    secret = _get_new_csrf_string()
    client.cookies["csrftoken"] = secret
    response = client.post(
        "/api/v1/people", data=_person_body(geo), content_type="application/json",
        headers={"X-CSRFToken": secret},
    )
    assert response.status_code == 201, response.json()


def test_it_needs_no_csrf_with_a_bearer_token(cast, geo):
    key = _token(cast.caseworker).json()["token"]
    client = JsonClient(Client(enforce_csrf_checks=True), token=key)
    assert client.post("/people", _person_body(geo)).status_code == 201


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer ctxh_thu-hoi"}])
def test_it_answers_401_to_a_write_without_any_credentials(db, geo, headers):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/api/v1/people", data=_person_body(geo), content_type="application/json", headers=headers)
    assert response.status_code == 401
