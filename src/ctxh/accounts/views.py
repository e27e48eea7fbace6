"""Pages for one's own account (profile, API tokens) and the user administration screen.

Views stay thin: selectors decide what the user may see (and raise
PermissionDenied for the administration pages), services make every change
and write its audit entry. A view only turns forms into service calls and a
service's ValidationError back into errors beside the fields.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ctxh.accounts import access, selectors, services
from ctxh.accounts.forms import (
    MembershipGrantForm,
    TokenCreateForm,
    UserCreateForm,
    UserEditForm,
    UserPasswordForm,
    communes_for,
)
from ctxh.accounts.models import User

USERS_PER_PAGE = 50


# --- One's own account -------------------------------------------------------


@login_required
@require_GET
def profile(request: HttpRequest) -> HttpResponse:
    """Who I am, what I cover and which API keys I hold, so I can spot a wrong grant or a stale key."""
    return render(request, "accounts/profile.html", {
        "memberships": access.memberships(request.user),
        "tokens": selectors.token_list(user=request.user),
    })


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    """List my API keys and create one.

    The new key is rendered in the POST response itself rather than after a
    redirect: only its hash is stored, so this response is the one and only
    time it exists in clear (and ``never_cache`` keeps it out of caches).
    """
    form = TokenCreateForm(request.POST or None)
    new_key = ""
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_key = services.token_create(actor=_me(request), name=form.cleaned_data["name"])
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            form = TokenCreateForm()
    return render(request, "accounts/token_list.html", {
        "form": form, "new_key": new_key, "tokens": selectors.token_list(user=request.user),
    })


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of my keys; someone else's key is simply not found."""
    token = get_object_or_404(selectors.token_list(user=request.user), pk=pk)
    services.token_revoke(actor=_me(request), token=token)
    messages.success(request, _("Đã thu hồi khóa “%(name)s”. Các chương trình dùng khóa này sẽ không truy cập được nữa.")
                     % {"name": token.name})
    return redirect("accounts:tokens")


# --- User administration -----------------------------------------------------


@login_required
@require_GET
def user_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    users = selectors.user_list(actor=request.user, q=q)
    page = Paginator(users, USERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"page": page, "q": q})


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    # Refuse before showing the form, not only when it is sent.
    access.require(request.user, "accounts.manage")
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(
                actor=request.user, username=data["username"], full_name=data["full_name"],
                email=data["email"], phone=data["phone"], password=data["password1"],
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Đã tạo người dùng %(username)s. Hãy phân công vai trò để họ bắt đầu làm việc.")
                             % {"username": user.username})
            return redirect("accounts:user-detail", pk=user.pk)
    return render(request, "accounts/user_create.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A user's details (editable here), memberships, lock and password.

    The other forms on this page post to their own URLs and, on error, render
    this page again through ``_user_page`` with their bound form.
    """
    user = _get_user(request, pk)
    if request.method == "POST":
        form = UserEditForm(request.POST)
        if form.is_valid():
            try:
                services.user_update(actor=request.user, user=user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_service_error(exc)
                user.refresh_from_db()
            else:
                messages.success(request, _("Đã lưu thông tin người dùng."))
                return redirect("accounts:user-detail", pk=user.pk)
        return _user_page(request, user, edit_form=form)
    return _user_page(request, user)


@login_required
@require_POST
def user_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    user = _get_user(request, pk)
    services.user_unlock(actor=request.user, user=user)
    messages.success(request, _("Đã mở khóa tài khoản %(username)s.") % {"username": user.username})
    return redirect("accounts:user-detail", pk=user.pk)


@login_required
@require_POST
def user_password(request: HttpRequest, pk: int) -> HttpResponse:
    user = _get_user(request, pk)
    form = UserPasswordForm(request.POST)
    if form.is_valid():
        try:
            services.user_set_password(actor=request.user, user=user, password=form.cleaned_data["password1"])
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Đã đặt mật khẩu mới cho %(username)s. Hãy báo cho họ qua kênh an toàn.")
                             % {"username": user.username})
            return redirect("accounts:user-detail", pk=user.pk)
    return _user_page(request, user, password_form=form)


@login_required
@require_POST
def membership_grant(request: HttpRequest, pk: int) -> HttpResponse:
    user = _get_user(request, pk)
    form = MembershipGrantForm(request.POST, organizations=selectors.organization_list(actor=request.user))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.membership_grant(
                actor=request.user, user=user, organization=data["organization"], role=data["role"],
                whole_province=data["whole_province"], communes=list(data["communes"]),
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Đã phân công vai trò mới."))
            return redirect("accounts:user-detail", pk=user.pk)
    return _user_page(request, user, grant_form=form)


@login_required
@require_POST
def membership_revoke(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    user = _get_user(request, pk)
    membership = get_object_or_404(selectors.membership_list(actor=request.user, user=user), pk=membership_pk)
    services.membership_revoke(actor=request.user, membership=membership)
    messages.success(request, _("Đã thu hồi phân công: %(membership)s.") % {"membership": membership})
    return redirect("accounts:user-detail", pk=user.pk)


@login_required
@require_GET
def organization_communes(request: HttpRequest) -> HttpResponse:
    """The communes <option>s for the chosen organisation, swapped in by htmx."""
    organizations = selectors.organization_list(actor=request.user)
    return render(request, "accounts/_commune_options.html", {
        "communes": communes_for(organizations, request.GET.get("organization")),
    })


# --- Helpers -------------------------------------------------------------------


def _me(request: HttpRequest) -> User:
    """The signed-in user (every view here is behind ``login_required``)."""
    return cast(User, request.user)


def _get_user(request: HttpRequest, pk: int) -> User:
    """The user to administer; the selector refuses non-administrators first (403 before 404)."""
    try:
        return selectors.user_get(actor=request.user, pk=pk)
    except User.DoesNotExist:
        raise Http404 from None


def _user_page(request: HttpRequest, user: User, **forms: Any) -> HttpResponse:
    organizations = selectors.organization_list(actor=request.user)
    context = {
        "subject": user,
        "memberships": selectors.membership_list(actor=request.user, user=user),
        "edit_form": UserEditForm(initial={
            "full_name": user.full_name, "email": user.email, "phone": user.phone, "is_active": user.is_active,
        }),
        "password_form": UserPasswordForm(),
        "grant_form": MembershipGrantForm(organizations=organizations),
        **forms,
    }
    return render(request, "accounts/user_detail.html", context)

