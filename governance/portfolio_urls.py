"""The portfolio of incubator staff: /portfolio/…"""

from django.urls import path

from governance.views import portfolio

app_name = "portfolio"

urlpatterns = [
    path("", portfolio.portfolio, name="list"),
    path("export.csv", portfolio.portfolio_export, name="export"),
]
