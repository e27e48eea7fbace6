"""The JSON API at /api/v1/: session auth for the browser, bearer tokens for machines."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
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

    def _get_key(self, request: HttpRequest) -> str | None:
        # Without a session cookie there is nothing to protect from CSRF: answer
        # 401 for missing credentials instead of a confusing CSRF 403.
        if self.param_name not in request.COOKIES:
            return None
        return super()._get_key(request)

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


# Pydantic's messages are English; say the common ones in Vietnamese by error type.
_SCHEMA_MESSAGES = {
    "missing": _l("Thiếu trường bắt buộc."),
    "extra_forbidden": _l("Trường này không được chấp nhận."),
    "int_parsing": _l("Phải là số nguyên."),
    "int_type": _l("Phải là số nguyên."),
    "string_type": _l("Phải là chuỗi ký tự."),
    "bool_parsing": _l("Phải là true hoặc false."),
    "date_from_datetime_parsing": _l("Ngày phải theo dạng YYYY-MM-DD."),
    "date_parsing": _l("Ngày phải theo dạng YYYY-MM-DD."),
    "date_type": _l("Ngày phải theo dạng YYYY-MM-DD."),
    "literal_error": _l("Giá trị không nằm trong danh sách cho phép."),
    "enum": _l("Giá trị không nằm trong danh sách cho phép."),
    "string_too_long": _l("Chuỗi quá dài."),
}


def _schema_field(loc: list[Any]) -> str:
    # loc is like ["body", "payload", "full_name"]: keep the field path only, as
    # the services name fields.
    parts = [str(p) for p in loc[1:]]
    if parts and parts[0] == "payload":
        parts = parts[1:]
    return ".".join(parts) or "__all__"


@api.exception_handler(NinjaValidationError)
def _schema_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [
        {"field": _schema_field(list(e.get("loc", []))),
         "message": str(_SCHEMA_MESSAGES.get(e.get("type", ""), e.get("msg", "")))}
        for e in exc.errors
    ]
    return api.create_response(request, {"detail": _("Dữ liệu gửi lên không đúng định dạng."), "errors": errors}, status=422)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    messages = {400: _("Nội dung gửi lên không phải JSON hợp lệ."), 403: _("Không có quyền (kiểm tra CSRF).")}
    return api.create_response(
        request, {"detail": messages.get(exc.status_code, str(exc)), "errors": []}, status=exc.status_code)


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

    from ctxh.cases.api import router as cases_router
    from ctxh.hotline.api import router as calls_router

    api.add_router("/calls", calls_router)
    api.add_router("/cases", cases_router)

    from ctxh.assistance.api import payments_router
    from ctxh.assistance.api import router as assistance_router
    from ctxh.assistance.api_check import router as check_router
    from ctxh.network.api import router as providers_router
    from ctxh.referrals.api import router as referrals_router
    from ctxh.residential.api import router as residential_router
    from ctxh.support.api import router as support_router
    from ctxh.tracing.api import router as tracing_router

    api.add_router("/providers", providers_router)
    api.add_router("/referrals", referrals_router)
    api.add_router("/residents", residential_router)
    api.add_router("/tracing", tracing_router)
    api.add_router("/entitlements/check", check_router)
    api.add_router("/entitlements", assistance_router)
    api.add_router("/payment-lists", payments_router)
    api.add_router("/support", support_router)

    from ctxh.people.poverty_api import router as poverty_router

    api.add_router("", poverty_router)


_register_routers()
