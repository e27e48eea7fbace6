"""Providers over JSON at /api/v1/providers."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["providers"])
