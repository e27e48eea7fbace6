"""Entitlements, decisions and payment lists over JSON at /api/v1/entitlements and /api/v1/payment-lists."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["entitlements"])
payments_router = Router(tags=["payment-lists"])
