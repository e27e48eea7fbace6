"""JSON API of the hotline app (mounted in ctxh.api.root)."""

from ninja import Router

router = Router(tags=["hotline"])
