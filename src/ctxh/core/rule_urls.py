"""The rule editor and the category lists, mounted at /rules/."""

from django.urls import path

from ctxh.core import rule_views

app_name = "rules"
urlpatterns = [
    path("", rule_views.rule_list, name="list"),
    path("new/", rule_views.rule_create, name="create"),
    path("key/<str:key>/", rule_views.rule_key, name="key"),
    path("<int:pk>/edit/", rule_views.rule_edit, name="edit"),
    path("<int:pk>/delete/", rule_views.rule_delete, name="delete"),
    path("terms/", rule_views.term_vocabularies, name="terms"),
    path("terms/<slug:vocabulary>/", rule_views.term_list, name="term-list"),
]
