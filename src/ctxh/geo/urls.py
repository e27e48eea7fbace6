from django.urls import path

from ctxh.geo import views

app_name = "geo"
urlpatterns = [path("communes/", views.commune_options, name="commune-options")]
