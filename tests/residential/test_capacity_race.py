"""Several admissions racing for the last places: the facility's row lock lets exactly as many in as fit."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from ctxh.residential.models import Admission
from tests.factories import PersonFactory
from tests.residential.conftest import make_facility


def THREADED() -> bool:  # noqa: N802
    return connection.vendor == "postgresql"


def _run(target, items, *, threaded: bool) -> None:
    if not threaded:
        for item in items:
            target(item)
        return
    threads = [threading.Thread(target=target, args=(item,)) for item in items]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_racing_admissions_never_exceed_the_capacity(cast, geo, admit):
    # On PostgreSQL the row lock serialises racing threads. The in-memory SQLite test database
    # locks whole tables across threads, so there the same admissions run one after another.
    home = make_facility(geo, "Cơ sở hai chỗ", capacity=2)
    people = [PersonFactory(full_name=f"Người Đua {i}", commune=geo["c1"]) for i in range(6)]
    barrier = threading.Barrier(len(people)) if THREADED() else None
    admitted: list[int] = []
    refused: list[str] = []
    errors: list[BaseException] = []

    def admit_one(person) -> None:
        try:
            if barrier is not None:
                barrier.wait()
            admitted.append(admit(person, home).pk)
        except ValidationError as exc:
            refused.append(exc.message_dict["facility"][0])
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            if barrier is not None:
                connection.close()

    _run(admit_one, people, threaded=barrier is not None)
    assert not errors
    assert len(admitted) == 2 and len(refused) == 4
    assert all("đủ chỗ" in m for m in refused)
    assert Admission.objects.filter(facility=home, discharged_on__isnull=True).count() == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_racing_admissions_of_one_person_leave_one_open_stay(cast, geo, admit):
    homes = [make_facility(geo, f"Cơ sở {i}", capacity=10) for i in range(4)]
    person = PersonFactory(full_name="Một Người Bốn Nơi", commune=geo["c1"])
    barrier = threading.Barrier(len(homes)) if THREADED() else None
    results: list[str] = []
    errors: list[BaseException] = []

    def admit_one(home) -> None:
        try:
            if barrier is not None:
                barrier.wait()
            admit(person, home)
            results.append("ok")
        except ValidationError as exc:
            results.append(" ".join(exc.messages))
        except BaseException as exc:
            errors.append(exc)
        finally:
            if barrier is not None:
                connection.close()

    _run(admit_one, homes, threaded=barrier is not None)
    assert not errors
    assert results.count("ok") == 1
    assert Admission.objects.filter(person=person, discharged_on__isnull=True).count() == 1
