"""From the first call to a closed case, in the browser, each person at their own desk.

Issue: "`counsellor` logs a call about an abused child and opens a case from it;
`director` sees it with its 12-hour deadline and assigns `caseworker`;
`caseworker` records the assessment and the plan; `director` approves;
`caseworker` closes; `director` approves the closure."
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone
from playwright.sync_api import Dialog, Locator, Page, expect

from tests.browser.conftest import browser_db
from tests.conftest import PASSWORD
from tests.factories import PersonFactory

pytestmark = browser_db

CHILD = "Triệu Thị Lan"
SUMMARY = "Cô giáo gọi báo em Lan (9 tuổi) đến lớp với nhiều vết bầm, kể bị bố đánh bằng roi tối qua."
EMERGENCY = "Can thiệp khẩn cấp, đánh giá nguy cơ ban đầu"
SHOT = "/tmp/ctxh-case-closed.png"


# Helpers -------------------------------------------------------------------------------

def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    expect(page.get_by_role("heading", name="Đăng nhập CTXH")).to_be_visible()
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name=re.compile("Xin chào"))).to_be_visible()


def log_out(page: Page) -> None:
    page.locator("header").get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("heading", name="Đăng nhập CTXH")).to_be_visible()


def message(page: Page, text: str) -> None:
    expect(page.locator(".messages")).to_contain_text(text)


def draft_acknowledged(page: Page) -> None:
    """Wait until the server has the draft of everything typed (the screen's own bookkeeping
    in localStorage says nothing is pending), so no autosave is still on its way."""
    expect(page.locator("#draft-status")).to_contain_text("Đã lưu nháp", timeout=5000)
    page.wait_for_function(
        "() => Object.keys(localStorage).filter(k => k.startsWith('ctxh:call:'))"
        ".some(k => JSON.parse(localStorage.getItem(k)).pending === false)", timeout=5000)


def open_case_page(page: Page, number: str) -> None:
    """From "my cases" (Hồ sơ in the menu), follow the case's number."""
    page.locator("header nav").get_by_role("link", name="Hồ sơ").click()
    expect(page.get_by_role("heading", name="Hồ sơ của tôi")).to_be_visible()
    page.locator("#table").get_by_role("link", name=number).click()
    expect(page.locator("h1")).to_contain_text(f"Hồ sơ {number}")


def current_step(page: Page, name: str) -> None:
    expect(page.locator("dl.facts dt", has_text="Bước hiện tại").locator("xpath=following-sibling::dd[1]")
           ).to_have_text(re.compile(re.escape(name)))


def move(page: Page, name: str, to_step: str) -> None:
    """Press one of the case page's step buttons."""
    page.get_by_role("region", name="Thao tác").get_by_role("button", name=name, exact=True).click()
    message(page, f"Đã thực hiện: {name}")
    current_step(page, to_step)


def tab(page: Page, label: str) -> Locator:
    page.get_by_role("tab", name=label).click()
    expect(page.get_by_role("tab", name=label)).to_have_attribute("aria-selected", "true")
    page.wait_for_load_state()  # deferred scripts have run: approvals ask for confirmation
    return page.get_by_role("tabpanel")


def deadline_row(page: Page, name: str) -> Locator:
    return page.locator("section.panel", has=page.get_by_role("heading", name="Thời hạn")).locator(
        "tbody tr", has_text=name)


def record_assessment(page: Page, kind: str, risk: str, summary: str, needs: dict[str, tuple[str, str]]) -> None:
    panel = tab(page, "Đánh giá")
    panel.get_by_role("link", name=re.compile("Nhập kết quả đánh giá")).click()
    expect(page.get_by_role("heading", name="Nhập kết quả đánh giá")).to_be_visible()
    page.get_by_label("Loại đánh giá").select_option(label=kind)
    page.get_by_label("Mức độ nguy cơ").select_option(label=risk)
    page.get_by_label(re.compile("^Nhận định chung")).fill(summary)
    for domain, (need, priority) in needs.items():
        row = page.locator("tbody tr", has_text=domain)
        row.locator("textarea").fill(need)
        row.locator("select").select_option(label=priority)
    page.get_by_role("button", name="Lưu kết quả đánh giá").click()
    message(page, "Đã ghi kết quả đánh giá.")
    expect(page.get_by_role("tab", name="Đánh giá")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_role("tabpanel").get_by_role("heading", name=re.compile(kind))).to_be_visible()


# The story ---------------------------------------------------------------------------------

def test_a_call_about_an_abused_child_becomes_a_case_that_is_worked_and_closed(page: Page, live_server, live_cast, geo):
    from ctxh.cases.models import Case, CaseDeadline
    from ctxh.hotline.models import Call

    base = live_server.url
    PersonFactory(full_name=CHILD, sex="female", commune=geo["c1"], birth_date=dt.date(2016, 9, 3))
    confirmations: list[str] = []

    def accept(dialog: Dialog) -> None:  # the "are you sure?" of approvals: the user says yes
        confirmations.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)

    # 1. The counsellor takes the call -------------------------------------------------------
    log_in(page, base, "counsellor")
    page.locator("header nav").get_by_role("link", name="Tổng đài").click()
    expect(page.get_by_role("heading", name="Cuộc gọi tổng đài")).to_be_visible()
    page.get_by_role("button", name=re.compile("Cuộc gọi mới")).click()
    expect(page.get_by_role("heading", name=re.compile(r"^Cuộc gọi #\d+$"))).to_be_visible()
    expect(page.locator("[data-call-timer]")).to_have_text(re.compile(r"00:0[1-9]"), timeout=5000)

    # The child, found by typing her name without marks; Enter adds her to the call.
    search = page.locator("#person-q")
    expect(search).to_be_focused()
    search.press_sequentially("trieu lan", delay=40)
    expect(page.locator("#person-results")).to_contain_text(CHILD)
    search.press("Enter")
    expect(page.locator("#subject-list")).to_contain_text(CHILD)

    # Topic 4.1 by keyboard, urgency high, the summary.
    page.keyboard.press("Alt+c")
    expect(page.locator("#topic-filter")).to_be_focused()
    page.keyboard.type("4.1")
    page.keyboard.press("Enter")
    expect(page.locator("#topics-chosen")).to_contain_text("Bạo lực thể chất")
    page.locator("#id_urgency").select_option("high")
    page.keyboard.press("Alt+o")
    expect(page.locator("#id_summary")).to_be_focused()
    page.keyboard.type(SUMMARY)
    draft_acknowledged(page)

    # Save (the call goes on).
    page.keyboard.press("Alt+s")
    message(page, "Đã lưu.")
    page.wait_for_load_state()  # htmx listens again before we change anything (autosave)
    expect(page.locator("#id_summary")).to_have_value(SUMMARY)
    expect(page.locator("#subject-list")).to_contain_text(CHILD)

    # Open a case from the call: child protection, the child at serious risk.
    panel = page.locator("#case-panel")
    panel.get_by_label("Loại trường hợp").select_option(label="Bảo vệ trẻ em (hỗ trợ, can thiệp)")
    expect(panel.get_by_label("Hồ sơ cho người")).to_have_value(re.compile(r"\d+"))
    expect(panel.get_by_label("Hồ sơ cho người").locator("option:checked")).to_have_text(CHILD)
    panel.get_by_label("Trẻ em/người có nguy cơ bị tổn hại nghiêm trọng").check()
    draft_acknowledged(page)
    panel.get_by_role("button", name="Lưu và mở hồ sơ").click()

    # The case page: opened from the call, at intake, the 12-hour clock running from the call's start.
    expect(page).to_have_url(re.compile(r"/cases/\d+/$"))
    expect(page.locator("h1")).to_contain_text(re.compile(r"Hồ sơ HS-\d{4}-\d{6}"))
    number = re.search(r"HS-\d{4}-\d{6}", page.locator("h1").inner_text()).group(0)
    case_url = page.url
    message(page, f"Đã mở hồ sơ {number} từ cuộc gọi.")
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text(CHILD)
    expect(facts).to_contain_text("Bảo vệ trẻ em (hỗ trợ, can thiệp)")
    expect(facts).to_contain_text("Nguy cơ tổn hại nghiêm trọng")
    expect(facts).to_contain_text("Chưa phân công")
    current_step(page, "Tiếp nhận thông tin, thông báo")

    call = Call.objects.get()
    started = timezone.localtime(call.started_at)
    due = (started + dt.timedelta(hours=12)).strftime("%d/%m/%Y %H:%M")
    expect(facts).to_contain_text(started.strftime("%d/%m/%Y %H:%M"))  # reported at the call's start
    row = deadline_row(page, EMERGENCY)
    expect(row).to_contain_text(due)
    expect(row).to_contain_text("Sắp đến hạn")

    # Back to the call, still running: it now points to the case; end it.
    page.locator("header nav").get_by_role("link", name="Tổng đài").click()
    page.get_by_role("link", name=re.compile(r"Tiếp tục cuộc gọi")).click()
    expect(page.locator("#case-panel")).to_contain_text(f"Cuộc gọi đã gắn với hồ sơ {number}")
    expect(page.locator("[data-call-timer]")).not_to_have_text("00:00")  # the screen's script is running
    page.keyboard.press("Alt+x")
    heading = page.get_by_role("heading", name=re.compile(rf"^Cuộc gọi #{call.pk}\b"))
    expect(heading).to_be_visible()
    expect(heading.locator(".badge", has_text="Cao")).to_be_visible()  # urgency high
    message(page, f"Đã kết thúc và lưu cuộc gọi #{call.pk}.")
    expect(page.locator("main")).to_contain_text("Đã mở hồ sơ trường hợp")
    expect(page.locator("main").get_by_role("link", name=number)).to_have_attribute("href", re.compile(r"/cases/\d+/$"))
    log_out(page)

    # 2. The director sees it with its 12-hour deadline and assigns the caseworker ---------------
    log_in(page, base, "director")
    page.locator("header nav").get_by_role("link", name="Hồ sơ").click()
    page.get_by_role("link", name="Trang lãnh đạo").click()
    expect(page.get_by_role("heading", name="Điều phối hồ sơ")).to_be_visible()
    soon = page.locator("h2#due-soon + table").locator("tbody tr", has_text=number)
    expect(soon).to_contain_text(EMERGENCY)
    expect(soon).to_contain_text(due)
    expect(soon).to_contain_text("Sắp đến hạn")
    expect(page.locator("h2#overdue + *")).to_have_text("Không có bước nào quá hạn.")
    unassigned = page.locator("h2#unassigned + table").locator("tbody tr", has_text=number)
    expect(unassigned).to_contain_text(CHILD)
    expect(unassigned).to_contain_text("Nguy cơ nghiêm trọng")
    expect(unassigned).to_contain_text(due)
    unassigned.get_by_label("Người phụ trách").select_option(label="Caseworker (0)")
    unassigned.get_by_role("button", name="Phân công").click()
    message(page, f"Đã phân công Caseworker cho hồ sơ {number}.")
    expect(page.get_by_role("heading", name="Điều phối hồ sơ")).to_be_visible()
    expect(page.locator("h2#unassigned + p")).to_have_text("Mọi hồ sơ đang mở đều đã có người phụ trách.")
    expect(page.locator("h2#due-soon + table").locator("tbody tr", has_text=number)).to_contain_text("Caseworker")
    log_out(page)

    # 3. The caseworker assesses and plans --------------------------------------------------------
    log_in(page, base, "caseworker")
    page.locator("header nav").get_by_role("link", name="Hồ sơ").click()
    expect(page.get_by_role("heading", name="Hồ sơ của tôi")).to_be_visible()
    expect(page.locator("#due-title + *")).to_contain_text("1 việc sắp đến hạn")
    expect(page.locator("#table tbody tr", has_text=number)).to_contain_text("Tiếp nhận thông tin, thông báo")
    open_case_page(page, number)
    expect(page.locator("dl.facts")).to_contain_text("Caseworker")

    move(page, "Bắt đầu đánh giá nguy cơ ban đầu", "Đánh giá nguy cơ ban đầu")
    record_assessment(
        page, "Đánh giá nguy cơ ban đầu", "Cao",
        "Nhiều vết bầm ở lưng và tay; em sợ về nhà. Mẹ đi làm xa, bố uống rượu thường xuyên.",
        {"Tâm lý, tình cảm": ("Em sợ hãi, cần được tham vấn tâm lý.", "Ưu tiên cao")})
    move(page, "Chuyển sang đánh giá chi tiết", "Đánh giá chi tiết")
    # Leaving the initial assessment stopped the 12-hour clock, in time.
    expect(deadline_row(page, EMERGENCY)).to_contain_text("Đúng hạn")
    record_assessment(
        page, "Đánh giá chi tiết", "Trung bình",
        "Em tạm ở với bà ngoại, an toàn. Bố đã được công an xã làm việc.",
        {"Tâm lý, tình cảm": ("Tham vấn tâm lý hằng tuần.", "Ưu tiên cao"),
         "Giáo dục, học nghề, việc làm": ("Theo dõi việc đi học.", "Ưu tiên trung bình")})
    move(page, "Hoàn thành đánh giá, lập kế hoạch", "Xây dựng kế hoạch hỗ trợ, can thiệp")
    expect(deadline_row(page, "Xây dựng kế hoạch hỗ trợ, can thiệp")).to_contain_text("Đang tính")

    panel = tab(page, "Kế hoạch")
    panel.get_by_role("link", name=re.compile("Lập kế hoạch")).click()
    expect(page.get_by_role("heading", name="Lập kế hoạch hỗ trợ, can thiệp")).to_be_visible()
    page.get_by_label("Mục tiêu của kế hoạch").fill("Em Lan an toàn, ổn định tâm lý và tiếp tục đi học.")
    page.locator("#id_items-0-action").fill("Tham vấn tâm lý cho em Lan, mỗi tuần một buổi")
    page.locator("#id_items-0-domain").select_option(label="Tâm lý, tình cảm")
    page.locator("#id_items-0-responsible").select_option(label="Caseworker")
    page.locator("#id_items-0-due_date").fill((timezone.localdate() + dt.timedelta(days=30)).strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Lưu dự thảo").click()
    message(page, "Đã lưu kế hoạch (dự thảo).")
    draft = page.get_by_role("tabpanel").locator("article", has_text="Phiên bản 1")
    expect(draft).to_contain_text("Dự thảo")
    expect(draft).to_contain_text("Tham vấn tâm lý cho em Lan")
    draft.get_by_role("button", name="Trình lãnh đạo phê duyệt").click()
    message(page, "Đã trình kế hoạch để lãnh đạo phê duyệt.")
    expect(page.get_by_role("tabpanel").locator("article", has_text="Phiên bản 1")).to_contain_text("Chờ phê duyệt")
    log_out(page)

    # 4. The director approves the plan -----------------------------------------------------------
    log_in(page, base, "director")
    page.goto(f"{base}/cases/director/")
    awaiting = page.locator("h2#awaiting + table").locator("tbody tr", has_text=number)
    expect(awaiting).to_contain_text("Xây dựng kế hoạch hỗ trợ, can thiệp")
    awaiting.get_by_role("link", name="Xem và quyết định").click()
    expect(page.locator("h1")).to_contain_text(number)
    panel = tab(page, "Kế hoạch")
    expect(panel).to_contain_text("Tham vấn tâm lý cho em Lan")
    panel.get_by_role("button", name="Phê duyệt kế hoạch").click()
    message(page, "Đã phê duyệt kế hoạch.")
    current_step(page, "Tổ chức thực hiện kế hoạch")
    expect(page.get_by_role("tabpanel")).to_contain_text("Kế hoạch đang thực hiện — phiên bản 1")
    expect(page.get_by_role("tabpanel")).to_contain_text("Phê duyệt bởi Director")
    log_out(page)

    # 5. The caseworker carries the plan out, reviews, and asks to close -------------------------
    log_in(page, base, "caseworker")
    open_case_page(page, number)
    current_step(page, "Tổ chức thực hiện kế hoạch")
    panel = tab(page, "Kế hoạch")
    item = panel.locator("tbody tr", has_text="Tham vấn tâm lý cho em Lan")
    item.get_by_label("Tiến độ").select_option(label="Đã xong")
    item.get_by_role("button", name="Cập nhật").click()
    message(page, "Đã cập nhật tiến độ.")
    expect(page.get_by_role("tabpanel").locator("tbody tr", has_text="Tham vấn tâm lý cho em Lan")
           .get_by_label("Tiến độ").locator("option:checked")).to_have_text("Đã xong")
    move(page, "Theo dõi, rà soát", "Theo dõi, đánh giá, rà soát")

    page.get_by_role("region", name="Thao tác").get_by_role("link", name="Đề nghị đóng hồ sơ").click()
    expect(page.get_by_role("heading", name="Đề nghị đóng hồ sơ")).to_be_visible()
    page.get_by_label("Lý do đóng hồ sơ").select_option(label="Đã đạt mục tiêu kế hoạch; đối tượng an toàn, ổn định")
    page.get_by_label("Kết quả, tình trạng của đối tượng khi đóng hồ sơ").fill(
        "Em Lan ổn định, đi học đều; gia đình cam kết không dùng bạo lực.")
    page.get_by_role("button", name="Gửi đề nghị").click()
    message(page, "Đã gửi đề nghị đóng hồ sơ; chờ lãnh đạo phê duyệt.")
    current_step(page, "Đề nghị đóng hồ sơ (chờ phê duyệt)")
    pending = page.get_by_role("tabpanel").locator("article", has_text="Đề nghị đóng hồ sơ đang chờ phê duyệt")
    expect(pending).to_contain_text("Đã đạt mục tiêu kế hoạch")
    expect(pending.get_by_role("button", name="Phê duyệt đóng hồ sơ")).to_have_count(0)  # not hers to decide
    log_out(page)

    # 6. The director approves the closure --------------------------------------------------------
    log_in(page, base, "director")
    page.goto(f"{base}/cases/director/")
    awaiting = page.locator("h2#awaiting + table").locator("tbody tr", has_text=number)
    expect(awaiting).to_contain_text("Đề nghị đóng hồ sơ (chờ phê duyệt)")
    awaiting.get_by_role("link", name="Xem và quyết định").click()
    panel = tab(page, "Đóng hồ sơ")
    pending = panel.locator("article", has_text="Đề nghị đóng hồ sơ đang chờ phê duyệt")
    expect(pending).to_contain_text("Em Lan ổn định, đi học đều")
    approve = pending.locator("form", has=page.get_by_role("button", name="Phê duyệt đóng hồ sơ"))
    approve.get_by_label("Ý kiến của lãnh đạo").fill("Đồng ý đóng hồ sơ.")
    approve.get_by_role("button", name="Phê duyệt đóng hồ sơ").click()
    message(page, "Đã phê duyệt đóng hồ sơ.")
    expect(page).to_have_url(re.compile(r"\?tab=closure$"))

    # Closed: the badge, the last step, no more moves but reopening, the closure approved.
    expect(page.locator("h1 .badge")).to_have_text("Đã đóng")
    current_step(page, "Đã đóng hồ sơ")
    expect(page.locator("dl.facts")).to_contain_text("Đóng lúc")
    moves = page.get_by_role("region", name="Thao tác").locator("summary, form > button, a.button")
    expect(moves).to_have_text(["Mở lại hồ sơ"])
    expect(page.get_by_role("tabpanel").locator("tbody tr").first).to_contain_text("Đã phê duyệt")
    deadlines = page.locator("section.panel", has=page.get_by_role("heading", name="Thời hạn")).locator("tbody tr")
    expect(deadlines).to_have_count(3)
    expect(deadlines.filter(has_text="Đúng hạn")).to_have_count(3)

    # The timeline tells the whole story, newest first.
    events = tab(page, "Dòng thời gian").locator("tbody tr")
    expected = [
        ("Phê duyệt đóng hồ sơ", "Director"),
        ("Đề nghị đóng hồ sơ", "Caseworker"),
        ("Chuyển bước", "Caseworker"),  # → review
        ("Cập nhật tiến độ hoạt động", "Caseworker"),
        ("Phê duyệt kế hoạch", "Director"),
        ("Trình kế hoạch", "Caseworker"),
        ("Soạn kế hoạch", "Caseworker"),
        ("Chuyển bước", "Caseworker"),  # → plan
        ("Ghi kết quả đánh giá", "Caseworker"),
        ("Chuyển bước", "Caseworker"),  # → detailed assessment
        ("Ghi kết quả đánh giá", "Caseworker"),
        ("Chuyển bước", "Caseworker"),  # → initial assessment
        ("Phân công", "Director"),
        ("Mở hồ sơ", "Counsellor"),
    ]
    expect(events).to_have_count(len(expected))
    for i, (kind, who) in enumerate(expected):
        expect(events.nth(i).locator("td").nth(2).locator("b")).to_have_text(kind)
        expect(events.nth(i).locator("td").nth(1)).to_have_text(who)
    expect(events.nth(len(expected) - 1)).to_contain_text(f"Số hồ sơ {number}")
    expect(events.nth(len(expected) - 2)).to_contain_text("Caseworker — Phụ trách chính")
    page.screenshot(path=SHOT, full_page=True)

    # Confirm boxes were asked before the two approvals.
    assert confirmations == ["Phê duyệt kế hoạch này?", "Phê duyệt đóng hồ sơ? Các thời hạn còn lại sẽ dừng."]

    # And underneath: the case closed, every deadline met.
    case = Case.objects.get(number=number)
    assert page.url.startswith(case_url)
    assert case.status == "closed" and case.closed_at is not None
    assert case.assigned_to.username == "caseworker"
    rows = list(CaseDeadline.objects.filter(case=case))
    assert len(rows) == 3
    assert all(d.done_at is not None and not d.cancelled and d.done_at <= d.due_at for d in rows)
    call.refresh_from_db()
    assert call.case_id == case.pk and call.outcome == "case_opened" and not call.is_open
