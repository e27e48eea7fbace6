"""Case types, their steps and transitions, deadline rules and lists, with their sources.

Loaded by a data migration (``0003_reference_data``); only missing rows are
added, so an administrator's edits survive. Code refers to codes and kinds,
never to the values here.

Sources whose exact wording we could not check are marked "(cần kiểm tra)" in
the rule's note so an administrator can confirm them; they stay data.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

D = dt.date

DECREE_56 = "Nghị định 56/2017/NĐ-CP"
CIRCULAR_02 = "Thông tư 02/2020/TT-BLĐTBXH"
CIRCULAR_01_2015 = "Thông tư 01/2015/TT-BLĐTBXH, Mẫu số 2"
LAW_CHILDREN = "Luật Trẻ em 102/2016/QH13"
PRACTICE = "Danh mục nghiệp vụ của Trung tâm (không do văn bản pháp luật quy định)"

# Effective dates. Decree 56/2017 from 01/7/2017 (cần kiểm tra); Circular 02/2020
# from 30/3/2020 (domain.md); Circular 01/2015 from its issue date 06/01/2015.
DECREE_56_FROM = D(2017, 7, 1)
CIRCULAR_02_FROM = D(2020, 3, 30)
CIRCULAR_01_FROM = D(2015, 1, 6)

# Deadline rules (keys of core.Rule rows).
RULE_EMERGENCY = "case.cp.emergency_action"
RULE_PLAN_DRAFT = "case.cp.plan_draft"
RULE_PLAN_APPROVAL = "case.cp.plan_approval"
# Beneficiary groups whose cases are sealed (not a deadline: the list of Term codes).
RULE_SEALED_GROUPS = "case.sealed_person_groups"

RULES: list[dict[str, Any]] = [
    {
        "key": RULE_EMERGENCY, "valid_from": DECREE_56_FROM, "value": {"hours": 12}, "unit": "giờ",
        "source": f"{DECREE_56}, Điều 26 khoản 3, Điều 31 khoản 2",
        "note": "Trẻ em có nguy cơ cao hoặc đang bị tổn hại nghiêm trọng: can thiệp khẩn cấp, đánh giá nguy cơ "
                "ban đầu trong 12 giờ kể từ khi nhận được thông tin. Hiệu lực 01/7/2017 (cần kiểm tra).",
    },
    {
        "key": RULE_PLAN_DRAFT, "valid_from": DECREE_56_FROM, "value": {"working_days": 5}, "unit": "ngày làm việc",
        "source": f"{DECREE_56}, Điều 28 khoản 1",
        "note": "Xây dựng kế hoạch hỗ trợ, can thiệp trong 5 ngày làm việc. Nghị định không nêu mốc bắt đầu; "
                "tính từ khi hoàn thành đánh giá chi tiết.",
    },
    {
        "key": RULE_PLAN_APPROVAL, "valid_from": DECREE_56_FROM, "value": {"working_days": 2},
        "unit": "ngày làm việc", "source": f"{DECREE_56}, Điều 28 khoản 4",
        "note": "Chủ tịch UBND cấp xã phê duyệt kế hoạch trong 2 ngày làm việc kể từ khi nhận được kế hoạch; "
                "trong hệ thống là người có quyền phê duyệt hồ sơ.",
    },
    {
        "key": RULE_SEALED_GROUPS, "valid_from": D(2017, 6, 1), "value": {"groups": ["tedb_11", "tedb_12"]},
        "unit": "", "source": f"{LAW_CHILDREN}, Điều 10 (trẻ em bị xâm hại tình dục, bị mua bán); "
                              "Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15 (dữ liệu nhạy cảm)",
        "note": "Hồ sơ của người thuộc các diện này được niêm phong: chỉ nhóm phụ trách và lãnh đạo được xem.",
    },
]

NEED_DOMAINS = [
    ("livelihood", "Sinh kế", "Livelihood"),
    ("health", "Chăm sóc sức khỏe", "Health care"),
    ("education", "Giáo dục, học nghề, việc làm", "Education, vocational training and jobs"),
    ("family", "Quan hệ gia đình, xã hội", "Family and social relationships"),
    ("life_skills", "Kỹ năng sống", "Life skills"),
    ("community", "Tham gia hoạt động cộng đồng", "Community participation"),
    ("psychological", "Tâm lý, tình cảm", "Psychological and emotional"),
    ("other", "Nhu cầu khác", "Other"),
]

CLOSURE_REASONS = [
    ("goals_met", "Đã đạt mục tiêu kế hoạch; đối tượng an toàn, ổn định", "Plan goals met; safe and stable",
     f"{DECREE_56} (đánh giá, đóng hồ sơ); {CIRCULAR_02} (đánh giá và kết thúc)", DECREE_56_FROM),
    ("no_risk", "Xác minh không có nguy cơ, thông tin không có cơ sở", "No risk found; report unfounded",
     f"{DECREE_56} (đánh giá nguy cơ ban đầu)", DECREE_56_FROM),
    ("no_contact", "Không liên lạc được từ 01 tháng trở lên", "No contact for a month or more",
     f"{CIRCULAR_02}, Điều 8 khoản 3", CIRCULAR_02_FROM),
    ("transferred", "Chuyển nơi cư trú hoặc chuyển đơn vị khác quản lý", "Moved or transferred to another agency",
     PRACTICE, DECREE_56_FROM),
    ("refused", "Đối tượng hoặc người đại diện từ chối tiếp tục nhận hỗ trợ", "Support refused",
     PRACTICE, DECREE_56_FROM),
    ("deceased", "Đối tượng qua đời", "Deceased", PRACTICE, DECREE_56_FROM),
    ("other", "Lý do khác (ghi rõ trong kết quả)", "Other (see outcome)", PRACTICE, DECREE_56_FROM),
]

# Steps: (code, name, name_en, kind, needs_approval, form, source)
CP_STEPS = [
    ("intake", "Tiếp nhận thông tin, thông báo", "Intake of a report", "intake", False, "Mẫu số 01",
     f"{DECREE_56}, Điều 25–30"),
    ("initial_assessment", "Đánh giá nguy cơ ban đầu", "Initial risk assessment", "assessment", False,
     "Mẫu số 02", f"{DECREE_56}, Điều 26"),
    ("detailed_assessment", "Đánh giá chi tiết", "Detailed assessment", "assessment", False, "Mẫu số 03",
     f"{DECREE_56}, Điều 25–30"),
    ("plan", "Xây dựng kế hoạch hỗ trợ, can thiệp", "Support and intervention plan", "plan", True,
     "Mẫu số 04, 05", f"{DECREE_56}, Điều 28"),
    ("implementation", "Tổ chức thực hiện kế hoạch", "Carrying out the plan", "implementation", False, "",
     f"{DECREE_56}, Điều 25–30"),
    ("review", "Theo dõi, đánh giá, rà soát", "Monitoring and review", "review", False, "Mẫu số 06",
     f"{DECREE_56}, Điều 25–30"),
    ("closure", "Đề nghị đóng hồ sơ (chờ phê duyệt)", "Closure requested (awaiting approval)", "closure", True,
     "Mẫu số 06", f"{DECREE_56}, Điều 25–30"),
    ("closed", "Đã đóng hồ sơ", "Closed", "closed", False, "", f"{DECREE_56}, Điều 25–30"),
]

C02_STEPS = [
    ("assessment", "Thu thập thông tin, đánh giá nhu cầu", "Information and needs assessment", "assessment",
     False, "", CIRCULAR_02),
    ("plan", "Xây dựng kế hoạch chăm sóc, trợ giúp", "Care and support plan", "plan", True, "", CIRCULAR_02),
    ("implementation", "Thực hiện kế hoạch", "Carrying out the plan", "implementation", False, "", CIRCULAR_02),
    ("monitoring_review", "Theo dõi, rà soát, điều chỉnh kế hoạch", "Monitoring, review and adjustment",
     "review", False, "", CIRCULAR_02),
    ("closure", "Đánh giá và kết thúc (chờ phê duyệt)", "Evaluation and closure (awaiting approval)", "closure",
     True, "", CIRCULAR_02),
    ("closed", "Đã đóng hồ sơ", "Closed", "closed", False, "", CIRCULAR_02),
]

APPROVE = "case.approve"
CLOSE_NAME = ("Đề nghị đóng hồ sơ", "Request closure")


def _closure_requests(steps: list[str]) -> list[tuple]:
    return [(s, "closure", "request_closure", *CLOSE_NAME, "request_closure", "", False, False, "") for s in steps]


# Transitions: (from, to, code, name, name_en, kind, capability, assignee_may, requires_reason, source)
CP_TRANSITIONS = [
    ("intake", "initial_assessment", "start_initial_assessment", "Bắt đầu đánh giá nguy cơ ban đầu",
     "Start the initial risk assessment", "move", "", False, False, ""),
    ("initial_assessment", "detailed_assessment", "start_detailed_assessment", "Chuyển sang đánh giá chi tiết",
     "Go on to the detailed assessment", "move", "", False, False, ""),
    ("detailed_assessment", "plan", "start_plan", "Hoàn thành đánh giá, lập kế hoạch",
     "Assessment done: draw up the plan", "move", "", False, False, ""),
    ("plan", "implementation", "approve_plan", "Phê duyệt kế hoạch", "Approve the plan", "approve_plan", APPROVE,
     False, False, f"{DECREE_56}, Điều 28 khoản 4"),
    ("implementation", "review", "start_review", "Theo dõi, rà soát", "Review", "move", "", False, False, ""),
    ("review", "implementation", "continue_plan", "Tiếp tục thực hiện kế hoạch", "Continue the plan", "move", "",
     False, False, ""),
    ("review", "plan", "new_plan", "Lập kế hoạch mới", "Draw up a new plan", "move", "", False, False, ""),
    *_closure_requests(["intake", "initial_assessment", "detailed_assessment", "plan", "implementation", "review"]),
    ("closure", "closed", "approve_closure", "Phê duyệt đóng hồ sơ", "Approve the closure", "approve_closure",
     APPROVE, False, False, ""),
    ("closure", "review", "reject_closure", "Không duyệt đóng: tiếp tục theo dõi, rà soát",
     "Refuse the closure: keep reviewing", "reject_closure", APPROVE, False, True, ""),
    ("closure", "initial_assessment", "reject_closure_reassess", "Không duyệt đóng: đánh giá lại nguy cơ",
     "Refuse the closure: assess the risk again", "reject_closure", APPROVE, False, True, ""),
    ("closed", "initial_assessment", "reopen", "Mở lại hồ sơ", "Reopen the case", "reopen", APPROVE, True, True, ""),
]

C02_TRANSITIONS = [
    ("assessment", "plan", "start_plan", "Hoàn thành đánh giá, lập kế hoạch", "Assessment done: draw up the plan",
     "move", "", False, False, ""),
    ("plan", "implementation", "approve_plan", "Phê duyệt kế hoạch", "Approve the plan", "approve_plan", APPROVE,
     False, False, f"{CIRCULAR_02} (thủ trưởng cơ sở hoặc Chủ tịch UBND cấp xã phê duyệt kế hoạch)"),
    ("implementation", "monitoring_review", "start_review", "Theo dõi, rà soát", "Review", "move", "", False,
     False, ""),
    ("monitoring_review", "implementation", "continue_plan", "Tiếp tục thực hiện kế hoạch", "Continue the plan",
     "move", "", False, False, ""),
    ("monitoring_review", "plan", "new_plan", "Điều chỉnh, lập kế hoạch mới", "Adjust: draw up a new plan", "move",
     "", False, False, ""),
    *_closure_requests(["assessment", "plan", "implementation", "monitoring_review"]),
    ("closure", "closed", "approve_closure", "Phê duyệt đóng hồ sơ", "Approve the closure", "approve_closure",
     APPROVE, False, False, ""),
    ("closure", "monitoring_review", "reject_closure", "Không duyệt đóng: tiếp tục theo dõi, rà soát",
     "Refuse the closure: keep reviewing", "reject_closure", APPROVE, False, True, ""),
    ("closure", "assessment", "reject_closure_reassess", "Không duyệt đóng: đánh giá lại nhu cầu",
     "Refuse the closure: assess the needs again", "reject_closure", APPROVE, False, True, ""),
    ("closed", "assessment", "reopen", "Mở lại hồ sơ", "Reopen the case", "reopen", APPROVE, True, True, ""),
]

# Deadline triggers of child protection:
# (step timed, rule, start event, start step, stop event, stop step, serious risk only, name)
CP_TRIGGERS = [
    ("initial_assessment", RULE_EMERGENCY, "opened", None, "step_left", "initial_assessment", True,
     "Can thiệp khẩn cấp, đánh giá nguy cơ ban đầu (12 giờ từ khi nhận thông tin)"),
    ("plan", RULE_PLAN_DRAFT, "step_left", "detailed_assessment", "plan_submitted", None, False,
     "Xây dựng kế hoạch hỗ trợ, can thiệp (5 ngày làm việc)"),
    ("plan", RULE_PLAN_APPROVAL, "plan_submitted", None, "plan_approved", None, False,
     "Phê duyệt kế hoạch (2 ngày làm việc)"),
]

# Circular 02/2020 sets no deadline for any step (domain.md): no triggers.
CASE_TYPES: list[dict[str, Any]] = [
    {"code": "child_protection", "name": "Bảo vệ trẻ em (hỗ trợ, can thiệp)", "name_en": "Child protection",
     "sealed_by_default": False, "source": f"{LAW_CHILDREN}; {DECREE_56}, Điều 25–30",
     "valid_from": DECREE_56_FROM, "position": 1,
     "steps": CP_STEPS, "transitions": CP_TRANSITIONS, "triggers": CP_TRIGGERS},
    {"code": "facility_commune", "name": "Quản lý trường hợp tại cơ sở trợ giúp xã hội và cấp xã",
     "name_en": "Case management at facilities and communes", "sealed_by_default": False,
     "source": CIRCULAR_02, "valid_from": CIRCULAR_02_FROM, "position": 2,
     "steps": C02_STEPS, "transitions": C02_TRANSITIONS, "triggers": []},
    {"code": "gbv", "name": "Bạo lực trên cơ sở giới", "name_en": "Gender-based violence",
     "sealed_by_default": True,
     "source": f"Quy trình theo {CIRCULAR_02}; bảo mật theo Luật Phòng, chống bạo lực gia đình 13/2022/QH15",
     "valid_from": CIRCULAR_02_FROM, "position": 3,
     "steps": C02_STEPS, "transitions": C02_TRANSITIONS, "triggers": []},
    {"code": "elderly", "name": "Người cao tuổi", "name_en": "Elderly", "sealed_by_default": False,
     "source": f"Luật Người cao tuổi 39/2009/QH12; quy trình theo {CIRCULAR_02}",
     "valid_from": CIRCULAR_02_FROM, "position": 4,
     "steps": C02_STEPS, "transitions": C02_TRANSITIONS, "triggers": []},
    {"code": "mental_health", "name": "Sức khỏe tâm thần", "name_en": "Mental health", "sealed_by_default": False,
     "source": f"Quy trình theo {CIRCULAR_02}", "valid_from": CIRCULAR_02_FROM, "position": 5,
     "steps": C02_STEPS, "transitions": C02_TRANSITIONS, "triggers": []},
    {"code": "general", "name": "Trường hợp khác", "name_en": "General", "sealed_by_default": False,
     "source": f"Quy trình theo {CIRCULAR_02}", "valid_from": CIRCULAR_02_FROM, "position": 6,
     "steps": C02_STEPS, "transitions": C02_TRANSITIONS, "triggers": []},
]


def _terms() -> list[dict[str, Any]]:
    rows = [dict(vocabulary="need_domain", code=code, name=name, name_en=name_en, position=i,
                 valid_from=CIRCULAR_01_FROM, source=CIRCULAR_01_2015)
            for i, (code, name, name_en) in enumerate(NEED_DOMAINS, start=1)]
    rows += [dict(vocabulary="case_closure_reason", code=code, name=name, name_en=name_en, position=i,
                  valid_from=since, source=source)
             for i, (code, name, name_en, source, since) in enumerate(CLOSURE_REASONS, start=1)]
    return rows


def load_reference(apps: Any) -> int:
    """Add what is missing of the case reference data; never overwrite a row an administrator edited.

    ``apps`` is the migration's app registry (or ``django.apps.apps``).
    """
    Term = apps.get_model("core", "Term")
    Rule = apps.get_model("core", "Rule")
    CaseType = apps.get_model("cases", "CaseType")
    CaseStep = apps.get_model("cases", "CaseStep")
    CaseTransition = apps.get_model("cases", "CaseTransition")
    DeadlineTrigger = apps.get_model("cases", "DeadlineTrigger")
    added = 0

    have_terms = set(Term.objects.values_list("vocabulary", "code"))
    new_terms = [Term(**r) for r in _terms() if (r["vocabulary"], r["code"]) not in have_terms]
    Term.objects.bulk_create(new_terms)
    added += len(new_terms)

    have_rules = set(Rule.objects.values_list("key", "valid_from"))
    new_rules = [Rule(**r) for r in RULES if (r["key"], r["valid_from"]) not in have_rules]
    Rule.objects.bulk_create(new_rules)
    added += len(new_rules)

    for spec in CASE_TYPES:
        fields = {k: v for k, v in spec.items() if k not in ("steps", "transitions", "triggers")}
        case_type, created = CaseType.objects.get_or_create(code=spec["code"], defaults=fields)
        added += created
        steps = {s.code: s for s in CaseStep.objects.filter(case_type=case_type)}
        for position, (code, name, name_en, kind, needs_approval, form, source) in enumerate(spec["steps"], 1):
            if code not in steps:
                steps[code] = CaseStep.objects.create(
                    case_type=case_type, code=code, name=name, name_en=name_en, kind=kind, position=position,
                    needs_approval=needs_approval, form=form, source=source)
                added += 1
        have_moves = set(CaseTransition.objects.filter(case_type=case_type).values_list("from_step__code", "code"))
        for position, row in enumerate(spec["transitions"], 1):
            frm, to, code, name, name_en, kind, capability, assignee_may, requires_reason, source = row
            if (frm, code) in have_moves:
                continue
            CaseTransition.objects.create(
                case_type=case_type, from_step=steps[frm], to_step=steps[to], code=code, name=name, name_en=name_en,
                kind=kind, requires_capability=capability, assignee_may=assignee_may,
                requires_reason=requires_reason, position=position, source=source)
            added += 1
        if not DeadlineTrigger.objects.filter(case_type=case_type).exists():
            for step, rule, start, start_step, stop, stop_step, serious, name in spec["triggers"]:
                rule_source = next(r["source"] for r in RULES if r["key"] == rule)
                DeadlineTrigger.objects.create(
                    case_type=case_type, step=steps[step], rule_key=rule, start_event=start,
                    start_step=steps[start_step] if start_step else None, stop_event=stop,
                    stop_step=steps[stop_step] if stop_step else None, serious_risk_only=serious, name=name,
                    source=rule_source)
                added += 1
    return added


def transition_table() -> list[tuple[str, str, str, str, str]]:
    """``(type, from step, code, to step, kind)`` for every legal move (tests parametrize over it)."""
    return [(spec["code"], row[0], row[2], row[1], row[5]) for spec in CASE_TYPES for row in spec["transitions"]]


def step_codes(type_code: str) -> list[str]:
    spec = next(s for s in CASE_TYPES if s["code"] == type_code)
    return [s[0] for s in spec["steps"]]
