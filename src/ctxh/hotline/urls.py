from django.urls import path

from ctxh.hotline import views

app_name = "hotline"
urlpatterns = [
    path("", views.call_list, name="list"),
    path("calls/", views.call_list, name="calls"),
    path("calls/new/", views.call_new, name="new"),
    path("calls/<int:pk>/", views.call_detail, name="detail"),
    path("calls/<int:pk>/edit/", views.call_edit, name="edit"),
    path("calls/<int:pk>/draft/", views.call_draft, name="draft"),
    path("calls/<int:pk>/person/", views.person_register, name="person-register"),
    path("calls/<int:pk>/follow-up/", views.call_follow_up, name="follow-up"),
    path("calls/<int:pk>/follow-up/done/", views.call_follow_up_done, name="follow-up-done"),
    path("calls/<int:pk>/open-case/", views.call_open_case, name="open-case"),
    path("calls/<int:pk>/link-case/", views.call_link_case, name="link-case"),
    path("people/search/", views.person_search, name="person-search"),
    path("follow-ups/", views.follow_ups, name="follow-ups"),
]
