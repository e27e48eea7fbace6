from ctxh.assistance import calc_urls, pay_urls

app_name = "assistance"
# The calculator and the entitlement pages are written apart; one namespace.
urlpatterns = [*calc_urls.urlpatterns, *pay_urls.urlpatterns]
