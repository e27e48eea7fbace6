"""Helpers shared by the forms of every app."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError


def apply_service_errors(form: Any, exc: ValidationError, rename: Mapping[str, str | None] | None = None) -> None:
    """Put a service's errors on the form fields they name, else on the form.

    ``rename`` maps a service's argument name to the form field showing it
    (``None``: show it above the form), where the two differ.
    """
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, errors in exc.message_dict.items():
        target = (rename or {}).get(field, field)
        form.add_error(target if target in form.fields else None, errors)
