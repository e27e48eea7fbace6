"""Public pages (no login): the family tracing form and its receipt."""

from django.urls import path

from ctxh.tracing import public_views

app_name = "tracing_public"
urlpatterns = [
    path("", public_views.public_form, name="form"),
    path("received/<str:token>/", public_views.public_received, name="received"),
]
