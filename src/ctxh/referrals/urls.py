from django.urls import path

from ctxh.referrals import link_views, views

app_name = "referrals"
urlpatterns = [
    path("", views.referral_list, name="list"),
    path("inbox/", views.inbox, name="inbox"),
    path("overdue-panel/", views.overdue_panel, name="overdue-panel"),
    path("new/", views.referral_new, name="new"),
    path("providers/", views.provider_search, name="provider-search"),
    path("<int:pk>/", views.referral_detail, name="detail"),
    path("<int:pk>/act/", views.referral_act, name="act"),
    path("<int:pk>/links/", views.link_issue, name="link-issue"),
    path("<int:pk>/links/new/", views.link_issued, name="link-issued"),
    path("<int:pk>/links/<int:link_id>/revoke/", views.link_revoke, name="link-revoke"),
    path("<int:pk>/letter/", views.letter, name="letter"),
    # The provider's one-time link: no login.
    path("r/<str:token>/", link_views.link_page, name="link"),
]
