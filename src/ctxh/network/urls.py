"""Staff pages of the provider directory, at /network/."""

from django.urls import path

from ctxh.network import views

app_name = "network"
urlpatterns = [
    path("", views.provider_list, name="list"),
    path("new/", views.provider_create, name="create"),
    path("<int:pk>/", views.provider_detail, name="detail"),
    path("<int:pk>/edit/", views.provider_edit, name="edit"),
    path("<int:pk>/active/", views.provider_set_active, name="set-active"),
]
