"""Template helpers of the directory and the portal."""

from __future__ import annotations

from django import template

from ctxh.core.text import digits

register = template.Library()


@register.filter
def tel(number: str | None) -> str:
    """'1800 1769' → '18001769', for ``tel:`` links."""
    return digits(number)
