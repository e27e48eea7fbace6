from django.urls import include, path

from ctxh.api.root import api
from ctxh.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("ctxh.accounts.urls")),
    path("people/", include("ctxh.people.urls")),
    path("audit/", include("ctxh.audit.urls")),
    path("hotline/", include("ctxh.hotline.urls")),
    path("cases/", include("ctxh.cases.urls")),
    path("geo/", include("ctxh.geo.urls")),
    path("network/", include("ctxh.network.urls")),
    path("referrals/", include("ctxh.referrals.urls")),
    path("residential/", include("ctxh.residential.urls")),
    path("tracing/", include("ctxh.tracing.urls")),
    path("assistance/", include("ctxh.assistance.urls")),
    path("support/", include("ctxh.support.urls")),
    # The public portal: no login, no personal data.
    path("public/tracing/", include("ctxh.tracing.public_urls")),
    path("public/", include("ctxh.network.public_urls")),
    path("calendar/", include("ctxh.core.urls")),
    path("rules/", include("ctxh.core.rule_urls")),
    path("api/v1/", api.urls),
]

handler403 = "ctxh.core.views.forbidden"
handler404 = "ctxh.core.views.not_found"
