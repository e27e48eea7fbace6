"""Public pages (no login)."""

from django.urls import path

from ctxh.network import public_views

app_name = "network_public"
urlpatterns = [
    path("", public_views.home, name="home"),
]
