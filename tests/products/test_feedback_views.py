"""The feedback inbox as its users see it: triage (filters, search, bulk changes, counts),
one item (read, record, edit, delete), merging duplicates, export."""

import csv
import datetime
import io

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertRedirects

from intrapreneur.models import Activity, Tag
from products.models import Feedback
from products.services import feedback as services
from tests.intrapreneur.factories import StartupFactory, TagFactory, UserFactory
from tests.products.factories import FeedbackFactory

pytestmark = pytest.mark.django_db

POSTGRES = connection.vendor == "postgresql"


def url(name, startup, **kwargs):
    return reverse(f"products:{name}", kwargs={"slug": startup.slug, **kwargs})


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def rows(response) -> list[int]:
    """The ids of the items listed, in order."""
    return [int(tr["id"].removeprefix("feedback-")) for tr in soup(response).select("tbody tr")]


def counts(html) -> dict[str, int]:
    """Status -> count, as the tags above the list show them ('' is all)."""
    return {
        a["data-status"]: int(a.select_one("[data-count]").text)
        for a in html.select("#feedback-status-counts a")
    }


def item(world, **kwargs):
    return FeedbackFactory(startup=world.startup, **kwargs)


# ---------------------------------------------------------------- rights


@pytest.mark.parametrize(
    ("role", "status"),
    [("intrapreneur", 200), ("team", 200), ("coach", 200), ("sponsor", 403), ("staff", 403),
     ("outsider", 404), ("anonymous", 302)],
)
def test_the_inbox_is_research(world, role, status):
    feedback = item(world)
    client = world.client_for(role)
    for path in (
        url("feedback-list", world.startup),
        url("feedback-detail", world.startup, pk=feedback.pk),
        url("feedback-export", world.startup),
    ):
        assert client.get(path).status_code == status, path


@pytest.mark.parametrize(
    ("role", "status"),
    [("intrapreneur", 200), ("team", 200), ("coach", 403), ("sponsor", 403), ("staff", 403),
     ("outsider", 404)],
)
def test_writing_needs_contribute(world, role, status):
    feedback = item(world)
    client = world.client_for(role)
    for name, kwargs in (
        ("feedback-create", {}), ("feedback-import", {}), ("feedback-edit", {"pk": feedback.pk}),
        ("feedback-delete", {"pk": feedback.pk}), ("feedback-merge", {"pk": feedback.pk}),
    ):
        assert client.get(url(name, world.startup, **kwargs)).status_code == status, name
    bulk = client.post(
        url("feedback-bulk", world.startup), {"ids": [feedback.pk], "action": "status:done"}
    )
    assert bulk.status_code == (302 if status == 200 else status)
    feedback.refresh_from_db()
    assert feedback.status == ("done" if status == 200 else "new")


def test_a_coach_reads_without_the_writing_controls_nor_the_addresses(world):
    feedback = item(world, author_email="camille@example.fr", author_consents=True)
    html = soup(world.client_for("coach").get(url("feedback-list", world.startup)))
    assert rows_of(html) == [feedback.pk]
    assert html.select_one("#feedback-bulk") is None
    assert not html.select("input[name=ids]")
    assert not html.select(f"a[href='{url('feedback-create', world.startup)}']")
    detail = world.client_for("coach").get(url("feedback-detail", world.startup, pk=feedback.pk))
    assert "camille@example.fr" not in detail.content.decode()
    assert soup(detail).select_one("#author-email") is None
    assert soup(detail).select_one("#feedback-status-form") is None
    team = world.client_for("team").get(url("feedback-detail", world.startup, pk=feedback.pk))
    assert "camille@example.fr" in soup(team).select_one("#author-email").text


def rows_of(html) -> list[int]:
    return [int(tr["id"].removeprefix("feedback-")) for tr in html.select("tbody tr")]


def test_objects_come_through_the_startup(world):
    other = FeedbackFactory(startup=StartupFactory())
    client = world.client_for("intrapreneur")
    for name in ("feedback-detail", "feedback-edit", "feedback-delete", "feedback-merge"):
        assert client.get(url(name, world.startup, pk=other.pk)).status_code == 404
    assert rows(client.get(url("feedback-list", world.startup))) == []


# ---------------------------------------------------------------- the list


def test_list_filters_each_field(world):
    startup = world.startup
    team = world.people["team"]
    tag = TagFactory(startup=startup, name="carte")
    today = timezone.localdate()
    a = item(world, kind="idea", source="partner", channel="phone", status="planned",
             assignee=team, tags=[tag], date=today)
    b = item(world, kind="praise", source="user", channel="form", status="done",
             date=today - datetime.timedelta(days=40))
    c = item(world, kind="question", source="team", channel="email", status="new",
             date=today - datetime.timedelta(days=200))
    client = world.client_for("team")
    path = url("feedback-list", startup)

    def ids(**params):
        return set(rows(client.get(path, params)))

    assert ids() == {a.pk, b.pk, c.pk}
    assert ids(status="done") == {b.pk}
    assert ids(status="open") == {a.pk, c.pk}
    assert ids(kind="idea") == {a.pk}
    assert ids(source="team") == {c.pk}
    assert ids(channel="form") == {b.pk}
    assert ids(tag=tag.pk) == {a.pk}
    assert ids(assignee=team.pk) == {a.pk}
    assert ids(assignee="none") == {b.pk, c.pk}
    assert ids(period="30") == {a.pk}
    assert ids(period="90") == {a.pk, b.pk}
    assert ids(kind="idea", status="done") == set()
    # A bad value drops that filter only.
    assert ids(kind="nonsense", status="done") == {b.pk}
    # Newest first, or as a column sorts.
    assert rows(client.get(path)) == [a.pk, b.pk, c.pk]
    assert rows(client.get(path, {"sort": "-date"})) == [c.pk, b.pk, a.pk]


def test_status_counts_follow_the_other_filters_and_link_to_their_status(world):
    for status in ("new", "new", "triaged", "done"):
        item(world, status=status, kind="problem")
    item(world, status="new", kind="praise")
    client = world.client_for("team")
    html = soup(client.get(url("feedback-list", world.startup), {"kind": "problem"}))
    assert counts(html) == {"": 4, "new": 2, "triaged": 1, "planned": 0, "done": 1,
                            "wont_do": 0}
    link = html.select_one("#feedback-status-counts a[data-status=triaged]")
    assert link["href"] == "?kind=problem&status=triaged"
    # The status filter narrows the rows, not the counts; the current one is marked.
    html = soup(client.get(url("feedback-list", world.startup), {"status": "new"}))
    assert counts(html)["triaged"] == 1
    assert len(rows_of(html)) == 3
    assert html.select_one("#feedback-status-counts a[aria-current]")["data-status"] == "new"


def test_htmx_gets_the_results_and_the_counts_out_of_band(world):
    item(world, status="new")
    item(world, status="done")
    client = world.client_for("team")
    path = url("feedback-list", world.startup)
    response = client.get(path, {"status": "done"}, headers={"HX-Request": "true"})
    assert "<html" not in response.content.decode()
    assert "HX-Request" in response["Vary"]
    html = soup(response)
    assert len(rows_of(html)) == 1
    nav = html.select_one("#feedback-status-counts")
    assert nav["hx-swap-oob"] == "true"
    assert counts(html)["new"] == 1
    # The whole page has the counts once, not out of band; so has a history restore.
    for headers in ({}, {"HX-Request": "true", "HX-History-Restore-Request": "true"}):
        page = soup(client.get(path, {"status": "done"}, headers=headers))
        assert page.select_one("html") is not None
        assert len(page.select("#feedback-status-counts")) == 1
        assert not page.select_one("#feedback-status-counts").has_attr("hx-swap-oob")


def test_filters_form_is_a_plain_get_live_with_htmx_and_pushed(world):
    html = soup(world.client_for("team").get(url("feedback-list", world.startup)))
    form = html.select_one("form.list-filters")
    assert form["method"] == "get"
    assert form["hx-push-url"] == "true"
    for name in ("q", "status", "kind", "source", "channel", "tag", "assignee", "period",
                 "merged"):
        assert form.select_one(f"[name={name}]") is not None, name


def test_search_finds_words_of_the_text(world):
    wanted = item(world, text="Les mairies de la Creuse ne reçoivent pas les notifications.")
    item(world, text="La carte des guichets est très claire, merci.")
    services.feedback_index(Feedback.objects.all())
    client = world.client_for("team")
    path = url("feedback-list", world.startup)
    assert rows(client.get(path, {"q": "notifications mairies"})) == [wanted.pk]
    assert rows(client.get(path, {"q": "introuvable"})) == []
    assert rows(client.get(path, {"q": "les -carte"})) == [wanted.pk]


@pytest.mark.skipif(not POSTGRES, reason="French full-text search is PostgreSQL's")
def test_full_text_search_stems_french_and_ranks(world):
    plural = item(world, text="Les mairies rurales n'ont pas reçu le courrier.")
    both = item(world, text="La mairie : la mairie de Guéret et la mairie d'Aubusson.")
    item(world, text="Le formulaire de la préfecture est trop long.")
    services.feedback_index(Feedback.objects.all())
    client = world.client_for("team")
    path = url("feedback-list", world.startup)
    # "mairie" finds "mairies" (French stemming); the item saying it thrice ranks first.
    assert rows(client.get(path, {"q": "mairie"})) == [both.pk, plural.pk]
    # websearch syntax: a phrase, a word excluded.
    assert rows(client.get(path, {"q": '"mairies rurales"'})) == [plural.pk]
    assert rows(client.get(path, {"q": "mairie -Guéret"})) == [plural.pk]


def test_pagination_keeps_the_filters(world):
    for _i in range(55):
        item(world, kind="idea")
    client = world.client_for("team")
    path = url("feedback-list", world.startup)
    first = client.get(path, {"kind": "idea"})
    assert len(rows(first)) == 50
    second = client.get(path, {"kind": "idea", "page": 2})
    assert len(rows(second)) == 5


def test_empty_inbox_says_so(world):
    html = soup(world.client_for("team").get(url("feedback-list", world.startup)))
    assert html.select_one(".fr-callout") is not None
    assert counts(html)[""] == 0


def test_every_row_has_a_labelled_checkbox_and_select_all_is_left_to_javascript(world):
    feedback = item(world, text="Le bouton valider ne répond pas sur mobile ni tablette")
    html = soup(world.client_for("team").get(url("feedback-list", world.startup)))
    form = html.select_one("form#feedback-bulk")
    assert form["action"] == url("feedback-bulk", world.startup)
    assert form["hx-post"] == url("feedback-bulk", world.startup)
    box = form.select_one(f"input[name=ids][value='{feedback.pk}']")
    label = form.select_one(f"label[for='{box['id']}']")
    assert "Le bouton valider ne répond pas sur mobile" in label.text
    assert form.select_one("button[type=submit]") is not None
    select_all = form.select_one("[data-select-all-group]")
    assert select_all.has_attr("hidden")
    assert form.select_one("input[name=next]")["value"] == url("feedback-list", world.startup)


# ---------------------------------------------------------------- bulk changes


def test_bulk_status_without_javascript_goes_back_to_the_filtered_list(world):
    kept = [item(world, kind="idea") for _i in range(3)]
    untouched = item(world, kind="idea")
    foreign = FeedbackFactory(startup=StartupFactory())
    next_url = url("feedback-list", world.startup) + "?kind=idea&status=new"
    client = world.client_for("team")
    response = client.post(
        url("feedback-bulk", world.startup),
        {"ids": [*(f.pk for f in kept), foreign.pk, 999999, "x"], "action": "status:planned",
         "next": next_url},
    )
    assertRedirects(response, next_url)
    assert set(Feedback.objects.filter(status="planned").values_list("pk", flat=True)) == {
        f.pk for f in kept
    }
    untouched.refresh_from_db()
    foreign.refresh_from_db()
    assert untouched.status == "new" and foreign.status == "new"
    activity = Activity.objects.get(verb="feedback.triaged")
    assert activity.actor == world.people["team"] and activity.startup == world.startup


def test_bulk_next_must_be_on_this_site(world):
    feedback = item(world)
    client = world.client_for("team")
    for next_url in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
        response = client.post(
            url("feedback-bulk", world.startup),
            {"ids": [feedback.pk], "action": "status:done", "next": next_url},
        )
        assertRedirects(response, url("feedback-list", world.startup))


def test_bulk_refuses_an_empty_selection_or_action_and_says_why(world):
    feedback = item(world)
    client = world.client_for("team")
    response = client.post(url("feedback-bulk", world.startup), {"action": "status:done"},
                           follow=True)
    assert response.redirect_chain[-1][0] == url("feedback-list", world.startup)
    assert soup(response).select_one("#messages .fr-alert--error") is not None
    response = client.post(
        url("feedback-bulk", world.startup), {"ids": [feedback.pk], "action": "add_tag"}
    )
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.status == "new" and not feedback.tags.exists()


def test_bulk_tags_add_and_remove(world):
    existing = TagFactory(startup=world.startup, name="Carte")
    a, b = item(world, tags=[existing]), item(world)
    client = world.client_for("intrapreneur")
    bulk = url("feedback-bulk", world.startup)
    client.post(bulk, {"ids": [a.pk, b.pk], "action": "add_tag", "tag": "carte"})
    client.post(bulk, {"ids": [a.pk, b.pk], "action": "add_tag", "tag": "Accessibilité"})
    assert sorted(t.name for t in b.tags.all()) == ["Accessibilité", "Carte"]
    assert Tag.objects.filter(startup=world.startup).count() == 2
    client.post(bulk, {"ids": [a.pk], "action": "remove_tag", "tag": "CARTE"})
    assert [t.name for t in a.tags.all()] == ["Accessibilité"]
    assert [t.name for t in b.tags.order_by("name")] == ["Accessibilité", "Carte"]


def test_bulk_with_htmx_returns_the_results_and_updated_counts(world):
    items = [item(world, status="new") for _i in range(3)]
    item(world, status="triaged")
    client = world.client_for("team")
    next_url = url("feedback-list", world.startup) + "?status=new"
    response = client.post(
        url("feedback-bulk", world.startup),
        {"ids": [items[0].pk, items[1].pk], "action": "status:done", "next": next_url},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = soup(response)
    assert html.select_one("html") is None
    # The results as the list filtered on "new" now shows them, and the counts, out of band.
    assert rows_of(html) == [items[2].pk]
    nav = html.select_one("#feedback-status-counts")
    assert nav["hx-swap-oob"] == "true"
    assert counts(html) == {"": 4, "new": 1, "triaged": 1, "planned": 0, "done": 2,
                            "wont_do": 0}
    assert html.select_one("#bulk-message") is not None
    # The links keep the list's filters, not the bulk address.
    assert html.select_one("#feedback-status-counts a[data-status=done]")["href"] == (
        "?status=done"
    )
    assert html.select_one("input[name=next]")["value"] == next_url


def test_bulk_with_htmx_and_bad_input_keeps_the_selection_and_shows_the_error(world):
    a, b = item(world), item(world)
    client = world.client_for("team")
    response = client.post(
        url("feedback-bulk", world.startup),
        {"ids": [a.pk], "action": "add_tag", "tag": "",
         "next": url("feedback-list", world.startup)},
        headers={"HX-Request": "true"},
    )
    html = soup(response)
    assert html.select_one(f"input[name=ids][value='{a.pk}']").has_attr("checked")
    assert not html.select_one(f"input[name=ids][value='{b.pk}']").has_attr("checked")
    assert html.select_one("#bulk_tag").find_parent(class_="fr-input-group--error")
    assert html.select_one("#bulk_action option[selected]")["value"] == "add_tag"
    response = client.post(
        url("feedback-bulk", world.startup), {"action": "status:done"},
        headers={"HX-Request": "true"},
    )
    assert soup(response).select_one("#bulk-error") is not None


def test_merged_duplicates_keep_their_status(world):
    kept, duplicate = item(world), item(world)
    services.feedback_merge(feedback=kept, actor=world.people["team"], duplicates=[duplicate])
    world.client_for("team").post(
        url("feedback-bulk", world.startup),
        {"ids": [kept.pk, duplicate.pk], "action": "status:planned"},
    )
    kept.refresh_from_db()
    duplicate.refresh_from_db()
    assert (kept.status, duplicate.status) == ("planned", "done")


def test_detail_status_form_changes_one_item_and_comes_back(world):
    feedback = item(world)
    client = world.client_for("team")
    detail = url("feedback-detail", world.startup, pk=feedback.pk)
    form = soup(client.get(detail)).select_one("#feedback-status-form")
    data = {i["name"]: i["value"] for i in form.select("input[type=hidden]")}
    response = client.post(form["action"], {**data, "action": "status:triaged"})
    assertRedirects(response, detail)
    feedback.refresh_from_db()
    assert feedback.status == "triaged"


# ---------------------------------------------------------------- one item


def test_record_feedback(world):
    team = world.people["team"]
    client = world.client_for("team")
    response = client.post(
        url("feedback-create", world.startup),
        {
            "text": "Les mairies voudraient exporter la liste en tableur.",
            "kind": "idea", "source": "partner", "channel": "phone",
            "date": "2025-03-12", "status": "triaged", "assignee": team.pk,
            "tags": "export, mairies", "author_email": "agent@example.fr",
            "author_consents": "on",
        },
    )
    feedback = Feedback.objects.get()
    assertRedirects(response, url("feedback-detail", world.startup, pk=feedback.pk))
    assert (feedback.kind, feedback.source, feedback.channel, feedback.status) == (
        "idea", "partner", "phone", "triaged"
    )
    assert feedback.date == datetime.date(2025, 3, 12)
    assert feedback.assignee == team
    assert sorted(t.name for t in feedback.tags.all()) == ["export", "mairies"]
    assert (feedback.author_email, feedback.author_consents) == ("agent@example.fr", True)
    assert Activity.objects.filter(verb="feedback.created", actor=team).exists()
    if POSTGRES:
        assert Feedback.objects.search_text("mairie").get() == feedback


def test_bad_input_re_renders_with_the_errors_and_what_was_typed(world):
    outsider = UserFactory()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = world.client_for("team").post(
        url("feedback-create", world.startup),
        {"text": "Texte gardé tel quel", "kind": "problem", "source": "user",
         "channel": "email", "date": tomorrow.isoformat(), "status": "new",
         "assignee": outsider.pk, "author_consents": "on"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"date", "assignee", "author_email"}
    assert "Texte gardé tel quel" in soup(response).select_one("textarea[name=text]").text
    assert not Feedback.objects.exists()


def test_edit_keeps_what_the_form_does_not_show(world):
    feedback = item(world, author_email="a@example.fr", author_consents=True)
    services.feedback_update(
        feedback=feedback, actor=world.people["team"], text="Nouveau texte", kind="idea",
        source="user", channel="form", date=feedback.date, status="triaged", tags=["x"],
    )
    feedback.refresh_from_db()
    assert (feedback.text, feedback.author_email, feedback.author_consents) == (
        "Nouveau texte", "a@example.fr", True
    )


def test_edit_page_saves(world):
    feedback = item(world, text="Ancien")
    client = world.client_for("intrapreneur")
    path = url("feedback-edit", world.startup, pk=feedback.pk)
    page = soup(client.get(path))
    assert page.select_one("textarea[name=text]").text.strip() == "Ancien"
    assert page.select_one("input[name=author_email]") is not None
    response = client.post(path, {
        "text": "Les mairies n'arrivent pas à se connecter", "kind": "problem",
        "source": "user", "channel": "support", "date": feedback.date.isoformat(),
        "status": "planned", "tags": "connexion",
    })
    assertRedirects(response, url("feedback-detail", world.startup, pk=feedback.pk))
    feedback.refresh_from_db()
    assert (feedback.text, feedback.channel, feedback.status) == (
        "Les mairies n'arrivent pas à se connecter", "support", "planned"
    )
    assert [t.name for t in feedback.tags.all()] == ["connexion"]
    if POSTGRES:
        assert Feedback.objects.search_text("connecte").get() == feedback


def test_the_form_hides_the_personal_fields_without_view_personal(world):
    from products.forms.feedback import FeedbackForm

    form = FeedbackForm(startup=world.startup, personal=False)
    assert "author_email" not in form.fields and "author_consents" not in form.fields
    assert "author_email" in FeedbackForm(startup=world.startup, personal=True).fields


def test_delete_asks_then_deletes_and_keeps_the_merged_texts(world):
    kept, duplicate = item(world), item(world, text="Texte du doublon")
    services.feedback_merge(feedback=kept, actor=world.people["team"], duplicates=[duplicate])
    client = world.client_for("team")
    path = url("feedback-delete", world.startup, pk=kept.pk)
    confirm = client.get(path)
    assert confirm.status_code == 200 and Feedback.objects.filter(pk=kept.pk).exists()
    assertRedirects(client.post(path), url("feedback-list", world.startup))
    assert not Feedback.objects.filter(pk=kept.pk).exists()
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None and duplicate.text == "Texte du doublon"
    assert Activity.objects.filter(verb="feedback.deleted").exists()


# ---------------------------------------------------------------- merge


def test_merge_duplicates_keeps_every_text_and_unites_tags(world):
    carte, mobile, lenteur = (
        TagFactory(startup=world.startup, name=n) for n in ("carte", "mobile", "lenteur")
    )
    kept = item(world, text="La carte ne s'affiche pas.", tags=[carte])
    first = item(world, text="Sur mobile la carte reste blanche.", tags=[mobile])
    second = item(world, text="Carte vide depuis ce matin.", tags=[lenteur, carte])
    earlier = item(world, text="Écran blanc à la place de la carte.")
    services.feedback_merge(feedback=second, actor=world.people["team"], duplicates=[earlier])
    other = item(world, text="Rien à voir.")
    services.feedback_index(Feedback.objects.all())
    total = Feedback.objects.count()
    client = world.client_for("team")
    path = url("feedback-merge", world.startup, pk=kept.pk)

    page = soup(client.get(path))
    offered = {int(i["value"]) for i in page.select("input[name=duplicates]")}
    # Not itself, not already merged; on PostgreSQL, the items sharing words with it.
    assert offered == ({first.pk, second.pk} if POSTGRES else {first.pk, second.pk, other.pk})
    searched = soup(client.get(path, {"q": "mobile"}))
    assert {int(i["value"]) for i in searched.select("input[name=duplicates]")} == {first.pk}

    response = client.post(path, {"duplicates": [first.pk, second.pk]})
    assertRedirects(response, url("feedback-detail", world.startup, pk=kept.pk))
    assert Feedback.objects.count() == total  # nothing deleted
    for duplicate in (first, second, earlier):
        duplicate.refresh_from_db()
        assert (duplicate.merged_into_id, duplicate.status) == (kept.pk, "done")
    assert sorted(t.name for t in kept.tags.all()) == ["carte", "lenteur", "mobile"]
    # Every merged text is on the kept item.
    merged = soup(client.get(url("feedback-detail", world.startup, pk=kept.pk)))
    section = merged.select_one("#merged-texts").text
    for text in (first.text, second.text, earlier.text):
        assert text in section
    # Merged items leave the inbox; the filter shows them.
    listed = rows(client.get(url("feedback-list", world.startup)))
    assert set(listed) == {kept.pk, other.pk}
    shown = rows(client.get(url("feedback-list", world.startup), {"merged": "on"}))
    assert set(shown) == {kept.pk, other.pk, first.pk, second.pk, earlier.pk}
    # A merged item says where it went, and cannot receive merges.
    detail = soup(client.get(url("feedback-detail", world.startup, pk=first.pk)))
    assert detail.select_one("#merged-into a")["href"] == url(
        "feedback-detail", world.startup, pk=kept.pk
    )
    assertRedirects(
        client.get(url("feedback-merge", world.startup, pk=first.pk)),
        url("feedback-detail", world.startup, pk=first.pk),
    )
    assert Activity.objects.filter(verb="feedback.merged").count() == 2


def test_merge_refuses_foreign_or_missing_choices(world):
    kept = item(world)
    foreign = FeedbackFactory(startup=StartupFactory())
    client = world.client_for("team")
    path = url("feedback-merge", world.startup, pk=kept.pk)
    for data in ({}, {"duplicates": [foreign.pk]}, {"duplicates": [kept.pk]},
                 {"duplicates": ["abc"]}):
        response = client.post(path, data)
        assert response.status_code == 200, data
        assert soup(response).select_one("#merge-error") is not None
    foreign.refresh_from_db()
    assert foreign.merged_into is None
    assert not Feedback.objects.filter(merged_into__isnull=False).exists()


# ---------------------------------------------------------------- export


def test_export_without_addresses_formula_safe_with_the_filters(world):
    tag = TagFactory(startup=world.startup, name="carte")
    item(world, text="=HYPERLINK(\"http://x\")", kind="idea", tags=[tag],
         author_email="secret@example.fr", author_consents=True)
    item(world, text="Pas une idée", kind="problem", author_email="autre@example.fr")
    response = world.client_for("coach").get(
        url("feedback-export", world.startup), {"kind": "idea"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    content = response.content.decode("utf-8-sig")
    assert "@example.fr" not in content
    header, *lines = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert len(lines) == 1
    assert lines[0][header.index("Étiquettes")] == "carte"
    assert "'=HYPERLINK(\"http://x\")" in lines[0]


def test_the_activity_never_shows_a_feedback_text_to_those_who_may_not_read_it(world):
    """The log is read by everyone who may `view` (sponsor, staff): an item is named by its
    number there, its text stays in the inbox (`view_research`)."""
    item = services.feedback_create(
        startup=world.startup, actor=world.people["team"],
        text="Le guichet de Guéret n'a pas de boucle magnétique",
    )
    slug = {"slug": world.startup.slug}
    for role in ("sponsor", "staff"):
        client = world.client_for(role)
        for path in (reverse("activity-list", kwargs=slug),
                     reverse("startup-overview", kwargs=slug)):
            response = client.get(path)
            assert response.status_code == 200
            page = response.content.decode()
            assert "boucle magnétique" not in page
            assert f"retour n° {item.pk}" in page
