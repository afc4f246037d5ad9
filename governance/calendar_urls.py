"""The private calendar feeds: /calendar/<token>.ics"""

from django.urls import path

from governance.views import calendar

urlpatterns = [
    path("<str:token>.ics", calendar.calendar_feed, name="calendar-feed"),
]
