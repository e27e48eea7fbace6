"""Helpers for views that answer both full-page and htmx requests."""

from __future__ import annotations

from django.http import HttpRequest


def partial_or_full(request: HttpRequest, full: str, partial: str) -> str:
    """Pick the fragment template when htmx asks, the whole page otherwise."""
    is_htmx = bool(getattr(request, "htmx", False))
    is_boosted = bool(getattr(getattr(request, "htmx", None), "boosted", False))
    return partial if is_htmx and not is_boosted else full
