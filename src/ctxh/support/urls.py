from django.urls import path

from ctxh.support import views

app_name = "support"
urlpatterns = [
    path("", views.grant_list, name="grant-list"),
    path("grants/new/", views.grant_create, name="grant-create"),
    path("grants/suggest/", views.grant_suggest, name="grant-suggest"),
    path("grants/<int:pk>/", views.grant_detail, name="grant-detail"),
    path("grants/<int:pk>/receipt/", views.grant_receipt, name="grant-receipt"),
    path("grants/<int:pk>/proof/", views.grant_proof, name="grant-proof"),
    path("households/search/", views.household_search, name="household-search"),
    path("needs/", views.need_list, name="need-list"),
    path("needs/new/", views.need_create, name="need-create"),
    path("needs/<int:pk>/<str:action>/", views.need_move, name="need-move"),
    path("surveys/", views.survey_list, name="survey-list"),
    path("surveys/new/", views.survey_create, name="survey-create"),
    path("surveys/template.csv", views.survey_template, name="survey-template"),
    path("surveys/<int:pk>/", views.survey_detail, name="survey-detail"),
    path("surveys/<int:pk>/import/", views.survey_import, name="survey-import"),
    path("surveys/<int:pk>/quick/", views.survey_quick, name="survey-quick"),
    path("surveys/<int:pk>/report/", views.survey_report, name="survey-report"),
    path("surveys/<int:pk>/report.xlsx", views.survey_export, name="survey-export"),
    path("donations/", views.donation_list, name="donation-list"),
    path("donations/new/", views.donation_create, name="donation-create"),
    path("donations/<int:pk>/", views.donation_detail, name="donation-detail"),
    path("donations/<int:pk>/allocate/", views.allocation_create, name="allocation-create"),
    path("allocations/<int:pk>/cancel/", views.allocation_cancel, name="allocation-cancel"),
    path("allocations/<int:pk>/proof/", views.allocation_proof, name="allocation-proof"),
    path("donors/new/", views.donor_create, name="donor-create"),
    path("donors/<int:pk>/edit/", views.donor_edit, name="donor-edit"),
    path("person/<int:pk>/", views.person_support, name="person"),
]
