"""The eligibility check over JSON at /api/v1/entitlements/check."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["entitlements"])
