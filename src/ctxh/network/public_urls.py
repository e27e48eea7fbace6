"""The public portal (no login, no personal data), at /public/."""

from django.urls import path

from ctxh.network import public_views

app_name = "network_public"
urlpatterns = [
    path("", public_views.home, name="home"),
    path("hotlines/", public_views.hotlines, name="hotlines"),
    path("providers/", public_views.provider_list, name="providers"),
    path("providers/<int:pk>/", public_views.provider_detail, name="provider"),
    path("handbook/", public_views.handbook_form, name="handbook"),
    path("handbook.pdf", public_views.handbook_pdf, name="handbook-pdf"),
]
