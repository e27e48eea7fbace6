from django.urls import path

from ctxh.residential import views

app_name = "residential"
urlpatterns = [
    path("", views.facility_list, name="facilities"),
    path("facilities/<int:pk>/", views.facility_detail, name="facility"),
    path("facilities/<int:pk>/admit/", views.admit, name="admit"),
    path("residents/<int:pk>/", views.resident_detail, name="resident"),
    path("residents/<int:pk>/edit/", views.resident_edit, name="resident-edit"),
    path("residents/<int:pk>/discharge/", views.resident_discharge, name="discharge"),
    path("residents/<int:pk>/reintegration/", views.reintegration, name="reintegration"),
    path("residents/<int:pk>/follow-ups/", views.follow_up, name="follow-up"),
    path("follow-ups/", views.follow_ups_due, name="follow-ups"),
]
