"""Releases: publishing closes the feedback it answers and tells the authors who asked,
once; drafts touch nothing; the pages as each role sees them; the demo."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.messages import get_messages
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from intrapreneur.dates import week_start
from intrapreneur.models import Activity, OutboxMessage
from products import demo_feedback, demo_releases
from products.enums import FeedbackStatus
from products.models import Feedback, Release
from products.services import releases as services
from products.services.feedback import feedback_bulk_set_status
from tests.intrapreneur.factories import StartupFactory
from tests.products.factories import FeedbackFactory, ReleaseFactory

pytestmark = pytest.mark.django_db


def url(name, startup, **kwargs):
    return reverse(f"products:{name}", kwargs={"slug": startup.slug, **kwargs})


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def listed(response):
    """The versions of the releases listed, in order."""
    return [tr.select_one("td a").get_text(strip=True)
            for tr in soup(response).select("#release-table tbody tr")]


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def status(item):
    item.refresh_from_db()
    return item.status


@pytest.fixture
def items(world):
    """Three open items: an author who asked to be answered, one who did not, none."""
    startup = world.startup
    return [
        FeedbackFactory(startup=startup, text="Le questionnaire plante à l'étape 3.",
                        author_email="usagere@example.fr", author_consents=True),
        FeedbackFactory(startup=startup, text="Il faudrait un export en tableur.",
                        kind="idea", author_email="discret@example.fr", author_consents=False,
                        status="triaged"),
        FeedbackFactory(startup=startup, text="La carte est lente.", status="planned"),
    ]


# ---------------------------------------------------------------- services


def test_publishing_closes_the_answered_feedback_and_tells_who_asked(
    world, items, django_capture_on_commit_callbacks
):
    actor = world.people["team"]
    other = FeedbackFactory(startup=world.startup, author_email="autre@example.fr",
                            author_consents=True)
    with django_capture_on_commit_callbacks(execute=True):
        release, closure = services.release_create(
            startup=world.startup, actor=actor, version="1.4.0",
            notes="- Le questionnaire ne plante plus.", answers=items,
        )
    # A draft changes nothing.
    assert closure == services.Closure(closed=0, told=0)
    assert [status(item) for item in items] == ["new", "triaged", "planned"]
    assert mail.outbox == [] and not OutboxMessage.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        closure = services.release_publish(release=release, actor=actor)
    assert closure == services.Closure(closed=3, told=1)
    assert [status(item) for item in items] == ["done", "done", "done"]
    assert status(other) == "new"  # not answered by the release
    assert [m.to for m in mail.outbox] == [["usagere@example.fr"]]
    assert "Le questionnaire plante" in mail.outbox[0].body
    release.refresh_from_db()
    assert release.is_published and release.published_at is not None
    verbs = list(
        Activity.objects.filter(startup=world.startup).order_by("pk").values_list("verb",
                                                                                    flat=True)
    )
    assert verbs == ["release.created", "release.published"]


def test_an_author_is_told_once_whatever_happens_later(
    world, items, django_capture_on_commit_callbacks
):
    actor = world.people["team"]
    asked = items[0]
    with django_capture_on_commit_callbacks(execute=True):
        release, closure = services.release_create(
            startup=world.startup, actor=actor, version="1.4.0", answers=[asked],
            is_published=True,
        )
        assert closure == services.Closure(closed=1, told=1)
        # Edited while published: nothing more to close, nobody told again.
        release, closure = services.release_update(
            release=release, actor=actor, version="1.4.0 « Questionnaire »",
            date=release.date, notes="Corrigé.", answers=[asked],
        )
        assert closure == services.Closure()
        # Unpublished (the item stays done), reopened by a triage, published again.
        release, closure = services.release_update(
            release=release, actor=actor, version="1.4.0", date=release.date,
            answers=[asked], is_published=False,
        )
        assert status(asked) == "done"
        feedback_bulk_set_status(startup=world.startup, actor=actor, ids=[asked.pk],
                                 status=FeedbackStatus.TRIAGED)
        closure = services.release_publish(release=release, actor=actor)
        assert closure == services.Closure(closed=1, told=0)
        # Triaged again and done by hand.
        feedback_bulk_set_status(startup=world.startup, actor=actor, ids=[asked.pk],
                                 status=FeedbackStatus.TRIAGED)
        feedback_bulk_set_status(startup=world.startup, actor=actor, ids=[asked.pk],
                                 status=FeedbackStatus.DONE)
    assert status(asked) == "done"
    assert [m.to for m in mail.outbox] == [["usagere@example.fr"]]
    assert OutboxMessage.objects.filter(kind="feedback-answered").count() == 1


def test_a_published_release_closes_the_items_added_to_it_later(
    world, items, django_capture_on_commit_callbacks
):
    actor = world.people["team"]
    with django_capture_on_commit_callbacks(execute=True):
        release, _closure = services.release_create(
            startup=world.startup, actor=actor, version="2.0", answers=[items[2]],
            is_published=True,
        )
        _release, closure = services.release_update(
            release=release, actor=actor, version="2.0", date=release.date,
            answers=items,
        )
    assert closure == services.Closure(closed=2, told=1)
    assert [status(item) for item in items] == ["done", "done", "done"]


def test_a_draft_edited_stays_a_draft_and_touches_nothing(world, items):
    actor = world.people["team"]
    release, _closure = services.release_create(
        startup=world.startup, actor=actor, version="0.9", answers=items[:1]
    )
    release, closure = services.release_update(
        release=release, actor=actor, version="0.9.1", date=release.date, answers=items,
    )
    assert closure == services.Closure()
    assert not release.is_published and release.published_at is None
    assert [status(item) for item in items] == ["new", "triaged", "planned"]
    assert set(release.answers.all()) == set(items)


def test_a_release_answers_only_its_own_startups_feedback(world, items):
    foreign = FeedbackFactory(startup=StartupFactory())
    with pytest.raises(ValidationError):
        services.release_create(
            startup=world.startup, actor=world.people["team"], version="1.0",
            answers=[items[0], foreign], is_published=True,
        )
    assert not Release.objects.exists()
    assert status(foreign) == "new" and status(items[0]) == "new"


def test_publishing_twice_is_refused(world, items):
    release, _closure = services.release_create(
        startup=world.startup, actor=world.people["team"], version="1.0", is_published=True,
    )
    with pytest.raises(ValidationError):
        services.release_publish(release=release, actor=world.people["team"])


def test_deleting_a_published_release_reopens_nothing(world, items):
    actor = world.people["team"]
    release, _closure = services.release_create(
        startup=world.startup, actor=actor, version="1.0", answers=items, is_published=True,
    )
    services.release_delete(release=release, actor=actor)
    assert not Release.objects.exists()
    assert [status(item) for item in items] == ["done", "done", "done"]
    assert Activity.objects.filter(verb="release.deleted", target_label="1.0").exists()


def test_releases_per_week_counts_the_published_releases_of_the_last_weeks(world):
    startup = world.startup
    today = datetime.date(2026, 3, 19)  # a Thursday
    monday = week_start(today)
    for day in (today, monday, monday - datetime.timedelta(days=1),
                monday - datetime.timedelta(weeks=11), monday - datetime.timedelta(weeks=12)):
        ReleaseFactory(startup=startup, date=day, is_published=True)
    ReleaseFactory(startup=startup, date=today, is_published=False)  # a draft
    ReleaseFactory(date=today, is_published=True)  # another startup
    weeks = services.releases_per_week(startup, today)
    assert len(weeks) == 12
    assert weeks[0] == (monday - datetime.timedelta(weeks=11), 1)
    assert weeks[-1] == (monday, 2)
    assert weeks[-2] == (monday - datetime.timedelta(weeks=1), 1)
    assert sum(count for _monday, count in weeks) == 4
    assert all(m.weekday() == 0 for m, _count in weeks)


# ---------------------------------------------------------------- who may do what


@pytest.mark.parametrize(
    ("role", "code"),
    [("intrapreneur", 200), ("team", 200), ("coach", 200), ("sponsor", 200), ("staff", 200),
     ("outsider", 404)],
)
def test_releases_are_read_by_every_role(world, role, code):
    release = ReleaseFactory(startup=world.startup)
    client = world.client_for(role)
    assert client.get(url("release-list", world.startup)).status_code == code
    assert client.get(url("release-detail", world.startup, pk=release.pk)).status_code == code


def test_anonymous_people_go_to_sign_in(world):
    response = world.client_for("anonymous").get(url("release-list", world.startup))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("role", "code"),
    [("intrapreneur", 200), ("team", 200), ("coach", 403), ("sponsor", 403), ("staff", 403),
     ("outsider", 404)],
)
def test_writing_needs_contribute(world, role, code):
    release = ReleaseFactory(startup=world.startup)
    client = world.client_for(role)
    for name, kwargs in (("release-create", {}), ("release-edit", {"pk": release.pk}),
                         ("release-delete", {"pk": release.pk})):
        assert client.get(url(name, world.startup, **kwargs)).status_code == code, name


@pytest.mark.parametrize(("role", "code"), [("sponsor", 403), ("coach", 403), ("outsider", 404)])
def test_refused_writes_change_nothing(world, items, role, code):
    release = ReleaseFactory(startup=world.startup, answers=items)
    client = world.client_for(role)
    startup = world.startup
    assert client.post(url("release-publish", startup, pk=release.pk)).status_code == code
    assert client.post(url("release-delete", startup, pk=release.pk)).status_code == code
    assert client.post(url("release-create", startup), {"version": "9.9"}).status_code == code
    release.refresh_from_db()
    assert not release.is_published
    assert Release.objects.count() == 1
    assert status(items[0]) == "new"


def test_publish_answers_post_only(world):
    release = ReleaseFactory(startup=world.startup)
    response = world.client_for("team").get(url("release-publish", world.startup, pk=release.pk))
    assert response.status_code == 405


def test_another_startups_release_is_not_found(world):
    release = ReleaseFactory()
    client = world.client_for("team")
    assert client.get(url("release-detail", world.startup, pk=release.pk)).status_code == 404
    assert client.post(url("release-publish", world.startup, pk=release.pk)).status_code == 404


@pytest.mark.parametrize("name", ["release-list", "release-create", "release-detail",
                                  "release-edit", "release-delete"])
def test_every_release_page_has_one_h1_and_its_title(world, name):
    startup = world.startup
    kwargs = {} if name in ("release-list", "release-create") else {
        "pk": ReleaseFactory(startup=startup).pk
    }
    response = world.client_for("intrapreneur").get(url(name, startup, **kwargs))
    page = soup(response)
    assert len(page.find_all("h1")) == 1
    assert page.title.string.endswith(f" — {startup.name} — Intrapreneur")
    assert page.title.string.startswith(page.h1.get_text(strip=True))


# ---------------------------------------------------------------- writing a release


def test_the_form_offers_the_open_items_of_the_startup_only(world, items):
    startup = world.startup
    done = FeedbackFactory(startup=startup, status="done", text="Déjà fait.")
    merged = FeedbackFactory(startup=startup, merged_into=items[0], status="done")
    foreign = FeedbackFactory(startup=StartupFactory(), text="Ailleurs.")
    response = world.client_for("team").get(url("release-create", startup))
    options = {int(o["value"]) for o in soup(response).select("select[name=answers] option")}
    assert options == {item.pk for item in items}
    assert not options & {done.pk, merged.pk, foreign.pk}
    assertContains(response, "Le questionnaire plante à l&#x27;étape 3.")


def test_the_form_of_a_published_release_keeps_its_answered_items(world, items):
    release, _closure = services.release_create(
        startup=world.startup, actor=world.people["team"], version="1.0",
        answers=items[:1], is_published=True,
    )
    response = world.client_for("team").get(url("release-edit", world.startup, pk=release.pk))
    selected = {int(o["value"]) for o in soup(response).select("select[name=answers] option")
                if o.has_attr("selected")}
    assert selected == {items[0].pk}
    assertContains(response, "ne rouvre pas les retours qu’elle a clos")


def test_an_empty_form_is_shown_again_with_its_errors(world):
    response = world.client_for("team").post(
        url("release-create", world.startup), {"version": " ", "notes": "Ce qui change."}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["version"]
    assertContains(response, "Ce qui change.")
    assert not Release.objects.exists()


def test_a_foreign_feedback_item_is_refused_by_the_form(world, items):
    foreign = FeedbackFactory(startup=StartupFactory())
    response = world.client_for("team").post(
        url("release-create", world.startup),
        {"version": "1.0", "date": "2026-03-02", "answers": [items[0].pk, foreign.pk],
         "is_published": "on"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["answers"]
    assert not Release.objects.exists()
    assert status(items[0]) == "new"


def test_a_version_is_used_once_per_startup(world):
    ReleaseFactory(startup=world.startup, version="1.4.0")
    ReleaseFactory(version="2.0")  # another startup's
    client = world.client_for("team")
    response = client.post(url("release-create", world.startup),
                           {"version": "1.4.0", "date": "2026-03-02"})
    assert response.status_code == 200
    assertContains(response, "La version « 1.4.0 » existe déjà.")
    response = client.post(url("release-create", world.startup),
                           {"version": "2.0", "date": "2026-03-02"})
    assert response.status_code == 302


def test_a_draft_is_written_then_published_from_its_page(
    world, items, django_capture_on_commit_callbacks
):
    startup = world.startup
    client = world.client_for("team")
    response = client.post(url("release-create", startup), {
        "version": "1.5.0", "date": "2026-03-02",
        "notes": "- **Nouveau** : le questionnaire se sauvegarde.",
        "answers": [items[0].pk, items[1].pk],
    })
    release = Release.objects.get()
    assertRedirects(response, url("release-detail", startup, pk=release.pk))
    assert not release.is_published and release.author == world.people["team"]
    assert [status(item) for item in items[:2]] == ["new", "triaged"]
    page = client.get(url("release-detail", startup, pk=release.pk))
    assertContains(page, "<strong>Nouveau</strong>", html=True)
    assertContains(page, 'id="release-publish-form"')

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("release-publish", startup, pk=release.pk), follow=True)
    assertRedirects(response, url("release-detail", startup, pk=release.pk))
    assertContains(
        response, "2 retours sont marqués comme traités. 1 auteur sera prévenu par e-mail."
    )
    assertNotContains(response, 'id="release-publish-form"')
    assert [status(item) for item in items] == ["done", "done", "planned"]
    assert [m.to for m in mail.outbox] == [["usagere@example.fr"]]

    # Published again (a double click): nothing more happens.
    response = client.post(url("release-publish", startup, pk=release.pk), follow=True)
    assertContains(response, "Cette version est déjà publiée.")
    assert len(mail.outbox) == 1


def test_a_release_published_at_creation_says_what_it_closed(
    world, items, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client_for("intrapreneur").post(
            url("release-create", world.startup),
            {"version": "1.6.0", "date": "2026-03-02", "answers": [i.pk for i in items],
             "is_published": "on"},
        )
    release = Release.objects.get()
    assertRedirects(response, url("release-detail", world.startup, pk=release.pk),
                    fetch_redirect_response=False)
    assert release.is_published
    assert messages_of(response) == [
        "La version « 1.6.0 » est publiée.",
        "3 retours sont marqués comme traités. 1 auteur sera prévenu par e-mail.",
    ]
    assert len(mail.outbox) == 1


def test_editing_publishes_and_unpublishes(world, items):
    startup = world.startup
    release = ReleaseFactory(startup=startup, version="1.0", answers=items[:1])
    client = world.client_for("team")
    data = {"version": "1.0.1", "date": "2026-03-02", "notes": "Corrections.",
            "answers": [items[0].pk]}
    response = client.post(url("release-edit", startup, pk=release.pk),
                           {**data, "is_published": "on"})
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.is_published and release.version == "1.0.1"
    assert status(items[0]) == "done"
    closed = "1 retour est marqué comme traité. 1 auteur sera prévenu par e-mail."
    assert closed in messages_of(response)

    response = client.post(url("release-edit", startup, pk=release.pk), data)
    release.refresh_from_db()
    assert not release.is_published and release.published_at is None
    assert status(items[0]) == "done"
    verbs = set(Activity.objects.filter(startup=startup).values_list("verb", flat=True))
    assert verbs == {"release.updated", "release.published"}


def test_deleting_asks_first_and_says_the_feedback_stays_done(world, items):
    startup = world.startup
    release, _closure = services.release_create(
        startup=startup, actor=world.people["team"], version="1.0", answers=items,
        is_published=True,
    )
    client = world.client_for("team")
    response = client.get(url("release-delete", startup, pk=release.pk))
    assertContains(response, "supprimer la version ne les rouvre pas")
    assert Release.objects.exists()
    response = client.post(url("release-delete", startup, pk=release.pk))
    assertRedirects(response, url("release-list", startup))
    assert not Release.objects.exists()
    assert [status(item) for item in items] == ["done", "done", "done"]


# ---------------------------------------------------------------- reading


def test_only_the_research_readers_see_the_answered_texts(world, items):
    release = ReleaseFactory(startup=world.startup, answers=items, version="1.0")
    path = url("release-detail", world.startup, pk=release.pk)
    for role in ("intrapreneur", "team", "coach"):
        response = world.client_for(role).get(path)
        assertContains(response, "La carte est lente.")
        assertContains(response, "Cette version répond à 3 retours.")
    for role in ("sponsor", "staff"):
        response = world.client_for(role).get(path)
        assertContains(response, "Cette version répond à 3 retours.")
        for item in items:
            assertNotContains(response, item.text)
        assertNotContains(response, url("feedback-detail", world.startup, pk=items[0].pk))
        assertNotContains(response, 'id="release-publish-form"')
        assertNotContains(response, url("release-edit", world.startup, pk=release.pk))


def test_the_list_shows_newest_first_with_status_and_answer_count(world, items):
    startup = world.startup
    ReleaseFactory(startup=startup, version="1.0", date=datetime.date(2026, 1, 5),
                   is_published=True, answers=items)
    ReleaseFactory(startup=startup, version="1.2", date=datetime.date(2026, 2, 5))
    ReleaseFactory(startup=startup, version="1.1", date=datetime.date(2026, 1, 20),
                   is_published=True, notes="La **carte** est plus rapide.")
    client = world.client_for("sponsor")
    path = url("release-list", startup)
    response = client.get(path)
    assert listed(response) == ["1.2", "1.1", "1.0"]
    rows = soup(response).select("#release-table tbody tr")
    assert [r.select_one("[data-status]")["data-status"] for r in rows] == [
        "draft", "published", "published"]
    assert [r.select_one("[data-answer-count]").get_text(strip=True) for r in rows] == [
        "0", "0", "3"]
    assert listed(client.get(path, {"status": "draft"})) == ["1.2"]
    assert listed(client.get(path, {"status": "published"})) == ["1.1", "1.0"]
    assert listed(client.get(path, {"q": "carte"})) == ["1.1"]
    assert listed(client.get(path, {"sort": "version"})) == ["1.0", "1.1", "1.2"]
    assert listed(client.get(path, {"sort": "-date"})) == ["1.0", "1.1", "1.2"]
    # htmx asks for the results only.
    response = client.get(path, {"status": "draft"}, headers={"HX-Request": "true"})
    assert "<h1" not in response.content.decode()
    assert listed(response) == ["1.2"]
    assert response["Vary"] == "HX-Request" or "HX-Request" in response["Vary"]


def test_the_list_is_empty_at_first(world):
    response = world.client_for("team").get(url("release-list", world.startup))
    assertContains(response, "Aucune version pour l’instant.")


def test_the_list_paginates_twenty_releases_a_page(world):
    for n in range(25):
        ReleaseFactory(startup=world.startup, version=f"0.{n}")
    client = world.client_for("team")
    assert len(listed(client.get(url("release-list", world.startup)))) == 20
    assert len(listed(client.get(url("release-list", world.startup), {"page": 2}))) == 5


def test_the_weekly_chart_and_its_table(world):
    startup = world.startup
    today = timezone.localdate()
    ReleaseFactory(startup=startup, date=today, is_published=True)
    ReleaseFactory(startup=startup, date=today, is_published=True)
    ReleaseFactory(startup=startup, date=today - datetime.timedelta(weeks=2), is_published=True)
    ReleaseFactory(startup=startup, date=today, is_published=False)
    response = world.client_for("coach").get(url("release-list", startup))
    page = soup(response)
    svg = page.select_one("#releases-chart svg")
    assert svg["role"] == "img"
    bars = {bar["data-week"]: int(bar["data-count"]) for bar in svg.select("rect")}
    assert bars == {
        week_start(today).isoformat(): 2,
        week_start(today - datetime.timedelta(weeks=2)).isoformat(): 1,
    }
    rows = page.select("#releases-per-week tbody tr")
    assert len(rows) == 12
    assert rows[-1]["data-week"] == week_start(today).isoformat()
    assert rows[-1].td.get_text(strip=True) == "2"
    assert page.select_one("#releases-per-week tfoot td").get_text(strip=True) == "3"


def test_the_feedback_page_says_which_release_answered_it(world, items):
    release = ReleaseFactory(startup=world.startup, version="1.7.0", answers=items[:1],
                             is_published=True)
    response = world.client_for("team").get(items[0].get_absolute_url())
    link = soup(response).select_one("#answered-by a")
    assert link["href"] == url("release-detail", world.startup, pk=release.pk)
    assert "1.7.0" in link.get_text()
    response = world.client_for("team").get(items[1].get_absolute_url())
    assert soup(response).select_one("#answered-by") is None


# ---------------------------------------------------------------- the demo


def test_the_demo_writes_twenty_releases_closing_coherent_feedback(
    world, django_capture_on_commit_callbacks
):
    startup = world.startup
    demo_feedback.seed(startup=startup, people=world.people)
    open_before = set(
        Feedback.objects.for_startup(startup).open().values_list("pk", flat=True)
    )
    with django_capture_on_commit_callbacks(execute=True):
        demo_releases.seed(startup=startup, people=world.people)
    releases = list(Release.objects.for_startup(startup).order_by("date", "pk"))
    assert len(releases) == 20
    assert [r.is_published for r in releases] == [True] * 18 + [False] * 2
    today = timezone.localdate()
    assert releases[0].date >= today - datetime.timedelta(days=183)
    assert all(r.published_at.date() == r.date for r in releases[:18])
    for release in releases[:18]:
        answers = list(release.answers.all())
        assert 1 <= len(answers) <= 6
        assert all(item.pk in open_before for item in answers)
        assert all(item.status == FeedbackStatus.DONE for item in answers)
        assert all(item.kind in ("problem", "idea") and item.date <= release.date
                   for item in answers)
    for draft in releases[18:]:
        assert draft.answers.exists()
        assert all(item.status != FeedbackStatus.DONE for item in draft.answers.all())
    # Nobody is e-mailed by the demo.
    assert mail.outbox == []
    assert not OutboxMessage.objects.exists()
    assert Activity.objects.filter(startup=startup, verb="release.published").count() == 18


def test_the_weekly_bar_chart_is_well_formed_and_accessible():
    import xml.etree.ElementTree as ET

    from products.charts import week_bar_chart

    monday = datetime.date(2026, 1, 5)
    weeks = [(monday + datetime.timedelta(weeks=i), count) for i, count in enumerate([0, 2, 4])]
    root = ET.fromstring(str(week_bar_chart(
        weeks=weeks, title="Mises en production <par semaine>", chart_id="w",
        description="6 versions.",
    )))
    svg = "{http://www.w3.org/2000/svg}"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "w-title w-desc"
    assert root.find(f"{svg}title").text == "Mises en production <par semaine>"
    assert root.find(f"{svg}desc").text == "6 versions."
    bars = root.findall(f"{svg}rect")
    # No bar for an empty week; heights in proportion to the counts.
    assert [(b.get("data-week"), b.get("data-count")) for b in bars] == [
        ("2026-01-12", "2"), ("2026-01-19", "4")]
    assert float(bars[1].get("height")) == pytest.approx(2 * float(bars[0].get("height")))
    assert all(e.get("style") is None for e in root.iter())
