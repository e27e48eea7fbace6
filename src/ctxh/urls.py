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
    path("calendar/", include("ctxh.core.urls")),
    path("api/v1/", api.urls),
]

handler403 = "ctxh.core.views.forbidden"
handler404 = "ctxh.core.views.not_found"
