"""Public pages (no login)."""

from django.urls import path  # noqa: F401

app_name = "network_public"
urlpatterns: list = []
