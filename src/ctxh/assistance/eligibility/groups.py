"""The rows of each scheme: who qualifies for which coefficient (Decree 20/2021, 176/2025)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from ctxh.assistance.eligibility.base import (
    EvaluationBase,
    dmy,
    level_label,
    poverty_label,
)
from ctxh.assistance.eligibility.facts import (
    SCHEME_ALLOWANCE,
    SCHEME_CARE,
    SCHEME_PENSION,
    SCHEME_RESIDENTIAL,
    Line,
    RuleRef,
)
from ctxh.core.templatetags.ctxh import vnd


class GroupRules(EvaluationBase):
    """Each group's conditions, read against the facts and the rule rows."""

    # Groups of Decree 20/2021 art. 5 ---------------------------------------

    def monthly_allowance(self) -> None:
        f = self.f
        infant = self.number("assistance.age.infant_limit")
        child = self.number("assistance.age.child_limit")
        student = self.number("assistance.age.student_limit")
        elderly = self.number("assistance.age.elderly")
        age = self.age
        no_carer = bool(f.groups & self.codes("assistance.no_carer_codes"))
        hiv = f.hiv or bool(f.groups & self.codes("assistance.hiv_codes"))
        A = SCHEME_ALLOWANCE

        # Khoản: trẻ em dưới 16 tuổi không có nguồn nuôi dưỡng.
        label1 = _("Trẻ em dưới %(child)s tuổi không có nguồn nuôi dưỡng") % {"child": child}
        if no_carer:
            if age is None:
                self.no_age(A, "d20_5_1", label1)
            elif age < child:
                band = "under4" if age < infant else "from4"
                label = (_("Trẻ em không có nguồn nuôi dưỡng, dưới %(infant)s tuổi") if band == "under4"
                         else _("Trẻ em không có nguồn nuôi dưỡng, từ đủ %(infant)s đến dưới %(child)s tuổi")
                         ) % {"infant": infant, "child": child}
                self.add(scheme=A, group=f"d20_5_1_{band}", term="d20_5_1", label=label,
                         key=f"assistance.coef.d20_5_1.{band}",
                         reasons=[_("không có nguồn nuôi dưỡng"), _("%(age)s tuổi") % {"age": age}])
            elif self.ticked("d20_5_1"):
                self.reject(A, "d20_5_1", label1, [_("đã đủ %(limit)s tuổi") % {"limit": child}])

        # Từ 16 đến 22 tuổi đang học, trước đó là trẻ em không có nguồn nuôi dưỡng.
        label2 = _("Người từ %(child)s đến %(student)s tuổi đang học, trước đó là trẻ em không có nguồn nuôi dưỡng") % {
            "child": child, "student": student}
        if no_carer or self.ticked("d20_5_2"):
            if age is None:
                self.no_age(A, "d20_5_2", label2)
            elif child <= age <= student and f.studying:
                self.add(scheme=A, group="d20_5_2", term="d20_5_2", label=label2, key="assistance.coef.d20_5_2",
                         reasons=[_("%(age)s tuổi") % {"age": age}, _("đang đi học")])
            elif child <= age <= student:
                self.reject(A, "d20_5_2", label2, [_("không đang đi học")])
            elif age > student:
                self.reject(A, "d20_5_2", label2, [_("đã quá %(limit)s tuổi") % {"limit": student}])
            elif self.ticked("d20_5_2"):
                self.reject(A, "d20_5_2", label2, [_("chưa đủ %(limit)s tuổi") % {"limit": child}])

        # Trẻ em nhiễm HIV/AIDS thuộc hộ nghèo.
        label3 = _("Trẻ em nhiễm HIV/AIDS thuộc hộ nghèo")
        if hiv and (age is None or age < child or self.ticked("d20_5_3")):
            if age is None:
                self.no_age(A, "d20_5_3", label3)
            elif age >= child:
                self.reject(A, "d20_5_3", label3, [_("đã đủ %(limit)s tuổi") % {"limit": child}])
            else:
                ok, why = self.poverty_ok("d20_5_3")
                if not ok:
                    self.reject(A, "d20_5_3", label3, [why])
                else:
                    band = "under4" if age < infant else "from4"
                    label = (_("Trẻ em nhiễm HIV/AIDS thuộc hộ nghèo, dưới %(infant)s tuổi") if band == "under4"
                             else _("Trẻ em nhiễm HIV/AIDS thuộc hộ nghèo, từ đủ %(infant)s đến dưới %(child)s tuổi")
                             ) % {"infant": infant, "child": child}
                    self.add(scheme=A, group=f"d20_5_3_{band}", term="d20_5_3", label=label,
                             key=f"assistance.coef.d20_5_3.{band}",
                             reasons=[_("nhiễm HIV/AIDS"), why, _("%(age)s tuổi") % {"age": age}])

        # Người nhiễm HIV/AIDS thuộc hộ nghèo không có nguồn sống ổn định.
        label4 = _("Người nhiễm HIV/AIDS thuộc hộ nghèo không có nguồn sống ổn định")
        if hiv and age is not None and age >= child:
            ok, why = self.poverty_ok("d20_5_4")
            if not ok:
                self.reject(A, "d20_5_4", label4, [why])
            elif f.has_pension:
                self.reject(A, "d20_5_4", label4, [_("đang có lương hưu hoặc trợ cấp BHXH hằng tháng")])
            else:
                self.add(scheme=A, group="d20_5_4", term="d20_5_4", label=label4, key="assistance.coef.d20_5_4",
                         reasons=[_("nhiễm HIV/AIDS"), why, _("không có lương hưu, trợ cấp BHXH hằng tháng"),
                                  _("các nguồn sống ổn định khác (tiền lương, tiền công) cần xác minh khi lập hồ sơ")])
        elif self.ticked("d20_5_4") and age is None:
            self.no_age(A, "d20_5_4", label4)

        # Người đơn thân nghèo đang nuôi con.
        label5 = _("Người đơn thân nghèo đang nuôi con")
        if self.ticked("d20_5_5"):
            ok, why = self.poverty_ok("d20_5_5")
            if not ok:
                self.reject(A, "d20_5_5", label5, [why])
            elif f.children_raised < 1:
                self.reject(A, "d20_5_5", label5, [_("chưa ghi số con đang nuôi")])
            else:
                label = _("Người đơn thân nghèo đang nuôi con (%(n)s con)") % {"n": f.children_raised}
                self.add(scheme=A, group="d20_5_5", term="d20_5_5", label=label, key="assistance.coef.d20_5_5.per_child",
                         multiplier=f.children_raised,
                         reasons=[why, _("đang nuôi %(n)s con, hệ số tính cho mỗi con") % {"n": f.children_raised}])

        self.elderly(elderly)
        self.disability(child, elderly)

    def elderly(self, elderly: int) -> None:
        f = self.f
        A = SCHEME_ALLOWANCE
        age = self.age
        e75 = self.number("assistance.age.elderly_75")
        e80 = self.number("assistance.age.elderly_80")
        month_groups = self.codes("assistance.age.birthday_month_groups")

        label_a = _("Người cao tuổi thuộc hộ nghèo, không có người có nghĩa vụ phụng dưỡng")
        point_a = False
        if self.ticked("d20_5_6a"):
            ok, why = self.poverty_ok("d20_5_6a")
            if age is None:
                self.no_age(A, "d20_5_6a", label_a)
            elif age < elderly:
                self.reject(A, "d20_5_6a", label_a, [_("chưa đủ %(limit)s tuổi") % {"limit": elderly}])
            elif not ok:
                self.reject(A, "d20_5_6a", label_a, [why])
            else:
                old = age >= e80
                label = (_("Người cao tuổi thuộc hộ nghèo, không có người phụng dưỡng, từ đủ %(e80)s tuổi") if old
                         else _("Người cao tuổi thuộc hộ nghèo, không có người phụng dưỡng, từ đủ %(elderly)s đến dưới "
                                "%(e80)s tuổi")) % {"e80": e80, "elderly": elderly}
                point_a = self.add(
                    scheme=A, group="d20_5_6a_80" if old else "d20_5_6a_60", term="d20_5_6a", label=label,
                    key="assistance.coef.d20_5_6a.from80" if old else "assistance.coef.d20_5_6a.from60",
                    reasons=[_("%(age)s tuổi") % {"age": age}, why, _("không có người có nghĩa vụ phụng dưỡng")],
                ) is not None

        def age_for(group: str) -> int | None:
            return self.month_age() if group in month_groups else age

        # 75 to 80, poor or near-poor, in an especially disadvantaged commune.
        label_b = _("Người từ đủ %(e75)s đến %(e80)s tuổi thuộc hộ nghèo, cận nghèo ở vùng DTTS và miền núi đặc biệt khó khăn") % {
            "e75": e75, "e80": e80}
        age_b = age_for("d20_5_6b")
        if age_b is None:
            if self.ticked("d20_5_6b"):
                self.no_age(A, "d20_5_6b", label_b)
        elif e75 <= age_b < e80 or self.ticked("d20_5_6b"):
            ok, why = self.poverty_ok("d20_5_6b")
            where = self.disadvantaged()
            if not e75 <= age_b < e80:
                self.reject(A, "d20_5_6b", label_b, [_("%(age)s tuổi, diện này từ đủ %(low)s đến dưới %(high)s tuổi")
                                                     % {"age": age_b, "low": e75, "high": e80}])
            elif point_a:
                self.reject(A, "d20_5_6b", label_b, [_("đã thuộc diện người cao tuổi không có người phụng dưỡng")])
            elif not ok:
                self.reject(A, "d20_5_6b", label_b, [why])
            elif not where:
                self.reject(A, "d20_5_6b", label_b, [_("không sống ở xã, thôn vùng đồng bào DTTS và miền núi đặc biệt khó khăn")])
            else:
                self.add(scheme=A, group="d20_5_6b", term="d20_5_6b", label=label_b, key="assistance.coef.d20_5_6b",
                         reasons=[_("%(age)s tuổi") % {"age": age_b}, why, where])

        # 80 or over without pension.
        label_c = _("Người từ đủ %(e80)s tuổi không có lương hưu, trợ cấp BHXH hằng tháng") % {"e80": e80}
        age_c = age_for("d20_5_6c")
        if age_c is None:
            if self.ticked("d20_5_6c"):
                self.no_age(A, "d20_5_6c", label_c)
        elif age_c >= e80 or self.ticked("d20_5_6c"):
            if age_c < e80:
                self.reject(A, "d20_5_6c", label_c, [_("chưa đủ %(limit)s tuổi") % {"limit": e80}])
            elif point_a:
                self.reject(A, "d20_5_6c", label_c, [_("đã thuộc diện người cao tuổi không có người phụng dưỡng")])
            elif f.has_pension:
                self.reject(A, "d20_5_6c", label_c, [_("đang có lương hưu hoặc trợ cấp BHXH hằng tháng")])
            else:
                self.add(scheme=A, group="d20_5_6c", term="d20_5_6c", label=label_c, key="assistance.coef.d20_5_6c",
                         reasons=[_("%(age)s tuổi") % {"age": age_c}, _("không có lương hưu, trợ cấp BHXH hằng tháng")])

        label_d = _("Người cao tuổi đủ điều kiện vào cơ sở nhưng được nhận chăm sóc tại cộng đồng")
        if self.ticked("d20_5_6d"):
            ok, why = self.poverty_ok("d20_5_6d")
            if age is None:
                self.no_age(A, "d20_5_6d", label_d)
            elif age < elderly:
                self.reject(A, "d20_5_6d", label_d, [_("chưa đủ %(limit)s tuổi") % {"limit": elderly}])
            elif not ok:
                self.reject(A, "d20_5_6d", label_d, [why])
            else:
                self.add(scheme=A, group="d20_5_6d", term="d20_5_6d", label=label_d, key="assistance.coef.d20_5_6d",
                         reasons=[_("%(age)s tuổi") % {"age": age}, why,
                                  _("đủ điều kiện vào cơ sở, được nhận chăm sóc tại cộng đồng")])

    def disadvantaged(self) -> str:
        """Why the person counts as living in an especially disadvantaged area ("" if not)."""
        if self.f.disadvantaged_commune:
            return _("sống ở xã, thôn vùng đồng bào DTTS và miền núi đặc biệt khó khăn (theo khai báo)")
        if self.f.commune_id:
            listed = {int(c) for c in self.value("assistance.disadvantaged_communes") or []}
            if self.f.commune_id in listed:
                return _("xã thuộc danh sách vùng đồng bào DTTS và miền núi đặc biệt khó khăn")
        return ""

    def disability(self, child: int, elderly: int) -> None:
        f = self.f
        A = SCHEME_ALLOWANCE
        label = _("Người khuyết tật nặng, khuyết tật đặc biệt nặng")
        if not f.disability_level and not self.ticked("d20_5_7"):
            return
        paid_levels = self.codes("assistance.disability.levels_paid")
        if not f.disability_level:
            self.reject(A, "d20_5_7", label, [_("chưa ghi mức độ khuyết tật")])
            return
        if f.disability_level not in paid_levels:
            self.reject(A, "d20_5_7", _("Người khuyết tật (%(level)s)") % {"level": level_label(f.disability_level)},
                        [_("mức độ khuyết tật này không thuộc diện hưởng trợ cấp hằng tháng")])
            return
        if self.age is None:
            self.no_age(A, "d20_5_7", label)
            return
        who = "child" if self.age < child else ("elderly" if self.age >= elderly else "adult")
        band = "adult" if who == "adult" else "child_or_elderly"
        level = f.disability_level
        who_text = {"child": _("trẻ em"), "elderly": _("người cao tuổi"), "adult": _("người từ đủ %(child)s đến dưới %(elderly)s tuổi") % {
            "child": child, "elderly": elderly}}[who]
        line_label = _("%(level)s, %(who)s") % {"level": level_label(level), "who": who_text}
        self.add(scheme=A, group=f"d20_5_7_{level}_{who}", term="d20_5_7", label=line_label,
                 key=f"assistance.coef.d20_5_7.{level}.{band}",
                 reasons=[level_label(level), _("%(age)s tuổi") % {"age": self.age}])

    # Residential care (art. 25) and care support (art. 20) ----------------

    def residential(self) -> None:
        if not self.f.in_residential_care:
            return
        label = _("Nuôi dưỡng tại cơ sở trợ giúp xã hội")
        if self.age is None:
            self.no_age(SCHEME_RESIDENTIAL, "d20_25", label)
            return
        infant = self.number("assistance.age.infant_limit")
        band = "under4" if self.age < infant else "from4"
        line_label = (_("Nuôi dưỡng tại cơ sở trợ giúp xã hội, dưới %(infant)s tuổi") if band == "under4"
                      else _("Nuôi dưỡng tại cơ sở trợ giúp xã hội, từ đủ %(infant)s tuổi")) % {"infant": infant}
        self.add(scheme=SCHEME_RESIDENTIAL, group=f"d20_25_{band}", term="", label=line_label,
                 key=f"assistance.coef.residential.{band}",
                 reasons=[_("đang được nuôi dưỡng tại cơ sở bằng ngân sách nhà nước"),
                          _("%(age)s tuổi") % {"age": self.age}])

    def care(self) -> None:
        f = self.f
        C = SCHEME_CARE
        age = self.age
        child = self.number("assistance.age.child_limit")
        infant = self.number("assistance.age.infant_limit")
        elderly = self.number("assistance.age.elderly")
        paid_levels = self.codes("assistance.disability.levels_paid")

        if self.ticked("care_foster_child"):
            label = _("Hỗ trợ nhận chăm sóc, nuôi dưỡng trẻ em")
            if age is None:
                self.no_age(C, "care_foster_child", label)
            elif age >= child:
                self.reject(C, "care_foster_child", label, [_("đã đủ %(limit)s tuổi") % {"limit": child}])
            else:
                band = "under4" if age < infant else "from4"
                line_label = (_("Hỗ trợ nhận chăm sóc, nuôi dưỡng trẻ em dưới %(infant)s tuổi") if band == "under4"
                              else _("Hỗ trợ nhận chăm sóc, nuôi dưỡng trẻ em từ đủ %(infant)s đến dưới %(child)s "
                                     "tuổi")) % {"infant": infant, "child": child}
                self.add(scheme=C, group=f"care_foster_child_{band}", term="care_foster_child", label=line_label,
                         key=f"assistance.coef.care.foster_child.{band}", recipient="carer",
                         reasons=[_("%(age)s tuổi") % {"age": age}, _("trả cho hộ gia đình, cá nhân nhận chăm sóc")])

        if self.ticked("care_foster_elderly"):
            label = _("Hỗ trợ nhận chăm sóc, nuôi dưỡng người cao tuổi")
            if age is None:
                self.no_age(C, "care_foster_elderly", label)
            elif age < elderly:
                self.reject(C, "care_foster_elderly", label, [_("chưa đủ %(limit)s tuổi") % {"limit": elderly}])
            else:
                self.add(scheme=C, group="care_foster_elderly", term="care_foster_elderly", label=label,
                         key="assistance.coef.care.foster_elderly", recipient="carer",
                         reasons=[_("%(age)s tuổi") % {"age": age}, _("trả cho hộ gia đình, cá nhân nhận chăm sóc")])

        if self.ticked("care_disabled_parent"):
            months = self.number("assistance.care.young_child_months")
            label = _("Hỗ trợ người khuyết tật đang mang thai hoặc nuôi con dưới %(months)s tháng tuổi") % {
                "months": months}
            n = max(f.young_children, 0)
            if f.disability_level not in paid_levels:
                self.reject(C, "care_disabled_parent", label, [_("cần là người khuyết tật nặng hoặc đặc biệt nặng")])
            elif not f.pregnant and n == 0:
                self.reject(C, "care_disabled_parent", label,
                            [_("không mang thai, không nuôi con dưới %(months)s tháng tuổi") % {"months": months}])
            else:
                two = (f.pregnant and n >= 1) or n >= 2
                parts = ([_("đang mang thai")] if f.pregnant else []) + (
                    [_("nuôi %(n)s con dưới %(months)s tháng tuổi") % {"n": n, "months": months}] if n else [])
                self.add(scheme=C, group="care_disabled_parent_two" if two else "care_disabled_parent_one",
                         term="care_disabled_parent", label=label,
                         key="assistance.coef.care.disabled_parent." + ("two" if two else "one"),
                         reasons=[level_label(f.disability_level or ""), *parts])

        if self.ticked("care_household_esd"):
            label = _("Hỗ trợ hộ gia đình trực tiếp chăm sóc người khuyết tật đặc biệt nặng")
            if f.disability_level != "especially_severe":
                self.reject(C, "care_household_esd", label, [_("cần là người khuyết tật đặc biệt nặng")])
            else:
                self.add(scheme=C, group="care_household_esd", term="care_household_esd", label=label,
                         key="assistance.coef.care.household_esd", recipient="carer",
                         reasons=[level_label("especially_severe"), _("trả cho hộ gia đình đang chăm sóc")])

        if self.ticked("care_takein_esd"):
            label = _("Hỗ trợ người nhận chăm sóc, nuôi dưỡng người khuyết tật đặc biệt nặng")
            if f.disability_level != "especially_severe":
                self.reject(C, "care_takein_esd", label, [_("cần là người khuyết tật đặc biệt nặng")])
            elif age is None:
                self.no_age(C, "care_takein_esd", label)
            else:
                band = "child" if age < child else "adult"
                line_label = (_("Hỗ trợ người nhận chăm sóc trẻ em khuyết tật đặc biệt nặng") if band == "child"
                              else _("Hỗ trợ người nhận chăm sóc người khuyết tật đặc biệt nặng"))
                self.add(scheme=C, group=f"care_takein_esd_{band}", term="care_takein_esd", label=line_label,
                         key=f"assistance.coef.care.takein_esd.{band}", recipient="carer",
                         reasons=[level_label("especially_severe"), _("%(age)s tuổi") % {"age": age},
                                  _("trả cho người nhận chăm sóc")])

    # Social pension (Decree 176/2025) ---------------------------------------

    def social_pension(self) -> Line | None:
        f = self.f
        amount_ref = self.rule("assistance.social_pension.amount", required=False)
        if amount_ref is None:
            self.reasoning.append(_("Trợ cấp hưu trí xã hội chưa có hiệu lực ngày %(on)s.") % {"on": dmy(f.on)})
            return None
        age = self.age
        label = _("Trợ cấp hưu trí xã hội")
        P = SCHEME_PENSION
        if age is None:
            self.reasoning.append(_("Trợ cấp hưu trí xã hội: chưa biết tuổi."))
            return None
        full_age = self.number("assistance.social_pension.age")
        poor_age = self.number("assistance.social_pension.age_poor")
        if age < poor_age:
            return None  # far from the scheme: not worth a line of reasoning
        amount = int(amount_ref.value)
        reasons = [_("%(age)s tuổi") % {"age": age}]
        if age >= full_age:
            group = "sp_75"
        else:
            statuses = self.codes("assistance.social_pension.poverty")
            if f.household_poverty not in statuses:
                self.reject(P, "sp_70_poor", label, [
                    _("%(age)s tuổi: dưới %(full)s tuổi chỉ hưởng khi thuộc hộ nghèo, cận nghèo")
                    % {"age": age, "full": full_age}])
                return None
            group = "sp_70_poor"
            reasons.append(_("hộ %(status)s") % {"status": poverty_label(f.household_poverty)})
        extra: list[RuleRef] = []
        if f.has_pension:
            if f.pension_amount >= amount:
                self.reject(P, group, label, [_("đang có lương hưu, trợ cấp BHXH hằng tháng %(p)s, không thấp hơn %(a)s")
                                              % {"p": vnd(f.pension_amount), "a": vnd(amount)}])
                return None
            pays = self.rule("assistance.social_pension.pension_below_pays")
            assert pays is not None
            extra.append(pays)
            reasons.append(_("lương hưu, trợ cấp BHXH hằng tháng %(p)s thấp hơn mức trợ cấp hưu trí xã hội")
                           % {"p": vnd(f.pension_amount)})
            if pays.value == "difference":
                amount -= f.pension_amount
                reasons.append(_("hưởng phần chênh lệch"))
        else:
            reasons.append(_("không có lương hưu, trợ cấp BHXH hằng tháng"))
        reasons.append(_("cần có văn bản đề nghị gửi UBND cấp xã"))
        line = Line(scheme=P, group=group, label=label, coefficient=Decimal(0), amount=amount,
                    rules=(amount_ref, *extra), reasons=tuple(reasons), fixed_amount=True, term="")
        self.lines.append(line)
        self.reasoning.append(_("✓ %(label)s: %(amount)s mỗi tháng — %(source)s.")
                              % {"label": label, "amount": vnd(amount), "source": amount_ref.source})
        return line
