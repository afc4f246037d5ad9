"""The public pages of a public startup, no account needed: /public/<slug>/…"""

from django.urls import path

from products.views import public

app_name = "public"

urlpatterns = [
    path("", public.landing, name="landing"),
    path("feedback/", public.feedback_form, name="feedback"),
    path("feedback/thanks/", public.feedback_thanks, name="feedback-thanks"),
    path("stats/", public.stats, name="stats"),
    path("stats.csv", public.stats_csv, name="stats-csv"),
    path("stats.json", public.stats_json, name="stats-json"),
]
