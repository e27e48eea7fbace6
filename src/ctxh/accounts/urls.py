from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from ctxh.accounts import views
from ctxh.accounts.forms import LoginForm, OwnPasswordChangeForm

app_name = "accounts"
urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="accounts/login.html",
                                                authentication_form=LoginForm,
                                                redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(
        template_name="accounts/password_change.html", form_class=OwnPasswordChangeForm,
        success_url=reverse_lazy("accounts:password-done")), name="password"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(
        template_name="accounts/password_done.html"), name="password-done"),
    path("me/", views.profile, name="profile"),
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
    path("users/", views.user_list, name="user-list"),
    path("users/new/", views.user_create, name="user-create"),
    path("users/<int:pk>/", views.user_detail, name="user-detail"),
    path("users/<int:pk>/unlock/", views.user_unlock, name="user-unlock"),
    path("users/<int:pk>/password/", views.user_password, name="user-password"),
    path("users/<int:pk>/memberships/", views.membership_grant, name="membership-grant"),
    path("users/<int:pk>/memberships/<int:membership_pk>/revoke/", views.membership_revoke,
         name="membership-revoke"),
    path("organizations/communes/", views.organization_communes, name="organization-communes"),
]
