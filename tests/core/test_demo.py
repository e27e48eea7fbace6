"""`ctxh demo` fills every module with a little data, and a second run adds nothing."""

from __future__ import annotations

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


@override_settings(CTXH_PROVINCE_CODE=22)
def test_it_fills_every_module_once():
    from ctxh.assistance.models import Entitlement
    from ctxh.cases.models import Case
    from ctxh.core.demo import ensure_demo
    from ctxh.network.models import Provider
    from ctxh.people.models import Person
    from ctxh.support.models import Grant
    from ctxh.tracing.models import TracingRequest

    ensure_demo(password="demo-thu-nghiem-2026", persons=300)
    counts = {m.__name__: m.objects.count() for m in (Person, Case, Provider, TracingRequest, Entitlement, Grant)}
    assert all(counts.values()), counts

    ensure_demo(password="demo-thu-nghiem-2026", persons=300)
    again = {m.__name__: m.objects.count() for m in (Person, Case, Provider, TracingRequest, Entitlement, Grant)}
    assert again == counts
