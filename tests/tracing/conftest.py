"""Tracing fixtures: requests made through the services, registry people to find, JSON clients."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest
from django.core import signing
from django.test import Client

from tests.api.conftest import JsonClient
from tests.factories import PersonFactory


def request_data(**overrides: Any) -> dict[str, Any]:
    """What a caseworker types for a typical request (a mother looking for her son)."""
    data: dict[str, Any] = {
        "seeker_name": "Nguyễn Thị Hoa", "seeker_phone": "0904555666", "seeker_relationship": "parent",
        "sought_name": "Phạm Minh Tuấn", "sought_sex": "male", "birth_year_from": 1999, "birth_year_to": 1999,
        "last_province": None, "last_commune": None, "last_place_text": "", "last_seen_date": None,
        "last_seen_precision": "year", "circumstances": "", "description": "", "consent": True,
    }
    data.update(overrides)
    return data


@pytest.fixture
def make_request(cast):
    """A request recorded by the caseworker (matching runs at once: immediate task backend)."""
    from ctxh.tracing import services

    def _make(*, actor: Any = None, source: str = "staff", **overrides: Any):
        return services.tracing_request_create(actor=actor or cast.caseworker, data=request_data(**overrides),
                                               source=source)

    return _make


@pytest.fixture
def an(geo):
    """Nguyễn Văn An, in the registry of commune c1, born 1985."""
    return PersonFactory(full_name="Nguyễn Văn An", sex="male", commune=geo["c1"], birth_date=dt.date(1985, 3, 2))


@pytest.fixture
def api_as(db):
    """A JSON client logged in (session) as the given user; None means anonymous."""

    def _as(user: Any) -> JsonClient:
        client = Client()
        if user is not None:
            client.force_login(user)
        return JsonClient(client)

    return _as


def shown_seconds_ago(seconds: int = 60) -> str:
    """The public form's timestamp token as if the page had been shown ``seconds`` ago."""
    from ctxh.tracing.forms import _TOKEN_SALT

    return signing.dumps(int(time.time()) - seconds, salt=_TOKEN_SALT)


def public_post(**overrides: Any) -> dict[str, Any]:
    """A complete public form as a person fills it."""
    data = {
        "seeker_name": "Lê Thị Cúc", "seeker_phone": "0912 345 678", "seeker_email": "", "seeker_address": "",
        "seeker_relationship": "sibling", "sought_name": "Lê Văn Đức", "sought_aliases": "", "sought_sex": "male",
        "birth": "1980", "last_province": "", "last_place_text": "Bến phà Bãi Cháy", "last_seen": "1995",
        "circumstances": "Anh trai đi làm xa rồi mất liên lạc.", "description": "", "consent": "on",
        "website": "", "started": shown_seconds_ago(),
    }
    data.update(overrides)
    return data
