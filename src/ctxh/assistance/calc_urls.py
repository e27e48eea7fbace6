from django.urls import path

from ctxh.assistance import calc_views

# Merged into the "assistance" namespace by urls.py, mounted at /assistance/.
urlpatterns: list = [
    path("calculator/", calc_views.calculator, name="calculator"),
    path("calculator/person/<int:pk>/", calc_views.calculator_person, name="calculator-person"),
]
