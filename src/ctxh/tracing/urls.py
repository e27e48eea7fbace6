from django.urls import path

from ctxh.tracing import views

app_name = "tracing"
urlpatterns = [
    path("", views.request_list, name="list"),
    path("new/", views.request_create, name="create"),
    path("<int:pk>/", views.request_detail, name="detail"),
    path("<int:pk>/edit/", views.request_edit, name="edit"),
    path("<int:pk>/rematch/", views.request_rematch, name="rematch"),
    path("<int:pk>/reunify/", views.request_reunify, name="reunify"),
    path("<int:pk>/close/", views.request_close, name="close"),
    path("<int:pk>/matches/<int:mid>/confirm/", views.match_confirm, name="match-confirm"),
    path("<int:pk>/matches/<int:mid>/reject/", views.match_reject, name="match-reject"),
]
