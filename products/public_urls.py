"""The public pages of a public startup, no account needed: /public/<slug>/… (namespace
"public", given by the project's urlconf with the governance's public budget page)."""

from django.urls import path

from products.views import public, releases

urlpatterns = [
    path("", public.landing, name="landing"),
    path("feedback/", public.feedback_form, name="feedback"),
    path("feedback/thanks/", public.feedback_thanks, name="feedback-thanks"),
    path("stats/", public.stats, name="stats"),
    path("stats.csv", public.stats_csv, name="stats-csv"),
    path("stats.json", public.stats_json, name="stats-json"),
    path("changelog/", releases.changelog, name="changelog"),
    path("changelog/feed.atom", releases.changelog_feed, name="changelog-feed"),
]
