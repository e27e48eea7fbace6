"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live_server.

Playwright cannot download its own browsers here, so the launch fixture points at
/usr/bin/chromium. The Playwright sync API runs an event loop in the test thread,
so the ORM needs DJANGO_ALLOW_ASYNC_UNSAFE=true (set in tests/conftest.py).

live_server needs a *transactional* database: the server thread cannot see a
test's uncommitted transaction. A transactional test ends with a flush, which
would also wipe the reference data loaded by data migrations (provinces,
communes, Terms). Mark browser tests with ``browser_db`` below, i.e.
``django_db(transaction=True, serialized_rollback=True)``: the reference data is
then restored from the snapshot taken after migrating, at the start of each
such test. pytest-django runs transactional tests after all ``db`` tests (as
Django's runner does), so the final flush cannot starve the other modules.

One trap: once Playwright's sync API is running there is an asyncio loop in the
test thread, and Django's ``connections`` (an asgiref thread-critical Local)
then hands out *new* connection wrappers from context-local storage. Those lack
the ``_test_serialized_contents`` snapshot that ``setup_databases`` attached to
the original wrapper, so serialized_rollback would silently restore nothing
whenever the database was set up before the first browser test (i.e. in any
full run). ``_serialized_snapshot_under_playwright`` copies the snapshot over.
"""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"

# Apply to every browser test: Chromium, a live server, reference data kept.
browser_db = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    # pytest-playwright's own base_url fixture trips a pytest 9 deprecation.
    pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods"),
]


@pytest.fixture(scope="session", autouse=True)
def _serialized_snapshot_under_playwright(request, django_db_setup, django_db_blocker):
    """Keep serialized_rollback working after Playwright starts its event loop (see above)."""
    from django.db import connections

    # Taken before Playwright starts, when ``connections`` still gives the
    # wrappers setup_databases() serialized (unless Playwright already runs).
    snapshots = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    request.getfixturevalue("playwright")
    with django_db_blocker.unblock():
        for alias in connections:
            conn = connections[alias]
            if not hasattr(conn, "_test_serialized_contents"):
                # Fallback: Playwright was already running; the database is in
                # its migrated state here (earlier tests rolled back).
                conn._test_serialized_contents = snapshots.get(alias) or conn.creation.serialize_db_to_string()
    yield
    # Close the loop-context connections while the loop still runs, so that
    # PostgreSQL can drop the test database at the end of the session.
    with django_db_blocker.unblock():
        connections.close_all()


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict:
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    return {
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    """Vietnamese UI (LocaleMiddleware reads Accept-Language) and a desktop viewport."""
    return {
        **browser_context_args,
        "locale": "vi-VN",
        "timezone_id": "Asia/Ho_Chi_Minh",
        "viewport": {"width": 1280, "height": 900},
    }


@pytest.fixture
def live_cast(live_server, transactional_db, cast):
    """The cast of tests/conftest.py, committed so the live server thread sees it."""
    return cast
