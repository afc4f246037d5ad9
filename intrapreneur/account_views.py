"""Pages around the account: the invitation link, the profile, the account deletion."""

from __future__ import annotations

from urllib.parse import urlencode

from allauth.account.internal.flows.login_by_code import LoginCodeVerificationProcess
from allauth.socialaccount.models import SocialAccount
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from intrapreneur import notifications, services
from intrapreneur.calendars import calendar_feed_active, calendar_feed_create, calendar_feed_revoke
from intrapreneur.forms import NotificationSettingsForm, ProfileForm
from intrapreneur.invitations import invitation_accept, invitation_for_token


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_for_token(token)
    if invitation is None or invitation.status != "pending":
        status = invitation.status if invitation else "unknown"
        return render(
            request, "intrapreneur/invitation_invalid.html", {"reason": status},
            status=404 if invitation is None else 410,
        )
    signed_in = request.user.is_authenticated
    wrong_person = signed_in and request.user.email.lower() != invitation.email.lower()
    if request.method == "POST" and not wrong_person:
        user = invitation_accept(invitation=invitation, user=request.user if signed_in else None)
        startup_url = invitation.startup.get_absolute_url()
        if signed_in:
            messages.success(
                request, _("Welcome to “%(name)s”.") % {"name": invitation.startup}
            )
            return redirect(startup_url)
        LoginCodeVerificationProcess.initiate(request=request, user=user, email=user.email)
        messages.info(
            request,
            _("Your account is ready. A sign-in code was sent to %(email)s: type it below.")
            % {"email": user.email},
        )
        return redirect(
            reverse("account_confirm_login_code") + "?" + urlencode({"next": startup_url})
        )
    return render(
        request,
        "intrapreneur/invitation_accept.html",
        {"invitation": invitation, "wrong_person": wrong_person},
    )


@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """The profile, and what the person is told about (each form posts on its own)."""
    posted = request.POST or None  # an empty POST leaves both forms unbound, as before
    settings_posted = posted is not None and posted.get("form") == "notifications"
    form = ProfileForm(None if settings_posted else posted, instance=request.user)
    settings_form = NotificationSettingsForm(
        posted if settings_posted else None, prefix="notifications",
        preferences=notifications.preferences_for_user(request.user),
    )
    if settings_posted and settings_form.is_valid():
        notifications.notification_preferences_set(
            user=request.user, in_app=settings_form.chosen("in_app"),
            email=settings_form.chosen("email"),
        )
        messages.success(request, _("Your notification choices are saved."))
        return redirect(reverse("account-profile") + "#notification-settings")
    if posted is not None and not settings_posted and form.is_valid():
        form.save()
        messages.success(request, _("Your profile is saved."))
        return redirect("account-profile")
    # How the person signs in with ProConnect, and the establishment (SIRET) it gave.
    proconnect = [
        {"email": account.extra_data.get("email", ""), "siret": account.extra_data.get("siret", "")}
        for account in SocialAccount.objects.filter(user=request.user, provider="proconnect")
    ]
    return render(
        request, "account/profile.html",
        {
            "form": form, "proconnect_accounts": proconnect,
            "calendar_feed": calendar_feed_active(request.user),
            "settings_form": settings_form,
        },
    )


@require_http_methods(["GET", "POST"])
def calendar_feed_create_view(request: HttpRequest) -> HttpResponse:
    """Confirm, then create the person's private calendar address (replacing the previous
    one) and show it, this once: only its hash is kept."""
    current = calendar_feed_active(request.user)
    if request.method == "POST":
        _feed, token = calendar_feed_create(user=request.user)
        url = request.build_absolute_uri(reverse("calendar-feed", args=[token]))
        messages.success(
            request,
            _("Your private calendar address is created. Copy it now: it is shown only once."),
        )
        return render(request, "account/calendar_created.html", {"feed_url": url})
    return render(
        request, "account/calendar_confirm.html",
        {
            "title": _("Replace my private calendar address") if current
            else _("Create my private calendar address"),
            "warning": _("The current address stops working: calendars subscribed to it "
                         "receive nothing more until you give them the new one.")
            if current else "",
            "action_label": _("Replace the address") if current else _("Create the address"),
        },
    )


@require_http_methods(["GET", "POST"])
def calendar_feed_revoke_view(request: HttpRequest) -> HttpResponse:
    """Confirm, then revoke the person's private calendar address."""
    if calendar_feed_active(request.user) is None:
        messages.info(request, _("You have no private calendar address to revoke."))
        return redirect("account-profile")
    if request.method == "POST":
        calendar_feed_revoke(user=request.user)
        messages.success(
            request,
            _("Your private calendar address is revoked: it shows nothing any more."),
        )
        return redirect("account-profile")
    return render(
        request, "account/calendar_confirm.html",
        {
            "title": _("Revoke my private calendar address"),
            "warning": _("Calendars subscribed to it stop receiving the events of your "
                         "startups. You can create a new address afterwards."),
            "action_label": _("Revoke the address"),
        },
    )


@require_http_methods(["GET", "POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    blocking = services.startups_needing(request.user)
    if request.method == "POST" and not blocking:
        try:
            services.user_delete(user=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("account-delete")
        logout(request)
        messages.success(request, _("Your account is deleted."))
        return redirect("account_login")
    return render(request, "account/delete.html", {"blocking": blocking})
