"""List pages and the API list cost the same number of queries for 2 residents or 12 (no N+1)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.residential.conftest import fill

pytestmark = pytest.mark.django_db


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = fn()
        assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_facility_page_and_the_api_list_do_not_grow_with_residents(login, api_as, cast, home, geo, admit):
    home.capacity = 30
    home.save()
    fill(home, 2, geo, admit)
    client = login(cast.director)
    api = api_as(cast.director)
    page = lambda: client.get(reverse("residential:facility", args=[home.pk]))  # noqa: E731
    overview = lambda: client.get(reverse("residential:facilities"))  # noqa: E731
    listing = lambda: api.get("/residents")  # noqa: E731
    before = [_queries(page), _queries(overview), _queries(listing)]
    fill(home, 10, geo, admit)
    after = [_queries(page), _queries(overview), _queries(listing)]
    assert after == before
