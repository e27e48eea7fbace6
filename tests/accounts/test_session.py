"""Sessions end after 30 idle minutes: each request pushes the end back, nothing else does."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from tests.conftest import PASSWORD


def _session(client) -> Session:
    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)


def test_it_is_configured_for_thirty_idle_minutes():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


@pytest.mark.django_db
def test_it_sets_a_browser_session_cookie_that_expires_on_the_server_after_thirty_minutes(client, cast):
    before = timezone.now()
    response = client.post(reverse("accounts:login"), {"username": "caseworker", "password": PASSWORD})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    # No lifetime on the cookie: it ends with the browser (shared commune machines)...
    assert cookie["max-age"] == "" and cookie["expires"] == ""
    assert cookie["httponly"]
    # ...and the server forgets it after 30 idle minutes in any case.
    expire = _session(client).expire_date
    assert before + dt.timedelta(seconds=1800) <= expire <= timezone.now() + dt.timedelta(seconds=1800)


@pytest.mark.django_db
def test_it_pushes_the_end_back_on_each_request(client, cast):
    client.post(reverse("accounts:login"), {"username": "caseworker", "password": PASSWORD})
    Session.objects.filter(pk=_session(client).pk).update(expire_date=timezone.now() + dt.timedelta(seconds=60))
    assert client.get(reverse("home")).status_code == 200
    assert _session(client).expire_date >= timezone.now() + dt.timedelta(seconds=1790)


@pytest.mark.django_db
def test_it_sends_an_idle_user_back_to_the_login_page(client, cast):
    client.post(reverse("accounts:login"), {"username": "caseworker", "password": PASSWORD})
    Session.objects.filter(pk=_session(client).pk).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
