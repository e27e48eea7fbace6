"""The one transition table of a referral, and who may make each move.

    sent ──accept──▶ accepted ──start──▶ in_progress ──complete──▶ completed
      │                 │  └──────────complete──────────────────▶ completed
      └──decline──▶ declined
    sent / accepted / in_progress ──cancel──▶ cancelled

The provider's moves (accept, decline, start, complete) are made by the
provider: a member of its organisation logged in, or anyone holding a valid
one-time link; the Centre's side may also record them on the provider's behalf
(the provider phoned). Cancelling is the Centre's alone. A one-time link
carries only the moves of its purpose: ``respond`` (accept or decline) or
``progress`` (start or complete).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from ctxh.referrals.models import LinkPurpose, Status

PROVIDER = "provider"
CENTRE = "centre"


@dataclass(frozen=True)
class Move:
    code: str
    sources: tuple[str, ...]
    target: str
    side: str  # who makes it: PROVIDER (or the Centre for them) or CENTRE only
    name: object  # lazy label of the button
    stamp: str  # the timestamp field set by the move
    verb: str  # audit action suffix


MOVES: dict[str, Move] = {
    "accept": Move("accept", (Status.SENT,), Status.ACCEPTED, PROVIDER, _("Nhận chuyển gửi"), "accepted_at",
                   "accepted"),
    "decline": Move("decline", (Status.SENT,), Status.DECLINED, PROVIDER, _("Từ chối"), "declined_at",
                    "declined"),
    "start": Move("start", (Status.ACCEPTED,), Status.IN_PROGRESS, PROVIDER, _("Bắt đầu cung cấp dịch vụ"),
                  "started_at", "started"),
    "complete": Move("complete", (Status.ACCEPTED, Status.IN_PROGRESS), Status.COMPLETED, PROVIDER,
                     _("Báo hoàn thành"), "completed_at", "completed"),
    "cancel": Move("cancel", (Status.SENT, Status.ACCEPTED, Status.IN_PROGRESS), Status.CANCELLED, CENTRE,
                   _("Hủy chuyển gửi"), "cancelled_at", "cancelled"),
}

# Moves that end the referral or refuse it: the button asks before sending.
CONFIRM = {"decline", "complete", "cancel"}

LINK_MOVES: dict[str, tuple[str, ...]] = {
    LinkPurpose.RESPOND: ("accept", "decline"),
    LinkPurpose.PROGRESS: ("start", "complete"),
}

OPEN = (Status.SENT, Status.ACCEPTED, Status.IN_PROGRESS)


def moves_from(status: str) -> list[Move]:
    """Every legal move from a status, in the table's order."""
    return [m for m in MOVES.values() if status in m.sources]


def is_legal(code: str, status: str) -> bool:
    move = MOVES.get(code)
    return move is not None and status in move.sources


def link_purpose_for(status: str) -> str | None:
    """What a new link for a referral in this status is for; None when nothing is left to answer."""
    if status == Status.SENT:
        return LinkPurpose.RESPOND
    if status in (Status.ACCEPTED, Status.IN_PROGRESS):
        return LinkPurpose.PROGRESS
    return None
