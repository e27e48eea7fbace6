"""Case numbers stay unique and consecutive when several openings race (PostgreSQL)."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from ctxh.cases import services


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_racing_openings_get_consecutive_numbers(cast, types, child):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself; the race needs PostgreSQL")
    n = 6
    barrier = threading.Barrier(n)
    numbers: list[str] = []
    errors: list[BaseException] = []

    def open_one() -> None:
        try:
            barrier.wait()
            case = services.case_open(actor=cast.counsellor, case_type=types["general"], person=child,
                                      summary="Gọi cùng lúc", source="call", reported_at=timezone.now())
            numbers.append(case.number)
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=open_one) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    year = timezone.localdate().year
    assert sorted(numbers) == [f"HS-{year}-{i:06d}" for i in range(1, n + 1)]
