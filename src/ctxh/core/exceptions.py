"""Errors services raise; views and the API turn them into messages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

__all__ = ["ConflictError", "PermissionDenied", "ValidationError"]


class ConflictError(Exception):
    """Someone else saved the record after this user opened it.

    ``changes`` lists ``(field label, their value, current value)`` so the user
    can see what changed before deciding again.
    """

    def __init__(self, message: str, changes: list[tuple[str, str, str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.changes = changes or []
