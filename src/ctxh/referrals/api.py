"""Referrals over JSON at /api/v1/referrals."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["referrals"])
