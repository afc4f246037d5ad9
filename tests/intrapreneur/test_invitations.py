import datetime
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertRedirects

from intrapreneur import invitations
from intrapreneur.enums import Role
from intrapreneur.models import Activity, Invitation, Membership, OutboxMessage, User
from tests.intrapreneur.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^/\s]+(/invitations/[^/\s]+/)")
CODE = re.compile(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", re.M)


def invite(client, world, captured, email="nouvelle.recrue@example.gouv.fr", role="team"):
    client.force_login(world.people["intrapreneur"])
    with captured(execute=True):
        response = client.post(
            reverse("invitation-create", kwargs={"slug": world.startup.slug}),
            {"email": email, "role": role},
        )
    assertRedirects(response, reverse("startup-team", kwargs={"slug": world.startup.slug}))
    return LINK.search(mail.outbox[-1].body).group(1)


def test_invitation_is_recorded_then_delivered(client, world, django_capture_on_commit_callbacks):
    path = invite(client, world, django_capture_on_commit_callbacks)
    message = OutboxMessage.objects.get(kind="invitation")
    assert message.state == "sent" and message.attempts == 1
    sent = mail.outbox[-1]
    assert sent.to == ["nouvelle.recrue@example.gouv.fr"]
    assert world.startup.name in sent.subject
    html = sent.alternatives[0].content
    assert path in html and "Accepter l’invitation" in html
    invitation = Invitation.objects.get()
    assert invitation.status == "pending" and invitation.role == Role.TEAM
    assert path.split("/")[2] not in invitation.token_hash  # only the hash is stored
    team = client.get(reverse("startup-team", kwargs={"slug": world.startup.slug}))
    assertContains(team, "nouvelle.recrue@example.gouv.fr")


def test_a_new_person_accepts_then_signs_in_by_code(
    client, world, django_capture_on_commit_callbacks
):
    path = invite(client, world, django_capture_on_commit_callbacks)
    client.logout()
    page = client.get(path)
    assertContains(page, world.startup.name)
    response = client.post(path)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_confirm_login_code"))
    user = User.objects.get(email="nouvelle.recrue@example.gouv.fr")
    assert EmailAddress.objects.get(user=user).verified
    assert Membership.objects.get(user=user, startup=world.startup).role == Role.TEAM
    code = CODE.search(mail.outbox[-1].body).group(1)
    landed = client.post(response.url, {"code": code}, follow=True)
    assertRedirects(landed, world.startup.get_absolute_url())
    assert landed.context["user"] == user
    assert Activity.objects.filter(startup=world.startup, verb="member.joined").exists()


def test_a_used_link_says_so(client, world, django_capture_on_commit_callbacks):
    path = invite(client, world, django_capture_on_commit_callbacks)
    client.logout()
    client.post(path)
    again = client.get(path)
    assert again.status_code == 410
    assertContains(again, "déjà été utilisée", status_code=410)


def test_an_expired_link_says_so(client, world, django_capture_on_commit_callbacks):
    path = invite(client, world, django_capture_on_commit_callbacks)
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    client.logout()
    response = client.post(path)
    assertContains(response, "a expiré", status_code=410)
    assert not User.objects.filter(email="nouvelle.recrue@example.gouv.fr").exists()


def test_a_revoked_link_says_so(client, world, django_capture_on_commit_callbacks):
    path = invite(client, world, django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get()
    revoke_url = reverse(
        "invitation-revoke", kwargs={"slug": world.startup.slug, "pk": invitation.pk}
    )
    assertContains(client.get(revoke_url), "Révoquer")
    client.post(revoke_url)
    client.logout()
    assertContains(client.get(path), "retirée", status_code=410)


def test_an_unknown_link_is_not_found(client, db):
    assert client.get("/invitations/pas-un-jeton/").status_code == 404


def test_send_again_gives_a_new_link(client, world, django_capture_on_commit_callbacks):
    old_path = invite(client, world, django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse(
            "invitation-resend", kwargs={"slug": world.startup.slug, "pk": invitation.pk}
        ))
    new_path = LINK.search(mail.outbox[-1].body).group(1)
    assert new_path != old_path
    assert OutboxMessage.objects.filter(kind="invitation", state="sent").count() == 2
    client.logout()
    assert client.get(old_path).status_code == 404
    assert client.get(new_path).status_code == 200


def test_an_existing_member_or_pending_address_is_refused(
    client, world, django_capture_on_commit_callbacks
):
    invite(client, world, django_capture_on_commit_callbacks)
    url = reverse("invitation-create", kwargs={"slug": world.startup.slug})
    again = client.post(url, {"email": "Nouvelle.Recrue@example.gouv.fr", "role": "coach"})
    assertContains(again, "Une invitation attend déjà cette adresse")
    member = client.post(url, {"email": world.people["team"].email, "role": "coach"})
    assertContains(member, "Cette personne fait déjà partie de l’équipe.")
    assert Invitation.objects.count() == 1


def test_signed_in_as_someone_else(client, world, django_capture_on_commit_callbacks):
    path = invite(client, world, django_capture_on_commit_callbacks)
    client.force_login(world.people["coach"])
    response = client.post(path)
    assertContains(response, "Déconnectez-vous")
    assert Invitation.objects.get().status == "pending"


def test_an_existing_account_signed_in_joins_directly(
    client, world, django_capture_on_commit_callbacks
):
    person = UserFactory(email="deja@example.gouv.fr")
    path = invite(client, world, django_capture_on_commit_callbacks, email=person.email)
    client.force_login(person)
    assertRedirects(client.post(path), world.startup.get_absolute_url())
    assert Membership.objects.filter(user=person, startup=world.startup).exists()


def test_accept_twice_in_the_service_is_refused(world):
    invitation = Invitation.objects.create(
        startup=world.startup, email="x@example.gouv.fr", role=Role.COACH,
        token_hash=invitations.token_hash("t"),
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )
    invitations.invitation_accept(invitation=invitation)
    with pytest.raises(invitations.ValidationError):
        invitations.invitation_accept(invitation=invitation)
    joined = Membership.objects.filter(startup=world.startup, user__email="x@example.gouv.fr")
    assert joined.count() == 1


# ---------------------------------------------------------------- account


def test_profile_edit(client, world):
    client.force_login(world.people["coach"])
    response = client.post(reverse("account-profile"), {"first_name": "Aïcha", "last_name": "B"})
    assertRedirects(response, reverse("account-profile"))
    assert User.objects.get(pk=world.people["coach"].pk).first_name == "Aïcha"


def test_the_last_intrapreneur_cannot_delete_the_account(client, world):
    client.force_login(world.people["intrapreneur"])
    page = client.get(reverse("account-delete"))
    assertContains(page, world.startup.name)
    client.post(reverse("account-delete"))
    assert User.objects.filter(pk=world.people["intrapreneur"].pk).exists()


def test_an_account_is_deleted_on_request(client, world):
    MembershipFactory(startup=world.startup, role=Role.INTRAPRENEUR)
    client.force_login(world.people["intrapreneur"])
    response = client.post(reverse("account-delete"), follow=True)
    assertContains(response, "Votre compte est supprimé.")
    assert not User.objects.filter(pk=world.people["intrapreneur"].pk).exists()


def test_logout_is_a_post(client, world):
    client.force_login(world.people["team"])
    client.get(reverse("account_logout"))
    assert client.get("/").status_code == 200  # a GET shows the confirmation, signs nobody out
    client.post(reverse("account_logout"))
    assert client.get("/").status_code == 302


def test_admin_asks_staff_for_totp(client, world):
    from allauth.mfa.models import Authenticator

    staff = world.people["staff"]
    client.force_login(staff)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert client.get(response.url).url == reverse("mfa_activate_totp")
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert client.get("/admin/").status_code == 200
