"""Entitlements, decisions, payment lists and arrears at /assistance/ (namespace "assistance")."""

from django.urls import path

from ctxh.assistance import pay_views, views

urlpatterns: list = [
    path("entitlements/", views.entitlement_list, name="entitlement-list"),
    path("entitlements/review/", views.entitlement_review, name="entitlement-review"),
    path("entitlements/<int:pk>/", views.entitlement_detail, name="entitlement-detail"),
    path("entitlements/<int:pk>/decide/", views.entitlement_decide, name="entitlement-decide"),
    path("entitlements/<int:pk>/stop/", views.entitlement_stop, name="entitlement-stop"),
    path("entitlements/<int:pk>/payment-method/", views.entitlement_payment, name="entitlement-payment"),
    path("entitlements/person/<int:person_pk>/", views.person_entitlements, name="person-entitlements"),
    path("entitlements/person/<int:person_pk>/propose/", views.entitlement_propose, name="entitlement-propose"),
    path("decisions/", views.decision_list, name="decision-list"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision-detail"),
    path("decisions/<int:pk>/document/", views.decision_document, name="decision-document"),
    path("payments/", pay_views.payment_lists, name="payment-list"),
    path("payments/generate/", pay_views.payment_generate, name="payment-generate"),
    path("payments/province/", pay_views.payment_run_start, name="payment-run-start"),
    path("payments/runs/<int:pk>/", pay_views.payment_run, name="payment-run"),
    path("payments/runs/<int:pk>/download/", pay_views.payment_run_download, name="payment-run-download"),
    path("payments/<int:pk>/", pay_views.payment_detail, name="payment-detail"),
    path("payments/<int:pk>/lines/<int:line_pk>/paid/", pay_views.payment_line_paid, name="payment-line-paid"),
    path("payments/<int:pk>/close/", pay_views.payment_close, name="payment-close"),
    path("payments/<int:pk>/export.xlsx", pay_views.payment_xlsx, name="payment-xlsx"),
    path("payments/<int:pk>/export.pdf", pay_views.payment_pdf, name="payment-pdf"),
    path("payments/<int:pk>/corrections/new/", pay_views.payment_correction, name="payment-correction"),
    path("arrears/", pay_views.arrears_list, name="arrears-list"),
    path("arrears/compute/", pay_views.arrears_compute, name="arrears-compute"),
]
