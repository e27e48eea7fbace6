"""Residents over JSON at /api/v1/residents."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["residents"])
