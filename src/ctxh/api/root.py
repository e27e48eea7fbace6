"""The JSON API at /api/v1/: session auth for the browser, bearer tokens for machines."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyCookie, HttpBearer

from ctxh.accounts.services import token_authenticate
from ctxh.core.exceptions import ConflictError


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The browser's login session; CSRF is checked on unsafe methods."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None


api = NinjaAPI(
    title="CTXH API",
    version="1",
    description="API của hệ thống CTXH. Xác thực: phiên đăng nhập trình duyệt hoặc `Authorization: Bearer <khóa>`.",
    auth=[BearerToken(), SessionAuth(csrf=True)],
    urls_namespace="api",
)


def validation_errors(exc: ValidationError) -> list[dict[str, str]]:
    if hasattr(exc, "error_dict"):
        return [{"field": f, "message": str(m)} for f, msgs in exc.message_dict.items() for m in msgs]
    return [{"field": "__all__", "message": str(m)} for m in exc.messages]


@api.exception_handler(ValidationError)
def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    body: dict[str, Any] = {"detail": _("Dữ liệu không hợp lệ."), "errors": validation_errors(exc)}
    extra = getattr(exc, "api_extra", None)
    if callable(extra):
        body.update(extra())
    return api.create_response(request, body, status=422)


@api.exception_handler(NinjaValidationError)
def _schema_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [
        {"field": ".".join(str(p) for p in e.get("loc", [])[1:]) or "__all__", "message": e.get("msg", "")}
        for e in exc.errors
    ]
    return api.create_response(request, {"detail": _("Dữ liệu gửi lên không đúng định dạng."), "errors": errors}, status=422)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or _("Không có quyền.")}, status=403)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": _("Không tìm thấy.")}, status=404)


@api.exception_handler(ConflictError)
def _conflict(request: HttpRequest, exc: ConflictError) -> HttpResponse:
    return api.create_response(request, {
        "detail": exc.message,
        "changes": [{"field": f, "from": a, "to": b} for f, a, b in exc.changes],
    }, status=409)


@api.exception_handler(AuthenticationError)
def _unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": _("Cần đăng nhập hoặc khóa API hợp lệ.")}, status=401)


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str


@api.post("/auth/token", auth=None, response={200: TokenOut, 401: dict}, tags=["auth"])
def auth_token(request: HttpRequest, payload: TokenIn) -> Any:
    """Exchange a username and password for a new personal API token."""
    from ctxh.accounts.services import token_create

    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        return 401, {"detail": _("Sai tên đăng nhập hoặc mật khẩu, hoặc tài khoản đang bị khóa.")}
    _token, key = token_create(actor=user, name=_("Khóa tạo qua API"))
    return 200, {"token": key}


def _register_routers() -> None:
    from ctxh.people.api import households_router, people_router

    api.add_router("/people", people_router)
    api.add_router("/households", households_router)


_register_routers()
