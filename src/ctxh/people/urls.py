from django.urls import path

from ctxh.people import poverty_views, views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("search/", views.person_search, name="search"),
    path("new/", views.person_create, name="create"),
    path("new/duplicates/", views.person_duplicates, name="duplicates"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/edit/", views.person_edit, name="edit"),
    path("<int:pk>/groups/new/", views.group_add, name="group-add"),
    path("groups/<int:pk>/end/", views.group_end, name="group-end"),
    path("<int:pk>/disabilities/new/", views.disability_add, name="disability-add"),
    path("<int:pk>/consents/new/", views.consent_add, name="consent-add"),
    path("consents/<int:pk>/withdraw/", views.consent_withdraw, name="consent-withdraw"),
    path("households/", views.household_list, name="household-list"),
    path("households/new/", views.household_create, name="household-create"),
    path("households/<int:pk>/", views.household_detail, name="household-detail"),
    path("households/<int:pk>/edit/", views.household_edit, name="household-edit"),
    path("households/<int:pk>/members/new/", views.household_member_add, name="household-member-add"),
    path("households/members/<int:pk>/remove/", views.household_member_remove, name="household-member-remove"),
    path("households/<int:pk>/poverty/", views.household_poverty, name="household-poverty"),
    # Poverty surveys (issue 5).
    path("households/<int:pk>/poverty-surveys/", poverty_views.poverty_survey_list, name="poverty-survey-list"),
    path("households/<int:pk>/poverty-surveys/new/", poverty_views.poverty_survey_create,
         name="poverty-survey-create"),
    path("households/<int:pk>/poverty-surveys/preview/", poverty_views.poverty_survey_preview,
         name="poverty-survey-preview"),
    path("poverty-surveys/<int:pk>/apply/", poverty_views.poverty_survey_apply, name="poverty-survey-apply"),
]
