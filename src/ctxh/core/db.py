"""Database helpers that must behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from ctxh.core.text import unaccent


def register_sqlite_functions(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Give SQLite the deterministic ``unaccent`` that PostgreSQL has.

    FTS5's ``remove_diacritics`` does not fold đ, so we register our own; being
    deterministic, it may be used in an index.
    """
    if connection.vendor != "sqlite":
        return
    connection.connection.create_function("unaccent", 1, unaccent, deterministic=True)


def is_postgres(using: str = "default") -> bool:
    from django.db import connections

    return connections[using].vendor == "postgresql"
