from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from ctxh.core.context import current_request_id, new_request_id, reset_request_id


class RequestIdMiddleware:
    """Tag each request with an id that audit rows carry and the response echoes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = new_request_id()
        try:
            request.request_id = current_request_id()  # type: ignore[attr-defined]
            response = self.get_response(request)
            response["X-Request-ID"] = request.request_id  # type: ignore[attr-defined]
            return response
        finally:
            reset_request_id(token)
