"""The public budget page of a public startup: /public/<slug>/budget/ (namespace "public",
given by the project's urlconf with the products' public pages)."""

from django.urls import path

from governance.views import budget

urlpatterns = [
    path("budget/", budget.public_budget, name="budget"),
]
