"""The engine: facts in, qualifying rows, amounts and reasoning out (see the package docstring)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ctxh.assistance.eligibility.base import RuleBook, dmy
from ctxh.assistance.eligibility.facts import (
    SCHEME_ALLOWANCE,
    SCHEME_CARE,
    SCHEME_PENSION,
    SCHEME_RESIDENTIAL,
    Facts,
    Line,
    Result,
)
from ctxh.assistance.eligibility.groups import GroupRules
from ctxh.core.templatetags.ctxh import vnd


class _Evaluation(GroupRules):
    """One run: the groups, then what is actually paid."""

    # What is paid -----------------------------------------------------------

    def paid(self) -> list[Line]:
        allowance = [ln for ln in self.lines if ln.scheme == SCHEME_ALLOWANCE]
        residential = [ln for ln in self.lines if ln.scheme == SCHEME_RESIDENTIAL]
        care = [ln for ln in self.lines if ln.scheme == SCHEME_CARE]
        pension = next((ln for ln in self.lines if ln.scheme == SCHEME_PENSION), None)

        assistance: list[Line] = []
        if residential:
            assistance = residential[:1]
            if allowance:
                self.reasoning.append(
                    _("Đang được nuôi dưỡng tại cơ sở: hưởng trợ cấp nuôi dưỡng, không hưởng trợ cấp xã hội hằng "
                      "tháng tại cộng đồng — %(source)s.") % {"source": residential[0].rules[0].source})
        elif allowance:
            assistance = self.highest_allowance(allowance)

        if pension is not None:
            current = sum(ln.amount for ln in assistance)
            if not assistance:
                assistance = [pension]
            elif pension.amount > current:
                self.reasoning.append(
                    _("Trợ cấp hưu trí xã hội %(p)s cao hơn trợ cấp đang xét %(a)s: hưởng trợ cấp hưu trí xã hội.")
                    % {"p": vnd(pension.amount), "a": vnd(current)})
                assistance = [pension]
            elif pension.amount == current:
                tie = self.rule("assistance.social_pension.on_tie")
                assert tie is not None
                if tie.value == "social_pension":
                    assistance = [pension]
                    chosen = _("hưởng trợ cấp hưu trí xã hội")
                else:
                    chosen = _("giữ trợ cấp xã hội hằng tháng")
                self.reasoning.append(_("Trợ cấp hưu trí xã hội bằng trợ cấp xã hội hằng tháng (%(a)s): %(chosen)s "
                                        "— %(source)s (cần xác minh).")
                                      % {"a": vnd(current), "chosen": chosen, "source": tie.source})
            else:
                self.reasoning.append(
                    _("Trợ cấp xã hội %(a)s cao hơn trợ cấp hưu trí xã hội %(p)s: hưởng trợ cấp xã hội.")
                    % {"a": vnd(current), "p": vnd(pension.amount)})

        paid_care: list[Line] = []
        if care and residential:
            self.reasoning.append(_("Đang được nuôi dưỡng tại cơ sở: không hưởng hỗ trợ chăm sóc, nuôi dưỡng tại cộng đồng."))
        elif care:
            carers = [ln for ln in care if ln.recipient == "carer"]
            if carers:
                best = max(carers, key=lambda ln: ln.amount)
                paid_care.append(best)
                if len(carers) > 1:
                    self.reasoning.append(_("Hỗ trợ người chăm sóc: chỉ hưởng một mức cao nhất, %(label)s.")
                                          % {"label": best.label})
            paid_care += [ln for ln in care if ln.recipient != "carer"]
        return assistance + paid_care

    def highest_allowance(self, allowance: list[Line]) -> list[Line]:
        """The one highest allowance, or a poor single parent's allowance beside one of the groups the rule names.

        The exception pays both only against the groups of
        ``assistance.both_with_single_parent`` (elderly, disabled, HIV); when a
        group outside it pays more alone than the pair, the highest alone is paid.
        """
        if len(allowance) == 1:
            return list(allowance)
        both = self.rule("assistance.both_with_single_parent")
        assert both is not None
        best = max(allowance, key=lambda ln: ln.amount)
        single = next((ln for ln in allowance if ln.term == "d20_5_5"), None)
        pair_with = [ln for ln in allowance if ln.term != "d20_5_5" and ln.term in set(both.value or [])]
        if single is not None and pair_with:
            partner = max(pair_with, key=lambda ln: ln.amount)
            if partner.amount + single.amount >= best.amount:
                self.reasoning.append(
                    _("Người đơn thân nghèo đang nuôi con đồng thời là người cao tuổi, người khuyết tật hoặc nhiễm "
                      "HIV/AIDS: hưởng cả %(a)s và %(b)s — %(source)s.")
                    % {"a": partner.label, "b": single.label, "source": both.source})
                return [partner, single]
        self.reasoning.append(
            _("Thuộc nhiều diện: chỉ hưởng một mức cao nhất, %(label)s (%(amount)s) — %(source)s.")
            % {"label": best.label, "amount": vnd(best.amount), "source": both.source})
        return [best]


def evaluate(facts: Facts, *, book: RuleBook | None = None) -> Result:
    """Every qualifying row, what is paid and why, for ``facts`` on ``facts.on``.

    Raises ``RuleMissing`` when a rule the judgement cannot do without (the base
    level, an age limit) has no row in force on that date.
    """
    book = book if book is not None and book.on == facts.on else RuleBook.load(facts.on)
    run = _Evaluation(facts, book)
    run.reasoning.append(_("Ngày xét: %(on)s.") % {"on": dmy(facts.on)})
    base_rule = run.base_level()
    run.compute_age()
    run.monthly_allowance()
    run.residential()
    run.care()
    run.social_pension()
    if not run.lines:
        run.reasoning.append(_("Không thuộc diện nào được hưởng theo các dữ kiện đã nhập."))
        paid: list[Line] = []
    else:
        paid = run.paid()
        run.reasoning.append(_("Tổng được hưởng mỗi tháng: %(total)s.") % {"total": vnd(sum(ln.amount for ln in paid))})
    return Result(
        on=facts.on, base_level=run.base, base_rule=base_rule, age=run.age,
        qualifying=tuple(run.lines), paid=tuple(paid), total=sum(ln.amount for ln in paid),
        reasoning=tuple(run.reasoning), rejected=tuple(run.rejections), rules=tuple(run.used.values()),
        birth_assumed=run.birth,
    )
