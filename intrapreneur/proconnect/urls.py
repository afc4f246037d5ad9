from allauth.socialaccount.providers.oauth2.urls import default_urlpatterns
from django.urls import path

from intrapreneur.proconnect import views
from intrapreneur.proconnect.provider import ProConnectProvider

# proconnect/login/ (proconnect_login), proconnect/login/callback/ (proconnect_callback),
# and the return from ProConnect's end of session.
urlpatterns = [
    *default_urlpatterns(ProConnectProvider),
    path("proconnect/logout/callback/", views.logout_callback, name="proconnect_logout_callback"),
]
