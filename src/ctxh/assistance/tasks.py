"""Background work of social assistance (Django tasks API).

* ``run_province_payments(run_id, export)`` — a province's lists for a month,
  then its workbook; the ``PaymentRun`` row carries the progress the page polls.
* ``generate_commune_list(...)`` — one commune's list (the monthly schedule can
  queue one per commune).
* ``compute_arrears(...)`` — arrears after a rule row changed from a month
  already paid. Queued on its own when an amount rule row (base level, social
  pension amount) is saved or deleted with a date whose month has a closed list
  (``rule_saved`` below, connected in ``models``); also from the arrears page.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task

log = logging.getLogger(__name__)


@task()
def run_province_payments(run_id: int, export: bool = True) -> int:
    from ctxh.assistance.services import payment_run_execute

    return payment_run_execute(run_id=run_id, export=export).lines_made


@task()
def generate_commune_list(user_id: int, commune_id: int, month: str) -> int:
    from ctxh.accounts.models import User
    from ctxh.assistance.services import payment_list_generate
    from ctxh.geo.models import Commune

    plist = payment_list_generate(actor=User.objects.get(pk=user_id), commune=Commune.objects.get(pk=commune_id),
                                  month=dt.date.fromisoformat(month))
    return plist.pk


@task()
def compute_arrears(as_of: str, since: str | None = None, province_id: int | None = None,
                    user_id: int | None = None) -> int:
    """Arrears for every entitlement (of a province, or all) against closed lists; returns the items made."""
    from ctxh.accounts.models import User
    from ctxh.assistance.services import arrears_compute

    actor = User.objects.filter(pk=user_id).first() if user_id else None
    result = arrears_compute(actor=actor, as_of=dt.date.fromisoformat(as_of),
                             since=dt.date.fromisoformat(since) if since else None, province_id=province_id,
                             _checked=True)
    return result.items


def rule_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """A rule row changed: if it sets amounts of months already paid, queue the arrears after the commit.

    The rule editor sets ``arrears_since`` (the earliest date its change
    touches, the old date of a row moved later) and ``arrears_actor_id``.
    """
    if raw:
        return
    from ctxh.assistance.services import amount_rule_changed

    since_day = getattr(instance, "arrears_since", None) or instance.valid_from
    try:
        if not amount_rule_changed(instance, since=since_day):
            return
    except Exception:  # never break the saving of a rule row (e.g. before the tables exist)
        log.exception("Không kiểm tra được quy định vừa sửa")
        return
    since = since_day.isoformat()
    today = timezone.localdate().isoformat()
    user_id = getattr(instance, "arrears_actor_id", None)
    transaction.on_commit(lambda: compute_arrears.enqueue(today, since, None, user_id))
