"""People and households over JSON, on the same services and scoping as the pages."""

from __future__ import annotations

from ninja import Router

people_router = Router(tags=["people"])
households_router = Router(tags=["households"])
