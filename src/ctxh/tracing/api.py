"""Tracing requests over JSON at /api/v1/tracing."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["tracing"])
