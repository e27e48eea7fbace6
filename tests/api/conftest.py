"""Helpers for the JSON API tests: a JSON client per user, and a few people to find."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from ctxh.core.cccd import cccd_make
from tests.factories import HouseholdFactory, PersonFactory

API = "/api/v1"


class JsonClient:
    """The Django test client speaking JSON, optionally with a bearer token."""

    def __init__(self, client: Client, token: str | None = None) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def _send(self, method: str, path: str, body: Any = None, raw: str | None = None) -> Any:
        data = raw if raw is not None else (json.dumps(body) if body is not None else "")
        return getattr(self.client, method)(
            API + path, data=data, content_type="application/json", headers=self.headers
        )

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.client.get(API + path, params or {}, headers=self.headers)

    def post(self, path: str, body: Any = None, raw: str | None = None) -> Any:
        return self._send("post", path, body, raw)

    def patch(self, path: str, body: Any = None, raw: str | None = None) -> Any:
        return self._send("patch", path, body, raw)

    def delete(self, path: str, body: Any = None) -> Any:
        return self._send("delete", path, body)


@pytest.fixture
def api_as(db) -> Callable[[Any], JsonClient]:
    """A JSON client logged in (session) as the given user; None means anonymous."""

    def _as(user: Any) -> JsonClient:
        client = Client()
        if user is not None:
            client.force_login(user)
        return JsonClient(client)

    return _as


@pytest.fixture
def people(geo) -> dict[str, Any]:
    """Three people in commune 1, one in commune 2, one in another province."""
    return {
        "han": PersonFactory(
            full_name="Đặng Thị Ngọc Hân", commune=geo["c1"], birth_date=dt.date(1990, 5, 17),
            cccd=cccd_make("022", "female", 1990, 4321), phone="0912345678",
        ),
        "an": PersonFactory(full_name="Nguyễn Văn An", sex="male", commune=geo["c1"], birth_date=dt.date(1985, 1, 2)),
        "binh": PersonFactory(full_name="Trần Thị Bình", commune=geo["c1"], birth_date=dt.date(2012, 3, 4)),
        "c2": PersonFactory(full_name="Lê Văn Cường", sex="male", commune=geo["c2"]),
        "far": PersonFactory(full_name="Phạm Thị Dung", commune=geo["far"]),
    }


@pytest.fixture
def households(geo) -> dict[str, Any]:
    return {
        "h1": HouseholdFactory(commune=geo["c1"], address_detail="Thôn 1"),
        "h2": HouseholdFactory(commune=geo["c2"]),
        "far": HouseholdFactory(commune=geo["far"]),
    }


def errors_by_field(response: Any) -> dict[str, list[str]]:
    """The 422 body's ``errors`` grouped by field, for short assertions."""
    out: dict[str, list[str]] = {}
    for e in response.json()["errors"]:
        out.setdefault(e["field"], []).append(e["message"])
    return out


def schema_fields(response: Any) -> set[str]:
    """Fields named by a schema 422, without the body parameter's name.

    ``ctxh.api.root`` reports the path after ``body``, which still starts with
    the endpoint's parameter name (``payload.full_name``); the client only
    knows ``full_name``, so that prefix is dropped here.
    """
    out = set()
    for e in response.json()["errors"]:
        parts = e["field"].split(".")
        if parts and parts[0] == "payload":
            parts = parts[1:]
        out.add(".".join(parts) if parts != ["__all__"] else "")
    return out
