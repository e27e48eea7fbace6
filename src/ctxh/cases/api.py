"""JSON API of the cases app (mounted in ctxh.api.root)."""

from ninja import Router

router = Router(tags=["cases"])
