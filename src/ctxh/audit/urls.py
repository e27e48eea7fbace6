from django.urls import path

from ctxh.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.change_list, name="changes"),
    path("access/", views.access_list, name="access"),
]
