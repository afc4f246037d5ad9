from allauth.socialaccount.providers.oauth2.urls import default_urlpatterns
from django.urls import path

from intrapreneur.proconnect import views
from intrapreneur.proconnect.provider import ProConnectProvider

# proconnect/login/ (proconnect_login), proconnect/login/callback/ (proconnect_callback),
# the sign-out's way to ProConnect's end of session, and the return from it.
urlpatterns = [
    *default_urlpatterns(ProConnectProvider),
    path("proconnect/logout/", views.logout_handoff, name="proconnect_logout"),
    path("proconnect/logout/callback/", views.logout_callback, name="proconnect_logout_callback"),
]
