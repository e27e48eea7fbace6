from django.urls import path

from ctxh.core import calendar_views

app_name = "core"
urlpatterns = [
    path("", calendar_views.calendar_year, name="calendar"),
    path("new/", calendar_views.calendar_day_create, name="calendar-day-create"),
    path("<int:pk>/delete/", calendar_views.calendar_day_delete, name="calendar-day-delete"),
]
