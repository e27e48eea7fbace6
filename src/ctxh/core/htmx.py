"""Helpers for views that answer both full-page and htmx requests."""

from __future__ import annotations

from django.http import HttpRequest


def partial_or_full(request: HttpRequest, full: str, partial: str) -> str:
    """Pick the fragment template when htmx asks, the whole page otherwise."""
    htmx = getattr(request, "htmx", None)
    # A history restore after a cache miss must get the whole page, not a bare table.
    if htmx and not htmx.boosted and not htmx.history_restore_request:
        return partial
    return full
