"""In the browser: a call typed from the keyboard, a reload, a dropped connection, nothing lost."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (  # noqa: F401 — fixtures for this module
    _serialized_snapshot_under_playwright,
    browser_context_args,
    browser_db,
    browser_type_launch_args,
    live_cast,
)
from tests.conftest import PASSWORD
from tests.factories import PersonFactory

pytestmark = browser_db


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name=re.compile("Xin chào"))).to_be_visible()


def _server_draft(page: Page, call, expected: str, attempts: int = 50) -> list[str]:
    """The summary in the server-side draft, once the autosave carrying ``expected`` landed."""
    for _ in range(attempts):
        call.refresh_from_db()
        if (call.draft or {}).get("summary") == [expected]:
            break
        page.wait_for_timeout(100)
    return (call.draft or {}).get("summary")


@pytest.mark.usefixtures("live_cast")
def test_a_call_typed_from_the_keyboard_survives_a_reload_and_a_dropped_connection(page: Page, live_server, geo):
    from ctxh.hotline.models import Call

    PersonFactory(full_name="Lò Thị Hoa", commune=geo["c1"], sex="female")
    base = live_server.url
    log_in(page, base, "counsellor")
    page.locator("header nav").get_by_role("link", name="Tổng đài").click()
    expect(page.get_by_role("heading", name="Cuộc gọi tổng đài")).to_be_visible()

    # Alt+N starts a call; the screen opens with the search box focused and the timer running.
    page.wait_for_load_state()  # the deferred hotline.js listens for the shortcut
    page.keyboard.press("Alt+n")
    expect(page.locator("[data-call-timer]")).to_have_text(re.compile(r"00:0[1-9]"), timeout=5000)
    search = page.locator("#person-q")
    expect(search).to_be_focused()

    # Type a name without marks, Enter adds the first match to the call.
    search.press_sequentially("lo hoa", delay=40)
    expect(page.locator("#person-results")).to_contain_text("Lò Thị Hoa")
    search.press("Enter")
    expect(page.locator("#subject-list")).to_contain_text("Lò Thị Hoa")

    # Topics by number: Alt+C, "4.1", Enter ticks physical abuse.
    page.keyboard.press("Alt+c")
    expect(page.locator("#topic-filter")).to_be_focused()
    page.keyboard.type("4.1")
    page.keyboard.press("Enter")
    expect(page.locator("#topics-chosen")).to_contain_text("Bạo lực thể chất")

    # Alt+O to the summary; the draft is saved on the server as we type.
    page.keyboard.press("Alt+o")
    page.keyboard.type("Mẹ gọi báo con gái bị đánh")
    expect(page.locator("#draft-status")).to_contain_text("Đã lưu nháp", timeout=5000)
    call = Call.objects.get()
    # The status may still show an earlier autosave (the topic); wait for this one.
    assert _server_draft(page, call, "Mẹ gọi báo con gái bị đánh") == ["Mẹ gọi báo con gái bị đánh"]

    # A reload brings everything back.
    page.reload()
    expect(page.locator("#id_summary")).to_have_value("Mẹ gọi báo con gái bị đánh")
    expect(page.locator("#subject-list")).to_contain_text("Lò Thị Hoa")
    expect(page.locator("#topic-list input[type=checkbox]:checked")).to_have_count(1)

    # The connection drops: typing goes on, kept in this browser.
    page.route("**/draft/", lambda route: route.abort())
    page.locator("#id_summary").focus()
    page.keyboard.press("Control+End")
    page.keyboard.type(" nhiều lần", delay=20)
    expect(page.locator("#draft-status")).to_contain_text("Mất kết nối", timeout=5000)
    page.unroute("**/draft/")
    page.reload()
    expect(page.locator("#id_summary")).to_have_value("Mẹ gọi báo con gái bị đánh nhiều lần")
    expect(page.locator("#draft-status")).to_contain_text("Đã lưu nháp", timeout=5000)
    assert _server_draft(page, call, "Mẹ gọi báo con gái bị đánh nhiều lần") == [
        "Mẹ gọi báo con gái bị đánh nhiều lần"]

    # Choose an outcome and end the call with Alt+X.
    page.locator("#id_outcome").select_option("advice")
    page.keyboard.press("Alt+x")
    expect(page.get_by_role("heading", name=re.compile(r"Cuộc gọi #\d+"))).to_be_visible()
    expect(page.locator("main")).to_contain_text("Mẹ gọi báo con gái bị đánh nhiều lần")
    call.refresh_from_db()
    assert not call.is_open and call.summary == "Mẹ gọi báo con gái bị đánh nhiều lần"
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('ctxh:call:')).length") == 0
