"""The weekly user tests: what a test does to its hypothesis, the pages per role, the
cadence of the last twelve weeks and its streak, and the demo."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from intrapreneur.dates import week_start
from intrapreneur.models import Activity
from products import demo_hypotheses, demo_ideas
from products.models import Hypothesis, UserTest
from products.services import hypotheses as services
from tests.products.factories import FeedbackFactory, HypothesisFactory, UserTestFactory

pytestmark = pytest.mark.django_db

READERS = ["intrapreneur", "team", "coach", "sponsor", "staff"]


def url(name, startup, **kwargs):
    return reverse(f"products:{name}", kwargs={"slug": startup.slug, **kwargs})


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def listed(response):
    rows = soup(response).select("#test-table tbody tr")
    return [int(tr["id"].removeprefix("test-")) for tr in rows]


def record(world, hypothesis=None, **kwargs):
    data = {"date": datetime.date(2026, 3, 10), "users_count": 5,
            "users_profile": "Agents d'accueil de mairies rurales", **kwargs}
    return services.usertest_create(
        startup=world.startup, actor=world.people["team"], hypothesis=hypothesis, **data
    )


def form_data(**kwargs):
    return {
        "date": "2026-03-10", "hypothesis": "", "protocol": "Prototype cliquable, 30 minutes",
        "users_count": 5, "users_profile": "Agents d'accueil de mairies rurales",
        "observations": "Trois sur cinq terminent.", "result": "", "learning": "", **kwargs,
    }


# ---------------------------------------------------------------- what a test does


@pytest.mark.parametrize(("result", "status"), [
    ("validates", "validated"), ("invalidates", "invalidated"), ("inconclusive", "testing"),
])
def test_a_result_moves_its_hypothesis(world, result, status):
    hypothesis = HypothesisFactory(startup=world.startup)
    test = record(world, hypothesis, result=result)
    hypothesis.refresh_from_db()
    assert hypothesis.status == status
    verbs = list(Activity.objects.order_by("pk").values_list("verb", "target_id"))
    assert verbs == [("test.recorded", test.pk), ("hypothesis.status", hypothesis.pk)]


def test_a_planned_test_moves_a_hypothesis_to_test_to_testing_only(world):
    to_test = HypothesisFactory(startup=world.startup)
    record(world, to_test)
    to_test.refresh_from_db()
    assert to_test.status == "testing"
    validated = HypothesisFactory(startup=world.startup, status="validated")
    record(world, validated)
    validated.refresh_from_db()
    assert validated.status == "validated"
    assert Activity.objects.filter(verb="hypothesis.status").count() == 1
    assert Activity.objects.filter(verb="test.recorded").count() == 2


def test_an_exploratory_test_moves_nothing(world):
    test = record(world, None, result="validates")
    assert test.hypothesis is None
    assert list(Activity.objects.values_list("verb", flat=True)) == ["test.recorded"]


def test_an_edit_moves_the_hypothesis_only_when_the_result_changes(world):
    hypothesis = HypothesisFactory(startup=world.startup)
    test = record(world, hypothesis)
    # The team abandons the hypothesis by hand; editing the notes does not undo it.
    services.hypothesis_set_status(hypothesis=hypothesis, actor=None, status="abandoned")
    services.usertest_update(test=test, actor=None, date=test.date, hypothesis=hypothesis,
                             observations="Notes complétées", users_count=5)
    hypothesis.refresh_from_db()
    assert hypothesis.status == "abandoned"
    services.usertest_update(test=test, actor=None, date=test.date, hypothesis=hypothesis,
                             result="validates", users_count=5)
    hypothesis.refresh_from_db()
    assert hypothesis.status == "validated"
    assert Activity.objects.filter(verb="test.updated").count() == 2


@pytest.mark.parametrize("profile", [
    "Agents d'accueil, contact : marie.dupont@mairie-lille.fr",
    "Usagère en fauteuil, 06 12 34 56 78",
    "Rappeler au +33 6 12 34 56 78",
    "Tel 0612345678",
])
def test_the_profile_refuses_contacts(world, profile):
    with pytest.raises(ValidationError) as error:
        record(world, None, users_profile=profile)
    assert set(error.value.message_dict) == {"users_profile"}
    assert not UserTest.objects.exists()


def test_a_profile_with_numbers_that_are_not_contacts_is_kept(world):
    test = record(world, None,
                  users_profile="5 secrétaires de mairie de 30 à 60 ans, communes de 2 000 "
                                "habitants, depuis 2019")
    assert test.users_profile.startswith("5 secrétaires")


def test_the_service_refuses_another_startups_hypothesis(world):
    with pytest.raises(ValidationError):
        record(world, HypothesisFactory())
    assert not UserTest.objects.exists()


def test_deleting_a_test_keeps_its_hypothesis_status(world):
    hypothesis = HypothesisFactory(startup=world.startup)
    test = record(world, hypothesis, result="validates")
    services.usertest_delete(test=test, actor=None)
    hypothesis.refresh_from_db()
    assert hypothesis.status == "validated"
    assert Activity.objects.filter(verb="test.deleted").exists()


# ---------------------------------------------------------------- who may do what


@pytest.mark.parametrize("role", READERS)
def test_every_role_reads_the_tests(world, role):
    test = UserTestFactory(startup=world.startup, observations="Tout le monde a trouvé")
    client = world.client_for(role)
    response = client.get(url("test-list", world.startup))
    assert response.status_code == 200
    assert listed(response) == [test.pk]
    detail = client.get(url("test-detail", world.startup, pk=test.pk))
    assertContains(detail, "Tout le monde a trouvé")


@pytest.mark.parametrize("role", ["coach", "sponsor", "staff"])
def test_only_contributors_write_tests(world, role):
    test = UserTestFactory(startup=world.startup)
    client = world.client_for(role)
    for name, kwargs in (("test-create", {}), ("test-edit", {"pk": test.pk}),
                         ("test-delete", {"pk": test.pk})):
        assert client.get(url(name, world.startup, **kwargs)).status_code == 403
        assert client.post(url(name, world.startup, **kwargs), form_data()).status_code == 403
    assert UserTest.objects.count() == 1
    assertNotContains(client.get(url("test-list", world.startup)),
                      url("test-create", world.startup))
    assertNotContains(client.get(url("test-detail", world.startup, pk=test.pk)),
                      url("test-edit", world.startup, pk=test.pk))


def test_an_outsider_gets_404(world):
    test = UserTestFactory(startup=world.startup)
    client = world.client_for("outsider")
    for name, kwargs in (("test-list", {}), ("test-create", {}), ("test-detail", {"pk": test.pk}),
                         ("test-edit", {"pk": test.pk}), ("test-delete", {"pk": test.pk})):
        assert client.get(url(name, world.startup, **kwargs)).status_code == 404


def test_a_test_of_another_startup_is_404(world):
    other = UserTestFactory()
    client = world.client_for("team")
    for name in ("test-detail", "test-edit", "test-delete"):
        assert client.get(url(name, world.startup, pk=other.pk)).status_code == 404
    assert client.post(url("test-delete", world.startup, pk=other.pk)).status_code == 404
    assert UserTest.objects.filter(pk=other.pk).exists()


@pytest.mark.parametrize("name", ["test-list", "test-create", "test-detail", "test-edit",
                                  "test-delete"])
def test_every_test_page_has_one_h1(world, name):
    kwargs = {} if name in ("test-list", "test-create") else {
        "pk": UserTestFactory(startup=world.startup).pk
    }
    page = soup(world.client_for("intrapreneur").get(url(name, world.startup, **kwargs)))
    assert len(page.find_all("h1")) == 1


# ---------------------------------------------------------------- recording


def test_recording_a_test_from_a_hypothesis(world):
    startup = world.startup
    hypothesis = HypothesisFactory(startup=startup)
    client = world.client_for("intrapreneur")
    form = client.get(url("test-create", startup), {"hypothesis": hypothesis.pk})
    selected = soup(form).select_one("select[name=hypothesis] option[selected]")
    assert selected["value"] == str(hypothesis.pk)
    assert soup(form).select_one("input[name=date]")["value"] == timezone.localdate().isoformat()
    response = client.post(url("test-create", startup),
                           form_data(hypothesis=hypothesis.pk, result="invalidates"))
    test = UserTest.objects.get(startup=startup)
    assertRedirects(response, url("test-detail", startup, pk=test.pk),
                    fetch_redirect_response=False)
    assert (test.hypothesis, test.result, test.author) == (
        hypothesis, "invalidates", world.people["intrapreneur"])
    hypothesis.refresh_from_db()
    assert hypothesis.status == "invalidated"
    detail = client.get(response["Location"])
    messages = [str(m) for m in detail.context["messages"]]
    assert _("The hypothesis “%(hypothesis)s” is now “%(status)s”.") % {
        "hypothesis": Truncator(hypothesis.statement).chars(80),
        "status": hypothesis.get_status_display()} in messages
    assertContains(detail, url("hypothesis-detail", startup, pk=hypothesis.pk))
    # Another startup's hypothesis is neither preselected nor accepted.
    other = HypothesisFactory()
    form = client.get(url("test-create", startup), {"hypothesis": other.pk})
    assert soup(form).select_one("select[name=hypothesis] option[selected]")["value"] == ""
    response = client.post(url("test-create", startup), form_data(hypothesis=other.pk))
    assert response.status_code == 200
    assert "hypothesis" in response.context["form"].errors


def test_a_profile_with_a_contact_is_refused_with_what_was_typed(world):
    response = world.client_for("team").post(
        url("test-create", world.startup),
        form_data(users_profile="Mme Martin, 06 12 34 56 78", observations="Gardé tel quel"),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["users_profile"]
    assert errors == [_("Remove the phone number: the profile describes the users' situation, "
                        "never their contacts.")]
    assertContains(response, "Gardé tel quel")
    assert not UserTest.objects.exists()


def test_a_result_cannot_be_recorded_for_a_test_in_the_future(world):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    client = world.client_for("team")
    response = client.post(url("test-create", world.startup),
                           form_data(date=tomorrow.isoformat(), result="validates"))
    assert response.status_code == 200
    assert "result" in response.context["form"].errors
    # Planned, it is fine.
    response = client.post(url("test-create", world.startup), form_data(date=tomorrow.isoformat()))
    assert response.status_code == 302
    assert UserTest.objects.get().result == ""


def test_editing_a_test(world):
    hypothesis = HypothesisFactory(startup=world.startup, status="testing")
    test = UserTestFactory(startup=world.startup, hypothesis=hypothesis)
    client = world.client_for("team")
    edit = url("test-edit", world.startup, pk=test.pk)
    assertContains(client.get(edit), test.protocol)
    response = client.post(edit, form_data(hypothesis=hypothesis.pk, result="validates",
                                           learning="Validée"))
    assertRedirects(response, url("test-detail", world.startup, pk=test.pk),
                    fetch_redirect_response=False)
    test.refresh_from_db()
    hypothesis.refresh_from_db()
    assert (test.result, test.learning, hypothesis.status) == ("validates", "Validée", "validated")


def test_delete_asks_for_confirmation_then_deletes(world):
    test = UserTestFactory(startup=world.startup)
    client = world.client_for("intrapreneur")
    delete = url("test-delete", world.startup, pk=test.pk)
    confirm = client.get(delete)
    assert soup(confirm).select_one("form[method=post] button[type=submit]") is not None
    assert UserTest.objects.exists()
    assertRedirects(client.post(delete), url("test-list", world.startup))
    assert not UserTest.objects.exists()


# ---------------------------------------------------------------- the list


def test_the_list_is_newest_first_filtered_and_sorted(world):
    startup = world.startup
    hypothesis = HypothesisFactory(startup=startup)
    old = UserTestFactory(startup=startup, hypothesis=hypothesis, date=datetime.date(2026, 1, 6),
                          result="validates")
    new = UserTestFactory(startup=startup, hypothesis=None, date=datetime.date(2026, 3, 3),
                          observations="Le lien de signalement est invisible")
    middle = UserTestFactory(startup=startup, date=datetime.date(2026, 2, 3),
                             result="inconclusive")
    UserTestFactory()  # another startup's
    client = world.client_for("coach")
    path = url("test-list", startup)
    assert listed(client.get(path)) == [new.pk, middle.pk, old.pk]
    assert listed(client.get(path, {"sort": "date"})) == [old.pk, middle.pk, new.pk]
    assert listed(client.get(path, {"result": "validates"})) == [old.pk]
    assert listed(client.get(path, {"result": "planned"})) == [new.pk]
    assert listed(client.get(path, {"hypothesis": hypothesis.pk})) == [old.pk]
    assert listed(client.get(path, {"hypothesis": "none"})) == [new.pk]
    assert listed(client.get(path, {"q": "signalement"})) == [new.pk]
    assertContains(client.get(path, {"q": "introuvable"}),
                   "Aucun résultat ne correspond à ces filtres.")


def test_the_list_is_paginated_and_answers_htmx(world):
    for i in range(23):
        UserTestFactory(startup=world.startup, date=datetime.date(2026, 1, 1)
                        + datetime.timedelta(days=i))
    client = world.client_for("team")
    assert len(listed(client.get(url("test-list", world.startup)))) == 20
    second = client.get(url("test-list", world.startup), {"page": 2},
                        headers={"HX-Request": "true"})
    assert len(listed(second)) == 3
    assertNotContains(second, "<html")
    assert "HX-Request" in second["Vary"]


def test_the_empty_list_invites_to_record_one(world):
    response = world.client_for("team").get(url("test-list", world.startup))
    assert soup(response).select_one("#list-results .fr-callout") is not None
    assertContains(response, url("test-create", world.startup))


# ---------------------------------------------------------------- the cadence

WEDNESDAY = datetime.date(2026, 3, 18)  # ISO week 12 of 2026


def test_the_cadence_shows_twelve_iso_weeks_oldest_first(world, django_assert_num_queries):
    startup = world.startup
    for day in (datetime.date(2026, 3, 16), datetime.date(2026, 3, 10),
                datetime.date(2026, 3, 15), datetime.date(2026, 2, 24),
                datetime.date(2026, 3, 25),  # next week: planned, not counted
                datetime.date(2026, 3, 20),  # later this week: planned, not counted yet
                datetime.date(2025, 12, 28)):  # before the twelve weeks
        UserTestFactory(startup=startup, date=day)
    UserTestFactory(date=datetime.date(2026, 3, 17))  # another startup's
    with django_assert_num_queries(1):
        cadence = services.usertest_cadence(startup, WEDNESDAY)
    assert [week.number for week in cadence.weeks] == list(range(1, 13))
    assert cadence.weeks[0].monday == datetime.date(2025, 12, 29)
    assert cadence.weeks[-1].monday == datetime.date(2026, 3, 16)
    assert cadence.weeks[-1].end == datetime.date(2026, 3, 22)
    assert cadence.current == cadence.weeks[-1]
    assert [week.count for week in cadence.weeks] == [0] * 8 + [1, 0, 2, 1]
    assert cadence.streak == 2  # weeks 12 and 11; none in week 10


def test_the_streak_counts_from_last_week_while_this_week_has_no_test(world):
    startup = world.startup
    monday = week_start(WEDNESDAY)
    for weeks in (1, 2, 3, 5):
        UserTestFactory(startup=startup, date=monday - datetime.timedelta(weeks=weeks, days=-2))
    # Monday morning, nothing yet this week: the streak is not broken.
    assert services.usertest_cadence(startup, monday).streak == 3
    assert services.usertest_cadence(startup, WEDNESDAY).streak == 3
    UserTestFactory(startup=startup, date=monday)
    assert services.usertest_cadence(startup, WEDNESDAY).streak == 4
    # Two weeks without a test: no streak.
    assert services.usertest_cadence(startup, monday + datetime.timedelta(weeks=2)).streak == 0


def test_the_streak_goes_beyond_the_twelve_weeks_shown(world):
    monday = week_start(WEDNESDAY)
    for weeks in range(15):
        UserTestFactory(startup=world.startup, date=monday - datetime.timedelta(weeks=weeks))
    cadence = services.usertest_cadence(world.startup, WEDNESDAY)
    assert cadence.streak == 15
    assert cadence.tested_weeks == 12


def test_the_cadence_strip_says_each_week_in_words(world):
    today = timezone.localdate()
    UserTestFactory(startup=world.startup, date=today)
    UserTestFactory(startup=world.startup, date=today)
    UserTestFactory(startup=world.startup, date=today - datetime.timedelta(weeks=2))
    response = world.client_for("sponsor").get(url("test-list", world.startup))
    strip = soup(response).select_one("#test-cadence")
    headers = strip.select("thead th[data-week]")
    cells = strip.select("tbody td[data-week]")
    assert len(headers) == len(cells) == 12
    this_week = week_start(today)
    assert headers[-1]["data-week"] == this_week.isoformat()
    assert headers[-1]["aria-current"] == "date"
    assert str(this_week.isocalendar().week) in headers[-1].get_text()
    assert [cell["data-count"] for cell in cells[-3:]] == ["1", "0", "2"]
    # Tested or not is written, not only coloured.
    assert cells[-1].get_text(strip=True) != cells[-2].get_text(strip=True)
    assert strip.select_one("#test-streak")["data-streak"] == "1"


# ---------------------------------------------------------------- the demo


def test_the_demo_seeds_hypotheses_and_six_months_of_weekly_tests(world):
    startup = world.startup
    demo_ideas.seed(startup=startup, people=world.people)
    FeedbackFactory(startup=startup, text="Le lecteur d'écran ne lit pas les boutons.")
    with CaptureQueriesContext(connection) as queries:
        demo_hypotheses.seed(startup=startup, people=world.people)
    assert len(queries) < 400
    hypotheses = Hypothesis.objects.for_startup(startup)
    assert hypotheses.count() == 15
    statuses = dict.fromkeys(["to_test", "testing", "validated", "invalidated", "abandoned"], 0)
    for status in hypotheses.values_list("status", flat=True):
        statuses[status] += 1
    assert statuses == {"to_test": 3, "testing": 4, "validated": 4, "invalidated": 2,
                        "abandoned": 2}
    assert hypotheses.filter(idea__isnull=False).count() == 4
    assert hypotheses.filter(feedback__isnull=False).count() == 1
    today = timezone.localdate()
    cadence = services.usertest_cadence(startup, today, weeks=26)
    counts = [week.count for week in cadence.weeks]
    assert all(count in (1, 2) for index, count in enumerate(counts) if index not in (12, 13, 21))
    assert [counts[12], counts[13], counts[21]] == [0, 0, 0]  # a two-week and a one-week gap
    assert cadence.streak == 4
    tests = UserTest.objects.for_startup(startup)
    assert tests.filter(date__lt=cadence.weeks[0].monday).count() == 0
    assert set(tests.values_list("result", flat=True)) == {
        "", "validates", "invalidates", "inconclusive"}
    assert not any(services.personal_data_error(p)
                   for p in tests.values_list("users_profile", flat=True))
    # Backdated: the oldest test was recorded months ago, and so was its activity.
    oldest = tests.order_by("date").first()
    assert oldest.created_at.date() == oldest.date
    activity = Activity.objects.get(verb="test.recorded", target_id=oldest.pk)
    assert timezone.localtime(activity.created_at).date() == oldest.date


def test_an_empty_post_re_renders_the_forms(world):
    test = UserTestFactory(startup=world.startup)
    client = world.client_for("team")
    for name, kwargs in (("test-create", {}), ("test-edit", {"pk": test.pk})):
        response = client.post(url(name, world.startup, **kwargs))
        assert response.status_code == 200
        assert response.context["form"] is not None  # the form again, nothing written
    assert UserTest.objects.count() == 1
    assert not Activity.objects.exists()
