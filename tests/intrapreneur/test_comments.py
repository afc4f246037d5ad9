"""Comments on insights, hypotheses, learnings and committees: threads, Markdown, mentions."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from intrapreneur.comments import comment_create, comment_update
from intrapreneur.models import Comment, Notification
from tests.governance.factories import InvestmentCommitteeFactory
from tests.intrapreneur.factories import CommentFactory, MembershipFactory, UserFactory
from tests.investigations.factories import InsightFactory, LaunchCommitteeFactory
from tests.products.factories import HypothesisFactory, LearningFactory

# key in the URL -> how to make one such object in a startup.
COMMENTABLE = {
    "insight": InsightFactory,
    "launch-committee": LaunchCommitteeFactory,
    "hypothesis": HypothesisFactory,
    "learning": LearningFactory,
    "investment-committee": InvestmentCommitteeFactory,
}


def create_url(world, key, target):
    return reverse("comment-create", args=[world.startup.slug, key, target.pk])


def named(world, role, email):
    """Give a person of the world an address (and so a handle) we know."""
    person = world.people[role]
    person.email = email
    person.save()
    return person


@pytest.mark.parametrize("key", COMMENTABLE)
def test_the_discussion_is_on_each_page_for_those_who_comment(world, key):
    target = COMMENTABLE[key](startup=world.startup)
    CommentFactory(target=target, author=world.people["coach"], body="Un **point** à voir")

    for role in ("intrapreneur", "team", "coach"):
        page = world.client_for(role).get(target.get_absolute_url())
        assertContains(page, "Discussion (1 commentaire)")
        assertContains(page, "Un <strong>point</strong> à voir", html=False)
        assertContains(page, f'action="{create_url(world, key, target)}"')
        assertContains(page, "@camille.martin pour camille.martin@beta.gouv.fr")
    # The sponsor and staff read the object, never its discussion.
    for role in ("sponsor", "staff"):
        page = world.client_for(role).get(target.get_absolute_url())
        assert page.status_code == 200
        assertNotContains(page, "Discussion (")
        assertNotContains(page, "à voir")


def test_a_comment_without_javascript(world):
    insight = InsightFactory(startup=world.startup)
    client = world.client_for("team")

    response = client.post(create_url(world, "insight", insight), {"body": "Je **valide**"},
                           follow=True)

    comment = Comment.objects.get()
    assert response.redirect_chain == [(f"{insight.get_absolute_url()}#comment-{comment.pk}", 302)]
    assertContains(response, "Votre commentaire est publié.")
    assertContains(response, f'id="comment-{comment.pk}"')
    assert (comment.startup, comment.target, comment.author) == (
        world.startup, insight, world.people["team"]
    )
    # An empty comment: the form again, with its error.
    response = client.post(create_url(world, "insight", insight), {"body": "  "})
    assert response.status_code == 200
    assertContains(response, "Ce champ est obligatoire.")
    assert Comment.objects.count() == 1


def test_a_comment_with_htmx_swaps_the_discussion(world):
    insight = InsightFactory(startup=world.startup)
    client = world.client_for("coach")
    headers = {"HX-Request": "true"}

    response = client.post(create_url(world, "insight", insight), {"body": "Premier avis"},
                           headers=headers)

    comment = Comment.objects.get()
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="comments"')
    assertContains(response, "Discussion (1 commentaire)")
    assertContains(response, "Premier avis")
    assertContains(response, 'id="messages" hx-swap-oob="innerHTML"')
    assertContains(response, "Votre commentaire est publié.")
    assert response["HX-Trigger-After-Settle"] == f'{{"commentAdded": "comment-{comment.pk}"}}'
    assert "HX-Request" in response["Vary"]
    # The new form is empty; on an error it keeps what was typed.
    response = client.post(create_url(world, "insight", insight), {"body": "x" * 10_001},
                           headers=headers)
    assertContains(response, "Assurez-vous que cette valeur comporte au plus 10000 caractères")
    assertContains(response, "x" * 10_001)
    assert Comment.objects.count() == 1


def test_replies_have_one_level_and_tell_the_author_replied_to(world):
    insight = InsightFactory(startup=world.startup, statement="Les usagers abandonnent")
    coach, team = world.people["coach"], world.people["team"]
    thread = CommentFactory(target=insight, author=coach)
    client = world.client_for("team")

    client.post(create_url(world, "insight", insight), {"body": "D'accord", "parent": thread.pk})
    reply = Comment.objects.get(parent=thread)
    assert reply.author == team
    [told] = Notification.objects.all()
    assert told.recipient == coach
    assert told.text == f"{team} a répondu à votre commentaire sur « Les usagers abandonnent »"
    assert told.url == f"{insight.get_absolute_url()}#comment-{reply.pk}"

    # A reply to the reply joins the same thread; the team member is told, not the coach.
    world.client_for("intrapreneur").post(
        create_url(world, "insight", insight), {"body": "Moi aussi", "parent": reply.pk}
    )
    assert Comment.objects.filter(parent=thread).count() == 2
    assert Notification.objects.filter(recipient=team, kind="reply").count() == 1
    assert Notification.objects.filter(recipient=coach).count() == 1

    page = client.get(insight.get_absolute_url())
    assertContains(page, "Discussion (3 commentaires)")
    assertContains(page, 'class="comment-replies"')


def test_a_reply_to_a_comment_elsewhere_is_not_found(world):
    insight, other = InsightFactory.create_batch(2, startup=world.startup)
    elsewhere = CommentFactory(target=other, author=world.people["coach"])
    response = world.client_for("team").post(
        create_url(world, "insight", insight), {"body": "Réponse", "parent": elsewhere.pk}
    )
    assert response.status_code == 404
    assert Comment.objects.count() == 1


def test_mentions_tell_the_members_who_may_read_the_discussion(world):
    insight = InsightFactory(startup=world.startup, statement="Trop de pièces")
    coach = named(world, "coach", "camille.martin@beta.gouv.fr")
    sponsor = named(world, "sponsor", "paul.durand@interieur.gouv.fr")
    team = named(world, "team", "lea.petit@beta.gouv.fr")
    outsider = world.people["outsider"]
    outsider.email = "zoe.roux@beta.gouv.fr"
    outsider.save()

    comment = comment_create(
        startup=world.startup, author=team, target=insight,
        body="@camille.martin et @Paul.Durand, voyez ; @zoe.roux aussi ; écrire à "
             "lea.petit@beta.gouv.fr ; moi-même @lea.petit",
    )

    # The coach (comment); not the sponsor (no `comment`), not an outsider, not the author,
    # not an address inside the text.
    [told] = Notification.objects.all()
    assert told.recipient == coach
    assert told.kind == "mention"
    assert told.text == f"{team} vous a mentionné dans un commentaire sur « Trop de pièces »"
    assert not Notification.objects.filter(recipient__in=[sponsor, outsider, team]).exists()

    # An edit tells only who is mentioned for the first time.
    intrapreneur = named(world, "intrapreneur", "nadia.benali@beta.gouv.fr")
    comment_update(comment=comment, author=team,
                   body="@camille.martin @nadia.benali : relu et corrigé")
    assert Notification.objects.filter(recipient=coach).count() == 1
    assert Notification.objects.filter(recipient=intrapreneur, kind="mention").count() == 1


def test_only_the_author_edits_and_deletes_with_confirmation(world):
    insight = InsightFactory(startup=world.startup)
    comment = CommentFactory(target=insight, author=world.people["team"], body="Premier jet")
    edit = reverse("comment-edit", args=[world.startup.slug, comment.pk])
    delete = reverse("comment-delete", args=[world.startup.slug, comment.pk])
    for role in ("coach", "intrapreneur"):
        client = world.client_for(role)
        assert client.get(edit).status_code == 403
        assert client.post(edit, {"body": "Réécrit"}).status_code == 403
        assert client.post(delete).status_code == 403
        assertNotContains(client.get(insight.get_absolute_url()), edit)
    client = world.client_for("team")
    assertContains(client.get(insight.get_absolute_url()), edit)

    page = client.get(edit)
    assertContains(page, "Premier jet")
    response = client.post(edit, {"body": "Version **revue**"}, follow=True)
    assert response.redirect_chain == [(f"{insight.get_absolute_url()}#comment-{comment.pk}", 302)]
    assertContains(response, "Votre commentaire est enregistré.")
    assertContains(response, "Version <strong>revue</strong>", html=False)
    assertContains(response, "modifié")

    confirm = client.get(delete)
    assertContains(confirm, "Supprimer mon commentaire")
    assertContains(confirm, "Version **revue**")
    assert Comment.objects.filter(pk=comment.pk).exists()  # a GET deletes nothing
    response = client.post(delete, follow=True)
    assertContains(response, "Votre commentaire est supprimé.")
    assert not Comment.objects.exists()


def test_a_deleted_comment_with_replies_stays_as_a_placeholder(world):
    insight = InsightFactory(startup=world.startup)
    thread = CommentFactory(target=insight, author=world.people["team"], body="À supprimer")
    reply = CommentFactory(target=insight, parent=thread, author=world.people["coach"],
                           body="Réponse qui reste")
    client = world.client_for("team")

    client.post(reverse("comment-delete", args=[world.startup.slug, thread.pk]))

    thread.refresh_from_db()
    assert thread.deleted_at is not None and thread.body == ""
    page = client.get(insight.get_absolute_url())
    assertContains(page, "Commentaire supprimé")
    assertContains(page, "Réponse qui reste")
    assertNotContains(page, "À supprimer")
    assertContains(page, "Discussion (1 commentaire)")
    # Its last reply gone, the placeholder goes too.
    world.client_for("coach").post(reverse("comment-delete", args=[world.startup.slug, reply.pk]))
    assert not Comment.objects.exists()


def test_comments_are_markdown_made_harmless(world):
    insight = InsightFactory(startup=world.startup)
    world.client_for("team").post(create_url(world, "insight", insight), {
        "body": "<script>alert(1)</script> [clic](javascript:alert(1)) "
                "<a href=\"javascript:alert(2)\">lien</a> <img src=x onerror=alert(3)> "
                "[ok](https://beta.gouv.fr)",
    })
    page = world.client_for("coach").get(insight.get_absolute_url())
    html = page.content.decode()
    section = html[html.index('<section id="comments"'):]
    assert "<script>alert" not in section
    assert "javascript:" not in section
    assert "onerror" not in section
    assert '<a href="https://beta.gouv.fr" rel="noopener noreferrer nofollow">ok</a>' in section


def test_objects_come_through_the_startup(world):
    foreign = InsightFactory()  # of another startup
    client = world.client_for("intrapreneur")
    assert client.post(create_url(world, "insight", foreign), {"body": "x"}).status_code == 404
    path = reverse("comment-create", args=[world.startup.slug, "interview", 1])
    assert client.post(path, {"body": "x"}).status_code == 404  # not commentable
    foreign_comment = CommentFactory(target=foreign, author=world.people["intrapreneur"])
    for name in ("comment-edit", "comment-delete"):
        path = reverse(name, args=[world.startup.slug, foreign_comment.pk])
        assert client.get(path).status_code == 404
    assert Comment.objects.count() == 1


def test_a_former_member_is_not_told(world):
    insight = InsightFactory(startup=world.startup)
    gone = MembershipFactory(startup=world.startup, user=UserFactory(email="ex@beta.gouv.fr"))
    thread = CommentFactory(target=insight, author=gone.user)
    gone.delete()
    comment_create(startup=world.startup, author=world.people["team"], target=insight,
                   body="@ex merci", parent=thread)
    assert not Notification.objects.exists()
