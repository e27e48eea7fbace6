"""Racing allocations never take more than a donation holds.

On PostgreSQL the racers run in threads (the row lock makes them queue); on
SQLite, which lets only one writer in at a time, they run one after another.
Either way exactly as many succeed as the donation can serve.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from ctxh.support import selectors, services
from ctxh.support.models import Allocation, Donation
from tests.factories import HouseholdFactory
from tests.support.conftest import term

RACERS = 6
EACH = 3
TOTAL = 10  # three racers fit (9), the others are refused


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_racing_allocations_never_exceed_the_donation(cast, geo):
    donor = services.donor_create(actor=cast.director, name="Nhà hảo tâm", kind="person",
                                  province_id=geo["province"].pk)
    donation = services.donation_record(actor=cast.director, donor=donor, received_on=dt.date(2025, 1, 1),
                                        item=term("support_item", "gift_package"), quantity=TOTAL,
                                        purpose="Quà Tết")
    homes = [HouseholdFactory(commune=geo["c1"]) for _ in range(RACERS)]
    done: list[int] = []
    refused: list[str] = []
    errors: list[BaseException] = []
    threaded = connection.vendor == "postgresql"
    barrier = threading.Barrier(RACERS) if threaded else None

    def allocate(household) -> None:
        try:
            if barrier is not None:
                barrier.wait()
            allocation = services.allocation_create(actor=cast.director, donation=donation, household=household,
                                                    quantity=EACH, allocated_on=dt.date(2025, 1, 20))
            done.append(allocation.pk)
        except ValidationError as exc:
            refused.append(exc.message_dict["quantity"][0])
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            if threaded:
                connection.close()

    if threaded:
        threads = [threading.Thread(target=allocate, args=(h,)) for h in homes]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    else:
        for h in homes:
            allocate(h)

    assert not errors
    assert len(done) == TOTAL // EACH and len(refused) == RACERS - TOTAL // EACH
    assert all("chỉ còn 1 suất" in m for m in refused)
    donation = Donation.objects.get(pk=donation.pk)
    assert donation.remaining == TOTAL - EACH * len(done) == selectors.donation_remaining(donation)
    assert Allocation.objects.filter(donation=donation).count() == len(done)
