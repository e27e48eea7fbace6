"""The request id of the work in progress, so audit rows can name it."""

from __future__ import annotations

import contextvars
import uuid

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("ctxh_request_id", default="")


def current_request_id() -> str:
    return _request_id.get()


def new_request_id() -> contextvars.Token[str]:
    return _request_id.set(uuid.uuid4().hex[:16])


def reset_request_id(token: contextvars.Token[str]) -> None:
    _request_id.reset(token)
