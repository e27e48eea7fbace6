from django.urls import path

from ctxh.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.my_cases, name="my"),
    path("director/", views.director, name="director"),
    path("all/", views.case_list, name="list"),
    path("new/", views.case_open, name="open"),
    path("notifications/", views.notifications, name="notifications"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/break-glass/", views.break_glass, name="break-glass"),
    path("<int:pk>/edit/", views.case_edit, name="edit"),
    path("<int:pk>/transition/", views.case_transition, name="transition"),
    path("<int:pk>/seal/", views.case_seal, name="seal"),
    path("<int:pk>/pdf/", views.case_pdf, name="pdf"),
    path("<int:pk>/assessment/", views.assessment_new, name="assessment"),
    path("<int:pk>/plan/", views.plan_edit, name="plan"),
    path("<int:pk>/plans/<int:plan_pk>/submit/", views.plan_submit, name="plan-submit"),
    path("<int:pk>/plans/<int:plan_pk>/approve/", views.plan_approve, name="plan-approve"),
    path("<int:pk>/plans/<int:plan_pk>/return/", views.plan_return, name="plan-return"),
    path("<int:pk>/plan-items/<int:item_pk>/status/", views.plan_item_status, name="plan-item-status"),
    path("<int:pk>/notes/", views.note_add, name="note-add"),
    path("<int:pk>/attachments/", views.attachment_add, name="attachment-add"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/members/<int:member_pk>/end/", views.member_end, name="member-end"),
    path("<int:pk>/review/", views.review_new, name="review"),
    path("<int:pk>/closure/", views.closure_request, name="closure-request"),
    path("<int:pk>/closures/<int:closure_pk>/approve/", views.closure_approve, name="closure-approve"),
    path("<int:pk>/closures/<int:closure_pk>/reject/", views.closure_reject, name="closure-reject"),
]
