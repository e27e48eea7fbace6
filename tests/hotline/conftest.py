"""Hotline fixtures: people to talk about, the topic list, and calls made through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.api.conftest import JsonClient
from tests.factories import PersonFactory


@pytest.fixture
def people(geo) -> dict[str, Any]:
    """A child and her mother in commune c1, a man in c2, a woman in another province."""
    return {
        "child": PersonFactory(full_name="Lò Thị Hoa", commune=geo["c1"], sex="female", birth_date=dt.date(2016, 4, 2)),
        "mother": PersonFactory(full_name="Lò Thị Mai", commune=geo["c1"], sex="female", birth_date=dt.date(1988, 1, 1)),
        "man": PersonFactory(full_name="Nguyễn Văn An", commune=geo["c2"], sex="male", birth_date=dt.date(1975, 6, 1)),
        "far": PersonFactory(full_name="Phạm Thị Dung", commune=geo["far"]),
    }


@pytest.fixture
def topics(db) -> dict[str, Any]:
    from ctxh.core.models import Term

    return {t.code: t for t in Term.objects.of("call_topic")}


@pytest.fixture
def case_types(db) -> dict[str, Any]:
    from ctxh.cases.models import CaseType

    return {t.code: t for t in CaseType.objects.all()}


@pytest.fixture
def make_call(cast, people, topics):
    """A call made through the services: started, saved, and (unless ``end=False``) ended."""
    from ctxh.hotline import services

    def _make(*, counsellor=None, started_at: dt.datetime | None = None, subjects=None, topic_codes=("policy",),
              summary="Hỏi về trợ cấp xã hội hằng tháng.", outcome="advice", urgency="normal", end=True, **data):
        actor = counsellor or cast.counsellor
        call = services.call_start(actor=actor, started_at=started_at or timezone.now() - dt.timedelta(minutes=10))
        subjects = [(people["mother"], "subject")] if subjects is None else subjects
        call = services.call_save(actor=actor, call=call, expected_version=call.version, data={
            "subjects": subjects, "topics": [topics[c] for c in topic_codes], "summary": summary,
            "outcome": outcome, "urgency": urgency, **data})
        if end:
            call = services.call_end(actor=actor, call=call, ended_at=call.started_at + dt.timedelta(minutes=7))
        return call

    return _make


@pytest.fixture
def api_as(db):
    """A JSON client logged in (session) as the given user; None means anonymous."""

    def _as(user: Any) -> JsonClient:
        client = Client()
        if user is not None:
            client.force_login(user)
        return JsonClient(client)

    return _as
