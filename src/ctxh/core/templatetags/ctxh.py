"""Template helpers: dictionary lookup, Vietnamese money and pagination links."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.http import urlencode

register = template.Library()


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def vnd(amount: int | None) -> str:
    """1250000 → 1.250.000 ₫ (money is integer VND)."""
    if amount is None:
        return ""
    return f"{int(amount):,}".replace(",", ".") + " ₫"


@register.simple_tag(takes_context=True)
def query_with(context: Any, **changes: Any) -> str:
    """The current query string with some parameters replaced (for sort and page links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + urlencode(sorted((k, v) for k, v in params.items()))
