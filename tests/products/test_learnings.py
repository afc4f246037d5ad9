"""Learnings, the plan revision log, as each role sees them: the timeline by month, its
filters, the evidence of each kind (feedback text for the research roles only), the writes
and their checks, the demo."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from intrapreneur.models import Activity
from products import demo_feedback, demo_learnings, demo_metrics
from products.forms.learnings import FEEDBACK_CHOICES, LearningForm
from products.models import Feedback, Learning
from products.services import learnings as services
from tests.investigations.factories import InsightFactory
from tests.products.factories import (
    FeedbackFactory,
    LearningFactory,
    MetricFactory,
    UserTestFactory,
)

pytestmark = pytest.mark.django_db


def url(name, startup, **kwargs):
    return reverse(f"products:{name}", kwargs={"slug": startup.slug, **kwargs})


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def listed(response):
    """The pks of the learnings in the timeline, in order."""
    return [
        int(article["id"].removeprefix("learning-"))
        for article in soup(response).select("article[id^=learning-]")
    ]


def with_evidence(startup, **kwargs):
    """A learning citing one item of each kind."""
    kwargs.setdefault("date", datetime.date(2026, 1, 5))
    learning = LearningFactory(startup=startup, **kwargs)
    learning.tests.add(UserTestFactory(startup=startup))
    learning.insights.add(InsightFactory(startup=startup))
    learning.metrics.add(MetricFactory(startup=startup, name="Accueils décrits"))
    learning.feedback.add(
        FeedbackFactory(startup=startup, text="La boucle magnétique est introuvable sur la fiche.")
    )
    return learning


# ---------------------------------------------------------------- who may do what


@pytest.mark.parametrize(
    ("role", "status"),
    [("intrapreneur", 200), ("team", 200), ("coach", 200), ("sponsor", 200), ("staff", 200),
     ("outsider", 404)],
)
def test_learnings_are_read_by_every_role(world, role, status):
    learning = with_evidence(world.startup)
    client = world.client_for(role)
    assert client.get(url("learning-list", world.startup)).status_code == status
    assert client.get(url("learning-detail", world.startup, pk=learning.pk)).status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    [("intrapreneur", 200), ("team", 200), ("coach", 403), ("sponsor", 403), ("staff", 403),
     ("outsider", 404)],
)
def test_only_contributors_write(world, role, status):
    learning = LearningFactory(startup=world.startup)
    client = world.client_for(role)
    for name, kwargs in (
        ("learning-create", {}), ("learning-edit", {"pk": learning.pk}),
        ("learning-delete", {"pk": learning.pk}),
    ):
        assert client.get(url(name, world.startup, **kwargs)).status_code == status
    if status != 200:
        assert client.post(url("learning-delete", world.startup, pk=learning.pk)).status_code \
            == status
        assert client.post(
            url("learning-create", world.startup), {"date": "2026-01-05", "learned": "X"}
        ).status_code == status
        assert Learning.objects.count() == 1


def test_the_buttons_are_for_contributors_only(world):
    learning = LearningFactory(startup=world.startup)
    for role, shown in (("team", True), ("sponsor", False), ("coach", False)):
        response = world.client_for(role).get(url("learning-list", world.startup))
        assert (url("learning-create", world.startup) in response.content.decode()) is shown
        response = world.client_for(role).get(url("learning-detail", world.startup, pk=learning.pk))
        assert (url("learning-edit", world.startup, pk=learning.pk)
                in response.content.decode()) is shown


def test_a_learning_of_another_startup_is_404(world):
    other = LearningFactory()
    client = world.client_for("intrapreneur")
    for name in ("learning-detail", "learning-edit", "learning-delete"):
        assert client.get(url(name, world.startup, pk=other.pk)).status_code == 404
    assert client.post(url("learning-delete", world.startup, pk=other.pk)).status_code == 404
    assert Learning.objects.filter(pk=other.pk).exists()


@pytest.mark.parametrize("name", ["learning-list", "learning-create", "learning-detail",
                                  "learning-edit", "learning-delete"])
def test_every_learning_page_has_one_h1_and_its_title(world, name):
    startup = world.startup
    kwargs = {} if name in ("learning-list", "learning-create") else {
        "pk": with_evidence(startup).pk
    }
    response = world.client_for("team").get(url(name, startup, **kwargs))
    page = soup(response)
    assert len(page.find_all("h1")) == 1
    assert page.title.string.startswith(page.h1.get_text(strip=True))


# ---------------------------------------------------------------- the timeline


def test_the_timeline_is_grouped_by_month_newest_first(world):
    startup = world.startup
    march = LearningFactory(startup=startup, date=datetime.date(2026, 3, 2))
    january = LearningFactory(startup=startup, date=datetime.date(2026, 1, 20))
    march_later = LearningFactory(startup=startup, date=datetime.date(2026, 3, 18))
    response = world.client_for("sponsor").get(url("learning-list", startup))
    assert listed(response) == [march_later.pk, march.pk, january.pk]
    months = soup(response).select("section.learning-month")
    assert [m.h2.get_text(strip=True).lower() for m in months] == ["mars 2026", "janvier 2026"]
    assert [len(m.select("article")) for m in months] == [2, 1]


def test_each_entry_shows_its_evidence_its_changes_and_stops(world):
    learning = with_evidence(
        world.startup, learned="Les usagers sourds cherchent la **boucle**.",
        changes="Un résumé par handicap.", stops="La fiche en un seul bloc.",
        evidence_notes="Atelier à Lyon.",
    )
    test = learning.tests.get()
    response = world.client_for("coach").get(url("learning-list", world.startup))
    entry = soup(response).select_one(f"#learning-{learning.pk}")
    text = entry.get_text(" ", strip=True)
    assert "Les usagers sourds cherchent la boucle." in text
    for kind in ("tests", "insights", "metrics", "feedback"):
        assert entry.select_one(f"[data-evidence={kind}]").get_text(strip=True).startswith("1")
    assert entry.select_one("[data-evidence-list=tests] a")["href"] == reverse(
        "products:test-detail", kwargs={"slug": world.startup.slug, "pk": test.pk}
    )
    assert test.hypothesis.statement[:40] in text
    assert learning.insights.get().statement in text
    assert "Accueils décrits" in text
    assert "La boucle magnétique est introuvable sur la fiche." in text
    assert "Atelier à Lyon." in text
    assert "Un résumé par handicap." in entry.select_one("[data-learning-changes]").get_text()
    assert "La fiche en un seul bloc." in entry.select_one("[data-learning-stops]").get_text()


@pytest.mark.parametrize("role", ["sponsor", "staff"])
def test_people_without_research_see_how_many_feedback_items_not_their_text(world, role):
    learning = with_evidence(world.startup)
    learning.feedback.add(FeedbackFactory(startup=world.startup, text="Deuxième retour secret."))
    client = world.client_for(role)
    for page in (url("learning-list", world.startup),
                 url("learning-detail", world.startup, pk=learning.pk)):
        response = client.get(page)
        count = soup(response).select_one("[data-evidence=feedback]").get_text(strip=True)
        assert count.startswith("2 ")
        assert soup(response).select_one("[data-evidence-list=feedback]") is None
        assertNotContains(response, "La boucle magnétique est introuvable")
        assertNotContains(response, "Deuxième retour secret.")
        assertNotContains(response, "/feedback/")
    response = world.client_for("coach").get(url("learning-list", world.startup))
    assertContains(response, "Deuxième retour secret.")


def test_the_timeline_filters_by_consequence_and_evidence_and_searches(world):
    startup = world.startup
    changes_only = LearningFactory(startup=startup, stops="")
    stops_only = LearningFactory(startup=startup, changes="", learned="Les préfectures")
    cited = with_evidence(startup, learned="La boucle magnétique")
    noted = LearningFactory(startup=startup, evidence_notes="Une étude de la DREES")
    client = world.client_for("team")
    path = url("learning-list", startup)
    assert set(listed(client.get(path, {"has": "changes"}))) == {changes_only.pk, cited.pk,
                                                                 noted.pk}
    assert set(listed(client.get(path, {"has": "stops"}))) == {stops_only.pk, cited.pk, noted.pk}
    for kind in ("tests", "insights", "metrics", "feedback"):
        assert listed(client.get(path, {"evidence": kind})) == [cited.pk]
    assert listed(client.get(path, {"evidence": "notes"})) == [noted.pk]
    assert set(listed(client.get(path, {"evidence": "none"}))) == {changes_only.pk,
                                                                   stops_only.pk}
    assert listed(client.get(path, {"q": "préfectures"})) == [stops_only.pk]
    assert listed(client.get(path, {"q": "drees"})) == [noted.pk]
    response = client.get(path, {"q": "introuvable-nulle-part"})
    assert listed(response) == []
    assert soup(response).select_one('.fr-callout a[href="?"]') is not None  # clear them


def test_the_timeline_is_paged_by_twenty_and_htmx_gets_the_results(world):
    for _index in range(23):
        LearningFactory(startup=world.startup)
    client = world.client_for("team")
    path = url("learning-list", world.startup)
    assert len(listed(client.get(path))) == 20
    response = client.get(path, {"page": 2}, headers={"HX-Request": "true"})
    assert len(listed(response)) == 3
    assertNotContains(response, "<html")
    assert "HX-Request" in response["Vary"]


def test_an_empty_timeline_says_what_to_do(world):
    response = world.client_for("team").get(url("learning-list", world.startup))
    assert soup(response).select_one(".fr-callout") is not None
    assert listed(response) == []


def test_the_markdown_is_sanitised(world):
    learning = LearningFactory(
        startup=world.startup, learned='<img src=x onerror="alert(1)"> [lien](javascript:x)',
        changes="<script>alert(2)</script>",
    )
    for page in (url("learning-list", world.startup),
                 url("learning-detail", world.startup, pk=learning.pk)):
        response = world.client_for("staff").get(page)
        assertNotContains(response, "onerror")
        assertNotContains(response, "javascript:")
        assertNotContains(response, "alert(2)</script>")


# ---------------------------------------------------------------- writes


def test_a_team_member_records_a_learning_with_evidence(world):
    startup = world.startup
    test = UserTestFactory(startup=startup)
    insight = InsightFactory(startup=startup)
    metric = MetricFactory(startup=startup)
    feedback = FeedbackFactory(startup=startup)
    client = world.client_for("team")
    form = client.get(url("learning-create", startup))
    options = soup(form).select("select[name=tests] option")
    assert [o["value"] for o in options] == [str(test.pk)]
    assert test.date.strftime("%d/%m/%Y") in options[0].get_text()
    feedback_select = soup(form).select_one("select[name=feedback]")
    assert feedback_select["aria-describedby"] == "id_feedback_helptext"
    assert str(FEEDBACK_CHOICES) in soup(form).select_one("#id_feedback_helptext").get_text()
    response = client.post(url("learning-create", startup), {
        "date": "2026-01-12", "learned": "Les agents mesurent mal les portes.",
        "tests": [test.pk], "insights": [insight.pk], "metrics": [metric.pk],
        "feedback": [feedback.pk], "evidence_notes": "", "changes": "Des questions fermées.",
        "stops": "Les mesures en centimètres.",
    })
    learning = Learning.objects.get(startup=startup)
    assertRedirects(response, url("learning-detail", startup, pk=learning.pk))
    assert learning.author == world.people["team"]
    assert learning.date == datetime.date(2026, 1, 12)
    assert list(learning.tests.all()) == [test]
    assert list(learning.insights.all()) == [insight]
    assert list(learning.metrics.all()) == [metric]
    assert list(learning.feedback.all()) == [feedback]
    activity = Activity.objects.get(startup=startup, verb="learning.recorded")
    assert activity.actor == world.people["team"]


def test_evidence_of_another_startup_cannot_be_chosen(world):
    foreign_test = UserTestFactory()
    foreign_feedback = FeedbackFactory()
    client = world.client_for("intrapreneur")
    response = client.post(url("learning-create", world.startup), {
        "date": "2026-01-12", "learned": "Ce que nous avons appris",
        "tests": [foreign_test.pk], "feedback": [foreign_feedback.pk],
    })
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one("#tests-desc-error") or "fr-select-group--error" in str(page)
    assertContains(response, "Ce que nous avons appris")
    assert not Learning.objects.exists()


def test_a_learning_without_what_was_learned_keeps_what_was_typed(world):
    response = world.client_for("team").post(url("learning-create", world.startup), {
        "date": "2026-01-12", "learned": "", "changes": "Nous changeons le parcours",
    })
    assert response.status_code == 200
    assertContains(response, "fr-input-group--error")
    assertContains(response, "Nous changeons le parcours")
    assert not Learning.objects.exists()


def test_a_learning_cannot_be_dated_in_the_future(world):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = world.client_for("team").post(url("learning-create", world.startup), {
        "date": tomorrow.isoformat(), "learned": "Trop tôt",
    })
    assert response.status_code == 200
    assert not Learning.objects.exists()


def test_editing_a_learning_changes_its_evidence(world):
    startup = world.startup
    learning = with_evidence(startup)
    new_test = UserTestFactory(startup=startup)
    client = world.client_for("intrapreneur")
    form = soup(client.get(url("learning-edit", startup, pk=learning.pk)))
    selected = [o["value"] for o in form.select("select[name=feedback] option[selected]")]
    assert selected == [str(learning.feedback.get().pk)]
    response = client.post(url("learning-edit", startup, pk=learning.pk), {
        "date": "2026-02-02", "learned": "Nouveau texte", "tests": [new_test.pk],
        "changes": "", "stops": "",
    })
    assertRedirects(response, url("learning-detail", startup, pk=learning.pk))
    learning.refresh_from_db()
    assert learning.learned == "Nouveau texte"
    assert list(learning.tests.all()) == [new_test]
    assert not learning.insights.exists() and not learning.feedback.exists()
    assert Activity.objects.filter(startup=startup, verb="learning.updated").count() == 1


def test_deleting_asks_then_deletes_and_keeps_the_evidence(world):
    startup = world.startup
    learning = with_evidence(startup)
    client = world.client_for("team")
    response = client.get(url("learning-delete", startup, pk=learning.pk))
    assertContains(response, "<form method=\"post\">")
    assert Learning.objects.exists()
    response = client.post(url("learning-delete", startup, pk=learning.pk))
    assertRedirects(response, url("learning-list", startup))
    assert not Learning.objects.exists()
    assert Feedback.objects.filter(startup=startup).count() == 1
    assert Activity.objects.filter(startup=startup, verb="learning.deleted").count() == 1


def test_the_feedback_select_offers_the_latest_unmerged_items_and_those_cited(world):
    startup = world.startup
    old = FeedbackFactory(startup=startup, date=datetime.date(2024, 1, 1))
    cited_old = FeedbackFactory(startup=startup, date=datetime.date(2024, 1, 2))
    Feedback.objects.bulk_create([
        Feedback(startup=startup, text=f"Retour {i}", date=datetime.date(2025, 6, 1))
        for i in range(FEEDBACK_CHOICES)
    ])
    kept = Feedback.objects.filter(startup=startup, text="Retour 0").get()
    FeedbackFactory(startup=startup, merged_into=kept, date=datetime.date(2025, 7, 1),
                    text="Doublon fusionné")
    learning = LearningFactory(startup=startup)
    learning.feedback.add(cited_old)
    form = LearningForm(startup=startup, research=True, instance=learning)
    choices = set(form.fields["feedback"].queryset.values_list("pk", flat=True))
    assert len(choices) == FEEDBACK_CHOICES + 1
    assert cited_old.pk in choices and old.pk not in choices
    assert not Feedback.objects.filter(pk__in=choices, text="Doublon fusionné").exists()
    # Without the research right, no feedback field at all.
    assert "feedback" not in LearningForm(startup=startup, research=False).fields


# ---------------------------------------------------------------- services


def test_the_service_refuses_evidence_of_another_startup(world):
    startup = world.startup
    for kind, foreign in (
        ("tests", UserTestFactory()), ("insights", InsightFactory()),
        ("metrics", MetricFactory()), ("feedback", FeedbackFactory()),
    ):
        with pytest.raises(ValidationError):
            services.learning_create(
                startup=startup, actor=world.people["team"], learned="X", **{kind: [foreign]}
            )
    assert not Learning.objects.exists()
    assert not Activity.objects.filter(verb="learning.recorded").exists()
    learning = LearningFactory(startup=startup)
    with pytest.raises(ValidationError):
        services.learning_update(
            learning=learning, actor=None, learned="Y", date=learning.date,
            metrics=[MetricFactory()],
        )
    learning.refresh_from_db()
    assert learning.learned != "Y"


def test_the_service_works_without_a_request_nor_evidence(world):
    """What the governance app does when a committee decides to pivot."""
    learning = services.learning_create(
        startup=world.startup, actor=None, learned="Le comité décide de pivoter.",
        changes="Nous ciblons les préfectures.",
    )
    assert learning.date == timezone.localdate()
    assert learning.author is None
    assert not learning.tests.exists()
    activity = Activity.objects.get(verb="learning.recorded")
    assert activity.actor is None and activity.target_id == learning.pk


def test_an_update_without_feedback_keeps_the_feedback_cited(world):
    learning = with_evidence(world.startup)
    cited = learning.feedback.get()
    services.learning_update(
        learning=learning, actor=world.people["team"], learned="Autre", date=learning.date,
        tests=[], insights=[], metrics=[],
    )
    assert list(learning.feedback.all()) == [cited]
    assert not learning.tests.exists()


def test_latest_learnings(world):
    older = LearningFactory(startup=world.startup, date=datetime.date(2026, 1, 1))
    newest = [LearningFactory(startup=world.startup, date=datetime.date(2026, 2, d))
              for d in (1, 2, 3)]
    LearningFactory(date=datetime.date(2026, 3, 1))  # another startup
    assert services.latest_learnings(world.startup) == newest[::-1]
    assert services.latest_learnings(world.startup, limit=5)[-1] == older


# ---------------------------------------------------------------- demo


def test_the_demo_cites_the_evidence_that_exists(world):
    startup = world.startup
    people = world.people
    demo_feedback.seed(startup=startup, people=people)
    demo_metrics.seed(startup=startup, people=people)
    UserTestFactory(startup=startup, date=timezone.localdate() - datetime.timedelta(days=80))
    demo_learnings.seed(startup=startup, people=people)
    learnings = list(Learning.objects.for_startup(startup))
    assert len(learnings) == 8
    today = timezone.localdate()
    assert all(today - datetime.timedelta(days=183) <= item.date <= today for item in learnings)
    assert sum(item.metrics.count() for item in learnings) >= 8
    assert sum(item.feedback.count() for item in learnings) >= 5
    assert sum(item.tests.count() for item in learnings) == 1
    assert any(not item.stops for item in learnings) and any(not item.changes for item in learnings)
    response = world.client_for("sponsor").get(url("learning-list", startup))
    assert len(listed(response)) == 8


def test_the_demo_needs_no_evidence(world):
    demo_learnings.seed(startup=world.startup, people={})
    assert Learning.objects.for_startup(world.startup).count() == 8
    assert not Learning.tests.through.objects.exists()
