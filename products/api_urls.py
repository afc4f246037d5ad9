"""The token-authenticated JSON API: /api/v1/…"""

from django.urls import path

from products.views import api

app_name = "api"

urlpatterns = [
    path(
        "startups/<slug:slug>/metrics/<slug:key>/values/", api.metric_values,
        name="metric-values",
    ),
]
