"""Who qualifies for which social assistance, and how much — xét điều kiện hưởng trợ giúp xã hội.

One engine serves the calculator (a person described, not registered), the
eligibility API and the entitlement of a registered person: ``evaluate(facts)``
returns every qualifying row with its coefficient and amount, what is actually
paid, and the reasoning line by line with the rule rows it read. Every amount,
coefficient, age limit and category list is a ``core.Rule`` row in force on the
date judged (``ctxh.assistance.reference`` lists the keys); nothing legal is a
literal here.

Conventions, each held as a rule row so that it can change as data:

- **Age** is counted in whole years on the date judged: "under 4" means before
  the 4th birthday, "from 4" from that day on (``assistance.age.*``).
- **Unknown birth day**: when only the year (or the month) of birth is known,
  the usual administrative convention takes 1 January of the year (the 1st of
  the month) — ``assistance.age.unknown_day`` = ``first`` (``last`` takes
  31 December / the last day of the month instead). Marked "cần xác minh"; the
  reasoning says when it was applied.
- **"From the month they turn 75 or 80"** (Decree 20/2021, elderly points b and
  c): for the groups listed in ``assistance.age.birthday_month_groups`` the age
  is counted on the last day of the month judged, so the person qualifies for
  the whole month in which the birthday falls. Every other age is exact.
- **Several groups → only the highest** monthly allowance (art. 6.2), except a
  poor single parent who is also in a group of
  ``assistance.both_with_single_parent`` (elderly, disabled, HIV): both are paid.
- **Residential care** (art. 25) replaces the community allowance and the care
  support while the person is a state-funded resident.
- **Care and foster support** (art. 20) is paid to the carer (or, for a parent
  with a disability, to the parent) beside the person's own allowance; of
  several carer situations the highest is paid.
- **Social pension** (Decree 176/2025, from 2025-07-01) is a separate scheme of a
  fixed amount (its line has ``fixed_amount=True`` and coefficient 0); a person
  also entitled to the monthly allowance (or residential care) gets the higher
  of the two, ties settled by ``assistance.social_pension.on_tie``.
"""

from ctxh.assistance.eligibility.base import RuleBook
from ctxh.assistance.eligibility.engine import evaluate
from ctxh.assistance.eligibility.facts import (
    ALLOWANCE_VOCABULARIES,
    CARE_VOCABULARY,
    Facts,
    Line,
    Rejection,
    Result,
    RuleRef,
)
from ctxh.assistance.eligibility.person import facts_for_person, person_check
from ctxh.assistance.eligibility.validation import validate_facts

__all__ = [
    "ALLOWANCE_VOCABULARIES", "CARE_VOCABULARY", "Facts", "Line", "Rejection", "Result", "RuleBook", "RuleRef",
    "evaluate", "facts_for_person", "person_check", "validate_facts",
]
