"""The registry of people and households that every part of CTXH writes to."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ctxh.core.models import TimeStampedModel


class Sex(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")
    UNKNOWN = "unknown", _("Chưa rõ")


class DatePrecision(models.TextChoices):
    """How much of a stored date is known. Unknown parts are stored as 1."""

    DAY = "day", _("Đủ ngày tháng năm")
    MONTH = "month", _("Chỉ biết tháng và năm")
    YEAR = "year", _("Chỉ biết năm")


class LifeStatus(models.TextChoices):
    LIVING = "living", _("Còn sống")
    DECEASED = "deceased", _("Đã mất")
    MISSING = "missing", _("Mất tích")


class Person(TimeStampedModel):
    """Person — đối tượng: one human being known to the network.

    ``name_folded`` is the name without marks in lower case (``ctxh.core.text.fold``);
    searches and duplicate checks use it. A birth date may be known to the month
    or only the year: ``birth_date`` then holds the first day of that period and
    ``birth_precision`` says so. ``version`` guards against lost updates.
    """

    full_name = models.CharField(_("họ và tên"), max_length=150)
    name_folded = models.CharField(max_length=150, db_index=True, editable=False)
    given_folded = models.CharField(max_length=50, editable=False)
    sex = models.CharField(_("giới tính"), max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    birth_precision = models.CharField(
        _("độ chính xác ngày sinh"), max_length=5, choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    cccd = models.CharField(_("số CCCD/định danh"), max_length=12, blank=True, db_index=True)
    cccd_warning_confirmed = models.BooleanField(_("đã xác nhận cảnh báo CCCD"), default=False)
    old_id_number = models.CharField(_("số CMND cũ"), max_length=9, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=15, blank=True, db_index=True)
    phone_alt = models.CharField(_("điện thoại khác"), max_length=15, blank=True, db_index=True)
    ethnicity = models.ForeignKey(
        "core.Term", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        limit_choices_to={"vocabulary": "ethnicity"}, verbose_name=_("dân tộc"),
    )
    province = models.ForeignKey(
        "geo.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("tỉnh/thành phố")
    )
    commune = models.ForeignKey(
        "geo.Commune", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("xã/phường"),
    )
    address_detail = models.CharField(_("địa chỉ chi tiết"), max_length=200, blank=True)
    legacy_district = models.CharField(
        _("huyện cũ (trước 7/2025)"), max_length=100, blank=True,
        help_text=_("Chỉ để đối chiếu hồ sơ cũ; cấp huyện không còn từ 01/7/2025."),
    )
    status = models.CharField(
        _("tình trạng"), max_length=10, choices=LifeStatus.choices, default=LifeStatus.LIVING
    )
    death_date = models.DateField(_("ngày mất"), null=True, blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    duplicate_reason = models.TextField(_("lý do vẫn đăng ký khi nghi trùng"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("đối tượng")
        verbose_name_plural = _("đối tượng")
        ordering = ["given_folded", "name_folded", "id"]
        indexes = [
            models.Index(fields=["province", "name_folded"], name="person_prov_name"),
            models.Index(fields=["province", "given_folded"], name="person_prov_given"),
            models.Index(fields=["province", "birth_date"], name="person_prov_birth"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="deceased") | Q(death_date__isnull=True),
                name="person_death_date_only_if_deceased",
                violation_error_message=_("Chỉ ghi ngày mất khi tình trạng là đã mất."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def birth_year(self) -> int | None:
        return self.birth_date.year if self.birth_date else None

    @property
    def birth_display(self) -> str:
        if not self.birth_date:
            return ""
        if self.birth_precision == DatePrecision.YEAR:
            return f"{self.birth_date.year}"
        if self.birth_precision == DatePrecision.MONTH:
            return f"{self.birth_date:%m/%Y}"
        return f"{self.birth_date:%d/%m/%Y}"

    def age_on(self, on: dt.date) -> int | None:
        """Age in whole years; with a year-only birth date, counted from 1 January."""
        if not self.birth_date:
            return None
        b = self.birth_date
        return on.year - b.year - ((on.month, on.day) < (b.month, b.day))


class Household(TimeStampedModel):
    """Household — hộ gia đình: people living together, with a head (chủ hộ)."""

    code = models.CharField(_("mã hộ"), max_length=20, unique=True)
    province = models.ForeignKey(
        "geo.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("tỉnh/thành phố")
    )
    commune = models.ForeignKey(
        "geo.Commune", on_delete=models.PROTECT, related_name="+", verbose_name=_("xã/phường")
    )
    address_detail = models.CharField(_("địa chỉ chi tiết"), max_length=200, blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("hộ gia đình")
        verbose_name_plural = _("hộ gia đình")
        ordering = ["commune_id", "code"]

    def __str__(self) -> str:
        return self.code


class Relationship(models.TextChoices):
    HEAD = "head", _("Chủ hộ")
    SPOUSE = "spouse", _("Vợ/chồng")
    CHILD = "child", _("Con")
    PARENT = "parent", _("Cha/mẹ")
    GRANDPARENT = "grandparent", _("Ông/bà")
    GRANDCHILD = "grandchild", _("Cháu")
    SIBLING = "sibling", _("Anh/chị/em")
    CHILD_IN_LAW = "child_in_law", _("Con dâu/con rể")
    OTHER_RELATIVE = "other_relative", _("Họ hàng khác")
    OTHER = "other", _("Khác")


class HouseholdMember(models.Model):
    """HouseholdMember — thành viên hộ: a person's place in one household."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="household_member")
    relationship = models.CharField(
        _("quan hệ với chủ hộ"), max_length=20, choices=Relationship.choices
    )
    joined_on = models.DateField(_("ngày vào hộ"), null=True, blank=True)

    class Meta:
        verbose_name = _("thành viên hộ")
        verbose_name_plural = _("thành viên hộ")
        constraints = [
            models.UniqueConstraint(
                fields=["household"], condition=Q(relationship="head"),
                name="household_one_head",
                violation_error_message=_("Mỗi hộ chỉ có một chủ hộ."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_relationship_display()})"


class PovertyStandard(models.Model):
    """PovertyStandard — chuẩn nghèo: a multidimensional poverty standard and its thresholds."""

    code = models.CharField(_("mã"), max_length=30, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    income_rural = models.PositiveIntegerField(_("ngưỡng thu nhập nông thôn (đồng/người/tháng)"))
    income_urban = models.PositiveIntegerField(_("ngưỡng thu nhập thành thị (đồng/người/tháng)"))
    min_deprivations_poor = models.PositiveSmallIntegerField(_("số chỉ số thiếu hụt tối thiểu để là hộ nghèo"))
    source = models.CharField(_("văn bản"), max_length=300)

    class Meta:
        verbose_name = _("chuẩn nghèo")
        verbose_name_plural = _("chuẩn nghèo")
        ordering = ["valid_from"]

    def __str__(self) -> str:
        return self.name


class PovertyStatus(models.TextChoices):
    POOR = "poor", _("Hộ nghèo")
    NEAR_POOR = "near_poor", _("Hộ cận nghèo")
    NONE = "none", _("Không nghèo")


class HouseholdPoverty(models.Model):
    """HouseholdPoverty — kết quả rà soát hộ nghèo: the status of a household for one year."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="poverty")
    year = models.PositiveSmallIntegerField(_("năm"))
    status = models.CharField(_("phân loại"), max_length=10, choices=PovertyStatus.choices)
    standard = models.ForeignKey(PovertyStandard, on_delete=models.PROTECT, verbose_name=_("chuẩn áp dụng"))
    decision = models.CharField(_("quyết định công nhận"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("phân loại hộ nghèo")
        verbose_name_plural = _("phân loại hộ nghèo")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "year"], name="household_poverty_one_per_year",
                violation_error_message=_("Hộ này đã có kết quả rà soát của năm đó."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.year}: {self.get_status_display()}"


class GroupMembership(models.Model):
    """GroupMembership — thuộc diện đối tượng: a person in a beneficiary group for a period."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="groups")
    group = models.ForeignKey(
        "core.Term", on_delete=models.PROTECT, related_name="+", verbose_name=_("diện đối tượng"),
        limit_choices_to={"vocabulary__in": ["allowance_group", "child_special"]},
    )
    start_date = models.DateField(_("từ ngày"))
    end_date = models.DateField(_("đến ngày"), null=True, blank=True)
    source = models.CharField(_("căn cứ (quyết định, văn bản)"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("diện đối tượng")
        verbose_name_plural = _("diện đối tượng")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="group_membership_dates_ordered",
                violation_error_message=_("Ngày kết thúc không được trước ngày bắt đầu."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.group}"

    def active_on(self, on: dt.date) -> bool:
        return self.start_date <= on and (self.end_date is None or self.end_date >= on)


class Disability(models.Model):
    """Disability — khuyết tật: type and level certified by the commune (Law 51/2010)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="disabilities")
    type = models.ForeignKey(
        "core.Term", on_delete=models.PROTECT, related_name="+", verbose_name=_("dạng tật"),
        limit_choices_to={"vocabulary": "disability_type"},
    )
    level = models.ForeignKey(
        "core.Term", on_delete=models.PROTECT, related_name="+", verbose_name=_("mức độ"),
        limit_choices_to={"vocabulary": "disability_level"},
    )
    certificate_number = models.CharField(_("số giấy xác nhận khuyết tật"), max_length=50, blank=True)
    certificate_date = models.DateField(_("ngày cấp"), null=True, blank=True)
    issuing_commune = models.ForeignKey(
        "geo.Commune", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("xã/phường cấp"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("khuyết tật")
        verbose_name_plural = _("khuyết tật")
        ordering = ["-certificate_date", "-id"]

    def __str__(self) -> str:
        return f"{self.type} — {self.level}"


class Consent(models.Model):
    """Consent — sự đồng ý: what the person (or their legal representative) agreed to.

    Law 91/2025 on personal data: consent is active and informed, can be
    withdrawn, and a child's is given by the legal representative.
    """

    class Purpose(models.TextChoices):
        PROCESSING = "processing", _("Thu thập, xử lý dữ liệu cá nhân để trợ giúp")
        SHARING = "sharing", _("Chia sẻ thông tin với đơn vị cung cấp dịch vụ (chuyển gửi)")
        CONTACT = "contact", _("Liên lạc qua điện thoại, tin nhắn")
        IMAGES = "images", _("Sử dụng hình ảnh")

    class GivenBy(models.TextChoices):
        SELF = "self", _("Chính người đó")
        REPRESENTATIVE = "representative", _("Người đại diện theo pháp luật")

    class Method(models.TextChoices):
        WRITTEN = "written", _("Văn bản có chữ ký")
        VERBAL = "verbal", _("Bằng lời, có ghi nhận")
        ELECTRONIC = "electronic", _("Điện tử")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("nội dung đồng ý"), max_length=20, choices=Purpose.choices)
    given_by = models.CharField(_("người đồng ý"), max_length=20, choices=GivenBy.choices)
    representative_name = models.CharField(_("họ tên người đại diện"), max_length=150, blank=True)
    representative_relation = models.CharField(_("quan hệ với đối tượng"), max_length=100, blank=True)
    method = models.CharField(_("hình thức"), max_length=20, choices=Method.choices)
    given_on = models.DateField(_("ngày đồng ý"))
    document_ref = models.CharField(_("số/ký hiệu văn bản"), max_length=100, blank=True)
    withdrawn_on = models.DateField(_("ngày rút lại"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("lý do rút lại"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sự đồng ý")
        verbose_name_plural = _("sự đồng ý")
        ordering = ["-given_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(given_by="self") | ~Q(representative_name=""),
                name="consent_representative_named",
                violation_error_message=_("Cần ghi họ tên người đại diện theo pháp luật."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_purpose_display()}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None


# Poverty surveys (issue 5) ------------------------------------------------------


class PovertyArea(models.TextChoices):
    """Which income threshold of the standard applies (chuẩn nông thôn / thành thị)."""

    RURAL = "rural", _("Nông thôn")
    URBAN = "urban", _("Thành thị")


class PovertySurvey(TimeStampedModel):
    """PovertySurvey — phiếu rà soát hộ nghèo, hộ cận nghèo: one survey of a household.

    Income per person per month and the deprivation indicators (Terms of
    ``poverty_indicator``) give the result under the standard in force for the
    year the survey is for (``ctxh.people.poverty.classify``). The result and
    the reasons are kept as they were computed, so a later change of the rules
    does not rewrite history. ``applied_at`` says when the result was written
    to the household's classification of that year (``HouseholdPoverty``).
    """

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="poverty_surveys", verbose_name=_("hộ")
    )
    surveyed_on = models.DateField(_("ngày rà soát"))
    year = models.PositiveSmallIntegerField(_("năm áp dụng"))
    members_count = models.PositiveSmallIntegerField(_("số nhân khẩu"))
    income_total = models.PositiveBigIntegerField(
        _("tổng thu nhập của hộ (đồng/tháng)"), null=True, blank=True
    )
    income_per_person = models.PositiveBigIntegerField(_("thu nhập bình quân (đồng/người/tháng)"))
    deprivations = models.ManyToManyField(
        "core.Term", related_name="+", blank=True, verbose_name=_("chỉ số thiếu hụt"),
        limit_choices_to={"vocabulary": "poverty_indicator"},
    )
    area = models.CharField(_("khu vực"), max_length=10, choices=PovertyArea.choices)
    area_reason = models.CharField(
        _("lý do chọn khu vực khác"), max_length=300, blank=True,
        help_text=_("Chỉ ghi khi khu vực khác với khu vực theo loại xã/phường."),
    )
    result = models.CharField(_("kết quả"), max_length=10, choices=PovertyStatus.choices)
    standard = models.ForeignKey(
        PovertyStandard, on_delete=models.PROTECT, related_name="+", verbose_name=_("chuẩn áp dụng")
    )
    reasons = models.JSONField(_("căn cứ phân loại"), default=list, blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)
    surveyed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("người rà soát"),
    )
    applied_at = models.DateTimeField(_("đã ghi vào phân loại hộ lúc"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("phiếu rà soát hộ nghèo")
        verbose_name_plural = _("phiếu rà soát hộ nghèo")
        ordering = ["-surveyed_on", "-id"]
        indexes = [models.Index(fields=["household", "-surveyed_on"], name="poverty_survey_household")]
        constraints = [
            models.CheckConstraint(
                condition=Q(members_count__gte=1),
                name="poverty_survey_members_positive",
                violation_error_message=_("Hộ phải có ít nhất một nhân khẩu."),
            ),
            models.CheckConstraint(
                condition=Q(area__in=["rural", "urban"]),
                name="poverty_survey_area_valid",
                violation_error_message=_("Khu vực phải là nông thôn hoặc thành thị."),
            ),
            models.CheckConstraint(
                condition=Q(result__in=["poor", "near_poor", "none"]),
                name="poverty_survey_result_valid",
                violation_error_message=_("Kết quả rà soát không hợp lệ."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.surveyed_on:%d/%m/%Y}: {self.get_result_display()}"
