"""Every change to a referral: one service per move, each validating, writing, auditing in one transaction.

The pages, the provider's inbox, the one-time link and the API all call these.
A status change also writes a ``ReferralChange`` row, an event on the linked
case's timeline (``REFERRAL_SENT`` / ``REFERRAL_UPDATE``; no actor and
``{"by": "provider via link"}`` when it came through a link) and notifications
to the people waiting for the answer.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ctxh.accounts import access
from ctxh.audit.services import audit_record
from ctxh.core.calendar import deadline_due
from ctxh.core.exceptions import ConflictError
from ctxh.core.rules import rule_value
from ctxh.referrals import selectors, workflow
from ctxh.referrals.models import (
    ConsentBasis,
    Referral,
    ReferralChange,
    ReferralLink,
    ReferralLinkUse,
    Status,
    Urgency,
    Via,
)
from ctxh.referrals.reference import RULE_LINK_VALID, RULE_RESPONSE

# Written on the case timeline for a move made through a one-time link.
BY_LINK = "provider via link"
BY_PROVIDER = "provider"
BY_CENTRE = "centre"
BY_OF_VIA: dict[str, str] = {Via.LINK: BY_LINK, Via.PROVIDER: BY_PROVIDER, Via.CENTRE: BY_CENTRE}
MIN_EMERGENCY_REASON = 10
MAX_TEXT = 4000


@dataclass(frozen=True)
class IssuedLink:
    """A link just issued and its token: the only moment the token is known."""

    link: ReferralLink
    token: str

    @property
    def path(self) -> str:
        return reverse("referrals:link", kwargs={"token": self.token})


class LinkRefused(Exception):
    """The link cannot be used: ``state`` is ``unknown``, ``expired``, ``used``, ``revoked`` or ``closed``."""

    def __init__(self, state: str, link: ReferralLink | None = None) -> None:
        super().__init__(state)
        self.state = state
        self.link = link


# Rules ----------------------------------------------------------------------------------


def due_on_for(sent_at: dt.datetime) -> dt.date:
    """The day the provider's answer is due: ``referral.response_days`` after sending, in local dates."""
    due = deadline_due(rule_key=RULE_RESPONSE, start=sent_at)
    return timezone.localtime(due).date()


def link_expiry(start: dt.datetime) -> dt.datetime:
    value = rule_value(RULE_LINK_VALID, timezone.localtime(start).date())
    if isinstance(value, dict) and len(value) == 1:
        ((unit, amount),) = value.items()
        if unit in ("days", "hours") and isinstance(amount, int) and not isinstance(amount, bool) and amount > 0:
            return start + dt.timedelta(**{unit: amount})
    raise ValueError(f"Quy định '{RULE_LINK_VALID}' phải có dạng {{\"days\": N}} hoặc {{\"hours\": N}}, "
                     f"không phải {value!r}.")


# Helpers ---------------------------------------------------------------------------------


def _event(referral: Referral, kind: str, actor: Any, *, at: dt.datetime, data: dict[str, Any]) -> None:
    """The case timeline entry, when the referral hangs on a case."""
    case = referral.case
    if case is None:
        return
    from ctxh.cases.workflow import record_event

    record_event(case, kind, actor, at=at, data={
        "referral": referral.pk, "number": referral.number, "provider": referral.provider.name, **data})


def _notify(users: list[Any], *, referral: Referral, message: str, verb: str, exclude: Any = None) -> None:
    from ctxh.cases.workflow import notify

    notify(users, verb=verb, message=message, case=referral.case, exclude=exclude,
           link=reverse("referrals:detail", kwargs={"pk": referral.pk}))


def _waiting_for_answer(referral: Referral) -> list[Any]:
    """Who waits for the provider's answer: the referrer and the case's worker in charge."""
    users: list[Any] = [referral.referred_by]
    case = referral.case
    if case is not None and case.assigned_to_id:
        users.append(case.assigned_to)
    return users


def _provider_staff(referral: Referral) -> list[Any]:
    from ctxh.accounts.models import User

    org = referral.provider.organization_id
    if org is None:
        return []
    return list(User.objects.filter(is_active=True, memberships__organization_id=org,
                                    memberships__is_active=True).distinct().order_by("pk"))


def _text(value: str | None) -> str:
    return (value or "").strip()


# Sending -----------------------------------------------------------------------------------


def _source(actor: Any, case: Any, call: Any, person: Any) -> tuple[Any, Any, Any]:
    """The case, the call and the person of a new referral, each read through the actor's own scope.

    From a call: one of the call's people, and the call's case if it has one
    (the answer then lands on that case's timeline too, whether or not the
    counsellor is on its team — the call page already names the case to them).
    """
    from ctxh.cases.selectors import case_access_reason, case_get
    from ctxh.hotline.selectors import call_get, content_visible

    errors: dict[str, list[str]] = {}
    if call is not None:
        if not access.can(actor, "call.view"):
            raise Http404
        call = call_get(user=actor, pk=call.pk)
        if not content_visible(user=actor, call=call):
            raise Http404
        if case is not None and case.pk != call.case_id:
            errors["case"] = [_("Cuộc gọi này không gắn với hồ sơ đó.")]
        case = call.case if call.case_id else None
        subjects = {s.person_id: s.person for s in call.call_subjects.all()}
        if call.caller_id and call.caller is not None:
            subjects.setdefault(call.caller_id, call.caller)
        if person is None and len(subjects) == 1:
            person = next(iter(subjects.values()))
        if person is None or person.pk not in subjects:
            errors["person"] = [_("Chọn người được chuyển gửi trong số những người của cuộc gọi.")]
        else:
            person = subjects[person.pk]
    elif case is not None:
        case = case_get(user=actor, pk=case.pk)
        if case_access_reason(actor, case) not in ("team", "director", "area"):
            raise PermissionDenied(_("Chỉ nhóm phụ trách, lãnh đạo hoặc cộng tác viên địa bàn mới được "
                                     "chuyển gửi từ hồ sơ này."))
        if case.is_closed:
            errors["case"] = [_("Hồ sơ đã đóng; hãy mở lại hồ sơ trước khi chuyển gửi.")]
        if person is not None and person.pk != case.person_id:
            errors["person"] = [_("Người được chuyển gửi phải là đối tượng của hồ sơ.")]
        person = case.person
    else:
        raise ValidationError(_("Chuyển gửi phải xuất phát từ một hồ sơ hoặc một cuộc gọi."))
    if errors:
        raise ValidationError(errors)
    return case, call, person


@transaction.atomic
def referral_create(
    *, actor: Any, provider: Any, reason: str, case: Any = None, call: Any = None, person: Any = None,
    services: list[Any] | None = None, urgency: str = Urgency.ROUTINE, emergency: bool = False,
    emergency_reason: str = "",
) -> Referral:
    """Send a person from a case or a call to a provider — only with their consent to sharing.

    Without an active consent (purpose ``sharing``) the referral is refused,
    unless ``emergency`` (a threat to life, the exception of Law 91/2025) with
    a written ``emergency_reason``, which is recorded, audited and told to the
    directors. A provider without a CTXH account gets a one-time link at once:
    ``referral.issued_link`` (``IssuedLink``) carries its token, to show once.
    """
    access.require(actor, "referral.make")
    case, call, person = _source(actor, case, call, person)
    now = timezone.now()
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    reason = _text(reason)
    emergency_reason = _text(emergency_reason)
    if provider is None or not getattr(provider, "is_active", False):
        errors["provider"] = [_("Chọn một đơn vị cung cấp dịch vụ đang hoạt động.")]
    if not reason:
        errors["reason"] = [_("Cần ghi nhu cầu, lý do chuyển gửi (những gì đơn vị nhận cần biết).")]
    elif len(reason) > MAX_TEXT:
        errors["reason"] = [_("Nội dung quá dài.")]
    if urgency not in Urgency.values:
        errors["urgency"] = [_("Mức độ khẩn không hợp lệ.")]
    terms = list(services or [])
    allowed = {t.pk for t in selectors.services_in_force(today)}
    if any(t.pk not in allowed for t in terms):
        errors["services"] = [_("Có dịch vụ không thuộc danh mục dịch vụ đang áp dụng.")]
    consent = selectors.sharing_consent(person, today) if person is not None else None
    if consent is None:
        if not emergency:
            errors["consent"] = [_(
                "%(name)s chưa có sự đồng ý còn hiệu lực cho việc chia sẻ thông tin với đơn vị cung cấp dịch vụ. "
                "Hãy ghi nhận sự đồng ý trên hồ sơ đối tượng trước khi chuyển gửi; chỉ khi tính mạng bị đe dọa "
                "mới được chuyển gửi không cần đồng ý (ghi rõ lý do khẩn cấp).") % {"name": person.full_name}]
        elif len(emergency_reason) < MIN_EMERGENCY_REASON:
            errors["emergency_reason"] = [_("Ghi rõ lý do khẩn cấp (tính mạng bị đe dọa), ít nhất %(n)s ký tự.")
                                          % {"n": MIN_EMERGENCY_REASON}]
    if errors:
        raise ValidationError(errors)
    place = case or call
    referral = Referral(
        case=case, call=call, person=person, provider=provider, reason=reason, urgency=urgency,
        status=Status.SENT, province_id=place.province_id, commune_id=place.commune_id, referred_by=actor,
        consent_basis=ConsentBasis.CONSENT if consent else ConsentBasis.EMERGENCY, consent=consent,
        emergency_reason="" if consent else emergency_reason, sent_at=now, due_on=due_on_for(now),
    )
    referral.full_clean()
    referral.save()
    referral.services.set(terms)
    ReferralChange.objects.create(referral=referral, from_status="", to_status=Status.SENT, at=now, actor=actor,
                                  via=Via.CENTRE)
    data: dict[str, Any] = {"services": [t.name for t in terms], "urgency": urgency, "due_on": referral.due_on,
                            "consent": referral.consent_basis}
    if not consent:
        data["emergency_reason"] = emergency_reason
    _event(referral, "referral_sent", actor, at=now, data=data)
    audit_record(actor=actor, action="referral.sent", obj=referral, changes={
        "case": case.pk if case else None, "call": call.pk if call else None, "provider": provider.pk,
        "services": [t.code for t in terms], "urgency": urgency, "due_on": referral.due_on,
        "consent_basis": referral.consent_basis, "consent": consent.pk if consent else None})
    if not consent:
        audit_record(actor=actor, action="referral.consent_exception", obj=referral,
                     changes={"reason": emergency_reason})
        # The directors of the place hear of it, whether the referral came from a case or straight from a call.
        from ctxh.cases.workflow import directors_covering

        _notify(directors_covering(province_id=place.province_id, commune_id=place.commune_id),
                referral=referral, verb="referral.consent_exception", exclude=actor,
                message=_("%(who)s chuyển gửi %(number)s không có sự đồng ý của đối tượng (khẩn cấp): %(r)s")
                % {"who": actor, "number": referral.number, "r": emergency_reason})
    _notify(_provider_staff(referral), referral=referral, verb="referral.received",
            message=_("Chuyển gửi mới %(number)s từ %(who)s.") % {"number": referral.number, "who": actor})
    referral.issued_link = None  # type: ignore[attr-defined]
    if provider.organization_id is None:
        referral.issued_link = _issue(referral, actor=actor, at=now)  # type: ignore[attr-defined]
    return referral


# Moves ------------------------------------------------------------------------------------


def _lock(referral: Referral, expected_version: int | None) -> Referral:
    # ``of``: PostgreSQL cannot lock the nullable side of the outer joins (case, its worker).
    locked = (Referral.objects.select_for_update(of=("self",))
              .select_related("provider", "case", "case__assigned_to", "referred_by", "person")
              .get(pk=referral.pk))
    if expected_version is not None and locked.version != expected_version:
        raise ConflictError(_("Chuyển gửi vừa được cập nhật (trạng thái hiện tại: %(s)s). Hãy tải lại trang "
                              "rồi thực hiện lại nếu vẫn cần.") % {"s": locked.get_status_display()},
                            [(str(_("Trạng thái")), "", str(locked.get_status_display()))])
    return locked


def _side(actor: Any, referral: Referral, move: workflow.Move) -> str:
    """How the actor may make this move: ``Via.PROVIDER`` or ``Via.CENTRE``; 404/403 otherwise."""
    provider_side = selectors.is_provider_side(actor, referral)
    centre_side = selectors.is_centre_side(actor, referral)
    if not (provider_side or centre_side):
        if not referral_visible(actor, referral):
            raise Http404
        raise PermissionDenied(_("Bạn không có quyền cập nhật chuyển gửi này."))
    if move.side == workflow.CENTRE:
        if not centre_side:
            raise PermissionDenied(_("Chỉ phía Trung tâm (người chuyển gửi, nhóm phụ trách) mới được hủy chuyển gửi."))
        return Via.CENTRE
    return Via.PROVIDER if provider_side else Via.CENTRE


def referral_visible(user: Any, referral: Referral) -> bool:
    return selectors.referral_queryset(user=user).filter(pk=referral.pk).exists()


def _move(
    *, actor: Any, referral: Referral, code: str, expected_version: int | None, link: ReferralLink | None = None,
    text: str = "",
) -> Referral:
    move = workflow.MOVES[code]
    if link is None:
        # Scope first (404/403), then the lock: the outsider learns nothing of the referral's state.
        visible = selectors.referral_get(user=actor, pk=referral.pk)
        via = _side(actor, visible, move)
    else:
        via = Via.LINK
    current = _lock(referral, expected_version)
    if not workflow.is_legal(code, current.status):
        raise ValidationError(_("Không thể “%(move)s” khi chuyển gửi đang ở trạng thái “%(status)s”.")
                              % {"move": move.name, "status": current.get_status_display()})
    now = timezone.now()
    before = current.status
    current.status = move.target
    setattr(current, move.stamp, now)
    if code == "decline":
        current.decline_reason = text
    elif code == "cancel":
        current.cancel_reason = text
    elif code == "complete":
        current.provider_feedback = text
    elif text:
        current.provider_note = text
    current.version += 1  # the row is locked (``_lock``): nobody saved in between
    current.full_clean()
    current.save()
    user = None if via == Via.LINK else actor
    ReferralChange.objects.create(referral=current, from_status=before, to_status=move.target, at=now, actor=user,
                                  via=via, link=link, note=text)
    by = BY_OF_VIA[via]
    data: dict[str, Any] = {"from": before, "to": move.target, "by": by}
    if text:
        data["text"] = text
    _event(current, "referral_update", user, at=now, data=data)
    audit_record(actor=user, action=f"referral.{move.verb}", obj=current, changes={
        "status": [before, move.target], "via": via, "link": link.pk if link else None, "text": text})
    status_name = current.get_status_display()
    if via == Via.CENTRE and move.side == workflow.CENTRE:
        _notify(_provider_staff(current), referral=current, verb=f"referral.{move.verb}", exclude=actor,
                message=_("Chuyển gửi %(number)s: %(status)s.") % {"number": current.number, "status": status_name})
    else:
        _notify(_waiting_for_answer(current), referral=current, verb=f"referral.{move.verb}", exclude=user,
                message=_("%(provider)s — chuyển gửi %(number)s: %(status)s.") % {
                    "provider": current.provider.name, "number": current.number, "status": status_name})
    # Links still out that no longer fit the referral are withdrawn: all of them once nothing is left to
    # answer, and an answer link once the Centre has recorded the answer itself (accepted by phone…).
    still_out = current.links.filter(used_at__isnull=True, revoked_at__isnull=True)
    purpose = workflow.link_purpose_for(current.status) if current.status in workflow.OPEN else None
    if purpose is not None:
        still_out = still_out.exclude(purpose=purpose)
    if link is not None:
        still_out = still_out.exclude(pk=link.pk)
    still_out.update(revoked_at=now, revoked_by=actor if link is None and getattr(actor, "pk", None) else None)
    return current


@transaction.atomic
def referral_accept(*, actor: Any, referral: Referral, expected_version: int | None = None, note: str = "",
                    link: ReferralLink | None = None) -> Referral:
    """The provider takes the person on."""
    return _move(actor=actor, referral=referral, code="accept", expected_version=expected_version, link=link,
                 text=_text(note))


@transaction.atomic
def referral_decline(*, actor: Any, referral: Referral, reason: str, expected_version: int | None = None,
                     link: ReferralLink | None = None) -> Referral:
    """The provider cannot take the person; the reason is required (the worker refers elsewhere)."""
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": [_("Cần ghi lý do từ chối để người chuyển gửi tìm đơn vị khác.")]})
    return _move(actor=actor, referral=referral, code="decline", expected_version=expected_version, link=link,
                 text=reason)


@transaction.atomic
def referral_start(*, actor: Any, referral: Referral, expected_version: int | None = None, note: str = "",
                   link: ReferralLink | None = None) -> Referral:
    """The provider has started the service."""
    return _move(actor=actor, referral=referral, code="start", expected_version=expected_version, link=link,
                 text=_text(note))


@transaction.atomic
def referral_complete(*, actor: Any, referral: Referral, feedback: str, expected_version: int | None = None,
                      link: ReferralLink | None = None) -> Referral:
    """The provider reports the service done and what came of it (the feedback lands on the case timeline)."""
    feedback = _text(feedback)
    if not feedback:
        raise ValidationError({"feedback": [_("Cần ghi kết quả cung cấp dịch vụ.")]})
    if len(feedback) > MAX_TEXT:
        raise ValidationError({"feedback": [_("Nội dung quá dài.")]})
    return _move(actor=actor, referral=referral, code="complete", expected_version=expected_version, link=link,
                 text=feedback)


@transaction.atomic
def referral_cancel(*, actor: Any, referral: Referral, reason: str, expected_version: int | None = None) -> Referral:
    """The Centre withdraws the referral (the person's situation changed); its links stop working."""
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": [_("Cần ghi lý do hủy chuyển gửi.")]})
    return _move(actor=actor, referral=referral, code="cancel", expected_version=expected_version, text=reason)


ACTIONS = {
    "accept": lambda actor, referral, text, version, link=None: referral_accept(
        actor=actor, referral=referral, note=text, expected_version=version, link=link),
    "decline": lambda actor, referral, text, version, link=None: referral_decline(
        actor=actor, referral=referral, reason=text, expected_version=version, link=link),
    "start": lambda actor, referral, text, version, link=None: referral_start(
        actor=actor, referral=referral, note=text, expected_version=version, link=link),
    "complete": lambda actor, referral, text, version, link=None: referral_complete(
        actor=actor, referral=referral, feedback=text, expected_version=version, link=link),
    "cancel": lambda actor, referral, text, version, link=None: referral_cancel(
        actor=actor, referral=referral, reason=text, expected_version=version),
}


def referral_act(*, actor: Any, referral: Referral, action: str, text: str = "",
                 expected_version: int | None = None) -> Referral:
    """Dispatch a move by its code (the pages and the API post the code); unknown codes are refused."""
    if action not in ACTIONS:
        raise ValidationError({"action": [_("Thao tác không hợp lệ.")]})
    return ACTIONS[action](actor, referral, text, expected_version)


# One-time links -----------------------------------------------------------------------------


def _issue(referral: Referral, *, actor: Any, at: dt.datetime) -> IssuedLink:
    purpose = workflow.link_purpose_for(referral.status)
    if purpose is None:
        raise ValidationError(_("Chuyển gửi đã kết thúc; không cần cấp đường dẫn."))
    referral.links.filter(used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=at, revoked_by=actor if getattr(actor, "pk", None) else None)
    token = secrets.token_urlsafe(32)
    link = ReferralLink.objects.create(
        referral=referral, purpose=purpose, token_hash=selectors.token_hash(token),
        created_by=actor if getattr(actor, "pk", None) else None, expires_at=link_expiry(at))
    audit_record(actor=actor, action="referral.link_issued", obj=referral, changes={
        "link": link.pk, "purpose": purpose, "expires_at": link.expires_at})
    return IssuedLink(link=link, token=token)


@transaction.atomic
def referral_link_issue(*, actor: Any, referral: Referral) -> IssuedLink:
    """A new one-time link for the provider (the earlier ones still out are revoked): the token is shown once."""
    visible = selectors.referral_get(user=actor, pk=referral.pk)
    if not selectors.is_centre_side(actor, visible):
        raise PermissionDenied(_("Chỉ phía Trung tâm mới cấp đường dẫn cho đơn vị."))
    current = _lock(visible, None)
    return _issue(current, actor=actor, at=timezone.now())


@transaction.atomic
def referral_link_revoke(*, actor: Any, link: ReferralLink) -> ReferralLink:
    """Withdraw a link (sent to the wrong address, the provider's staff changed)."""
    visible = selectors.referral_get(user=actor, pk=link.referral_id)
    if not selectors.is_centre_side(actor, visible):
        raise PermissionDenied(_("Chỉ phía Trung tâm mới thu hồi đường dẫn."))
    current = ReferralLink.objects.select_for_update().get(pk=link.pk, referral=visible)
    if current.used_at is not None or current.revoked_at is not None:
        raise ValidationError(_("Đường dẫn này đã được dùng hoặc đã bị thu hồi."))
    current.revoked_at = timezone.now()
    current.revoked_by = actor
    current.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(actor=actor, action="referral.link_revoked", obj=visible, changes={"link": current.pk})
    return current


def link_check(link: ReferralLink | None) -> ReferralLink:
    """The link if it may be used now; ``LinkRefused`` with the reason otherwise."""
    if link is None:
        raise LinkRefused("unknown")
    state = link.state
    if state != "active":
        raise LinkRefused(state, link)
    if link.purpose != workflow.link_purpose_for(link.referral.status):
        raise LinkRefused("closed", link)
    return link


@transaction.atomic
def link_act(*, token: str, action: str, text: str = "", ip: str | None = None, user_agent: str = "") -> tuple[
        Referral, IssuedLink | None]:
    """A provider's answer through a one-time link: the link is consumed by it.

    After an answer that leaves work to report (accepted, started), a new link
    for reporting progress is issued and returned — its token shown once, on
    the confirmation page.
    """
    found = selectors.link_by_token(token)
    if found is None:
        raise LinkRefused("unknown")
    link = ReferralLink.objects.select_for_update(of=("self",)).select_related("referral").get(pk=found.pk)
    link_check(link)
    if action not in workflow.LINK_MOVES[link.purpose]:
        raise ValidationError({"action": [_("Đường dẫn này không dùng cho thao tác đó.")]})
    referral = ACTIONS[action](None, link.referral, text, None, link)
    now = timezone.now()
    link.used_at = now
    link.used_action = action
    link.save(update_fields=["used_at", "used_action"])
    ReferralLinkUse.objects.create(link=link, action=action, outcome="ok", ip=ip, user_agent=user_agent[:200])
    issued = None
    if workflow.link_purpose_for(referral.status) is not None:
        issued = _issue(referral, actor=None, at=now)
    return referral, issued


def link_use_record(*, link: ReferralLink | None, action: str, outcome: str = "ok", ip: str | None = None,
                    user_agent: str = "") -> ReferralLinkUse:
    """Log an opening or a refusal of a link (the link's access log; it has no user)."""
    return ReferralLinkUse.objects.create(link=link, action=action, outcome=outcome, ip=ip,
                                          user_agent=(user_agent or "")[:200])
