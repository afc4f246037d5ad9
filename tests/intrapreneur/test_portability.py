"""Data that can leave: the startup's archive, its import into another instance, and the
registry walk that decides what travels."""

from __future__ import annotations

import csv
import hashlib
import importlib
import io
import json
import re
import zipfile

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models
from django.urls import reverse
from pytest_django.asserts import assertContains

from intrapreneur import portability
from intrapreneur.models import Activity, Attachment, Incubator, Startup
from intrapreneur.portability import (
    EXCLUDED,
    NOT_PERSONAL_FIELDS,
    PERSONAL_FIELDS,
    ArchiveError,
    exported_models,
    startup_export,
    startup_import,
)
from intrapreneur.services import attachment_create
from investigations.models import Participant, ParticipantContact, Scenario
from products.models import Feedback
from tests.investigations.factories import ParticipantContactFactory
from tests.products.factories import FeedbackFactory

User = get_user_model()

# ---------------------------------------------------------------- a dump without keys


def _canonical(startup: Startup, *, personal: bool = True) -> dict[str, list[str]]:
    """Every object of the startup, keys replaced by what they point to: comparable across
    databases. Files by content; people by e-mail; generic references by their target.
    Without ``personal``, the personal fields read as an export without them leaves them."""
    memo: dict[tuple[str, object], object] = {}

    def canon(obj: models.Model | None) -> object:
        if obj is None:
            return None
        key = (obj._meta.label, obj.pk)
        if key in memo:
            return memo[key]
        memo[key] = "…"  # a cycle ends here
        meta = obj._meta
        if isinstance(obj, User):
            value: object = {"email": obj.email, "first": obj.first_name, "last": obj.last_name}
        elif isinstance(obj, Incubator):
            value = obj.slug
        elif isinstance(obj, ContentType):
            value = f"{obj.app_label}.{obj.model}"
        else:
            gfk = {
                f.fk_field: f.ct_field for f in meta.private_fields
                if isinstance(f, GenericForeignKey)
            }
            data: dict[str, object] = {"model": meta.label}
            for f in meta.concrete_fields:
                if f.primary_key and not f.is_relation:
                    continue
                if f.is_relation:
                    data[f.name] = canon(getattr(obj, f.name))
                elif f.name in gfk:
                    ct = getattr(obj, meta.get_field(gfk[f.name]).attname)
                    target = None
                    target_model = ContentType.objects.get_for_id(ct).model_class() if ct else None
                    # What stays behind (EXCLUDED) is no reference after the journey.
                    if target_model and target_model._meta.label not in EXCLUDED:
                        target = target_model._base_manager.filter(
                            pk=getattr(obj, f.attname)
                        ).first()
                    data[f.name] = canon(target)
                elif not personal and f.name in PERSONAL_FIELDS.get(meta.label, ()):
                    data[f.name] = str(None if f.null else "")
                elif isinstance(f, models.FileField):
                    field_file = getattr(obj, f.name)
                    with field_file.open("rb") as content:
                        data[f.name] = hashlib.sha256(content.read()).hexdigest()
                else:
                    data[f.name] = str(getattr(obj, f.attname))
            for m2m in meta.many_to_many:
                data[m2m.name] = sorted(
                    json.dumps(canon(o), sort_keys=True) for o in getattr(obj, m2m.name).all()
                )
            value = data
        memo[key] = value
        return value

    dump: dict[str, list[str]] = {}
    for item in exported_models():
        rows = item.rows(startup)
        if item.model is Activity:
            rows = rows.exclude(verb__in=["startup.restored"])
        dump[item.label] = sorted(json.dumps(canon(o), sort_keys=True) for o in rows)
    return dump


def _archive_bytes(startup: Startup, *, personal: bool) -> bytes:
    with startup_export(startup=startup, actor=None, include_personal=personal) as archive:
        data = archive.read()
    # The export is logged (tested below); the next archive would carry that line.
    Activity.objects.filter(startup=startup, verb__startswith="startup.exported").delete()
    return data


def _empty_the_database() -> None:
    Startup.objects.all().delete()
    Incubator.objects.all().delete()
    User.objects.all().delete()
    for item in exported_models():
        assert not item.model._base_manager.exists(), item.label


# ---------------------------------------------------------------- the round trip


def _fill_what_the_demo_leaves_empty(startup: Startup) -> None:
    """A model the demo does not fill yet (an app's newest) gets one row from its factory
    (``tests/<app>/factories.py``, ``<Model>Factory``), so it is compared too."""
    for item in exported_models():
        if item.model._base_manager.exists():
            continue
        factories = importlib.import_module(f"tests.{item.model._meta.app_label}.factories")
        factory = getattr(factories, f"{item.model.__name__}Factory", None)
        assert factory is not None, f"{item.label}: not in the demo and without a factory"
        kwargs: dict[str, object] = {item.path: startup}
        for gfk in item.model._meta.private_fields:
            if isinstance(gfk, GenericForeignKey):
                # A generic reference points to some other object of the startup.
                kwargs[gfk.name] = next(
                    row
                    for other in exported_models()
                    if other.path == "startup" and not _has_gfk(other.model)
                    for row in other.rows(startup)[:1]
                )
        if "startup" in kwargs and item.path != "startup":
            del kwargs["startup"]
        factory(**kwargs)


def _has_gfk(model) -> bool:
    return any(isinstance(f, GenericForeignKey) for f in model._meta.private_fields)


def _differences(old: object, new: object, path: str = "") -> dict[str, tuple]:
    if isinstance(old, dict) and isinstance(new, dict):
        found: dict[str, tuple] = {}
        for key in old.keys() | new.keys():
            found |= _differences(old.get(key), new.get(key), f"{path}.{key}")
        return found
    return {} if old == new else {path: (str(old)[:80], str(new)[:80])}


def _assert_same(imported: dict, expected: dict, slug: str) -> None:
    assert imported.keys() == expected.keys()
    for label in expected:
        missing = sorted(set(expected[label]) - set(imported[label]))
        extra = sorted(set(imported[label]) - set(expected[label]))
        if missing or extra:
            # Say which fields differ in the first pair: the whole rows are long.
            old, new = json.loads((missing or ["{}"])[0]), json.loads((extra or ["{}"])[0])
            fields = _differences(old, new)
            pytest.fail(f"{slug}: {label}: {len(missing)} missing, {len(extra)} extra; {fields}")
        assert imported[label] == expected[label], f"{slug}: {label}"


@pytest.mark.django_db
def test_demo_exported_then_imported_into_an_empty_database_gives_the_same_objects():
    call_command("seed_demo", force=True, stdout=io.StringIO())
    concessio = Startup.objects.get(slug="concessio")
    intrapreneur = concessio.memberships.intrapreneurs().first().user
    # Files too: a scenario's mock-up and a file of the startup.
    scenario = Scenario.objects.filter(startup=concessio).first()
    attachment_create(
        startup=concessio, actor=intrapreneur, owner=scenario,
        upload=SimpleUploadedFile("maquette.pdf", b"%PDF-1.4 mock-up", "application/pdf"),
    )
    attachment_create(
        startup=concessio, actor=intrapreneur,
        upload=SimpleUploadedFile("notes.txt", b"des notes", "text/plain"),
    )
    _fill_what_the_demo_leaves_empty(concessio)
    startups = list(Startup.objects.order_by("slug"))
    before = {
        personal: {s.slug: _canonical(s, personal=personal) for s in startups}
        for personal in (True, False)
    }
    archives = {
        personal: {s.slug: _archive_bytes(s, personal=personal) for s in startups}
        for personal in (True, False)
    }
    # The demo fills every exported model: the comparison is not of empty tables.
    filled = {label for dump in before[True].values() for label, rows in dump.items() if rows}
    assert {item.label for item in exported_models()} - filled == set()

    for personal in (True, False):
        _empty_the_database()
        for data in archives[personal].values():
            startup_import(archive=io.BytesIO(data))
        for slug, expected in before[personal].items():
            _assert_same(_canonical(Startup.objects.get(slug=slug)), expected, slug)
        # Personal data really travelled, or really did not.
        contacts = ParticipantContact.objects.filter(participant__startup__slug="concessio")
        assert contacts.exists()
        assert (set(contacts.values_list("name", flat=True)) != {""}) is personal
        # People were created inactive, without a password; each import is in the log.
        assert User.objects.exists()
        assert not User.objects.filter(is_active=True).exists()
        assert not any(u.has_usable_password() for u in User.objects.all())
        assert Activity.objects.filter(verb="startup.restored").count() == len(startups)


def test_every_model_linked_to_a_startup_travels_or_says_why_not():
    """A model of any app that points (key, one-to-one, many-to-many), directly or through
    other models, to a startup must be exported or listed in EXCLUDED with its reason."""
    exported = {item.label for item in exported_models()}
    linked = {"intrapreneur.Startup"}
    changed = True
    while changed:
        changed = False
        for model in apps.get_models():
            label = model._meta.label
            if label in linked:
                continue
            relations = [f for f in model._meta.get_fields() if f.concrete and f.is_relation]
            relations += list(model._meta.many_to_many)
            if any(f.related_model and f.related_model._meta.label in linked for f in relations):
                linked.add(label)
                changed = True
    assert linked - exported - set(EXCLUDED) == set()
    assert set(EXCLUDED) <= linked, "an exclusion names a model that does not exist"
    assert all(len(reason) > 20 for reason in EXCLUDED.values())


SECRET = re.compile(r"token|secret|hash|password|nonce|otp", re.IGNORECASE)
PERSONAL = re.compile(r"e-?mail|phone|contact", re.IGNORECASE)


def test_no_exported_model_carries_a_secret_and_personal_fields_are_classified():
    for item in exported_models():
        for f in item.model._meta.concrete_fields:
            where = f"{item.label}.{f.name}"
            assert not SECRET.search(f.name), f"{where} looks like a secret: exclude its model"
            if isinstance(f, models.EmailField) or PERSONAL.search(f.name):
                assert (
                    f.name in PERSONAL_FIELDS.get(item.label, ())
                    or where in NOT_PERSONAL_FIELDS
                ), f"{where} may be personal: list it in PERSONAL_FIELDS or NOT_PERSONAL_FIELDS"
    for where in NOT_PERSONAL_FIELDS:
        label, name = where.rsplit(".", 1)
        apps.get_model(label)._meta.get_field(name)
    for label, names in PERSONAL_FIELDS.items():
        for name in names:
            apps.get_model(label)._meta.get_field(name)


def test_exported_keys_point_only_to_what_an_import_can_resolve():
    exported = {item.model for item in exported_models()}
    resolvable = exported | {User, Incubator, ContentType}
    for item in exported_models():
        for f in item.model._meta.concrete_fields:
            if f.is_relation:
                assert f.related_model in resolvable, f"{item.label}.{f.name}"
        for m2m in item.model._meta.many_to_many:
            assert m2m.related_model in resolvable, f"{item.label}.{m2m.name}"


# ---------------------------------------------------------------- the page


def _zip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _records(zf: zipfile.ZipFile, label: str) -> list[dict]:
    data = json.loads(zf.read("data.json"))
    return [r for r in data if r["model"] == label]


def test_the_intrapreneur_downloads_without_personal_data_by_default(world):
    contact = ParticipantContactFactory(
        participant__startup=world.startup, name="Jeanne Martin", email="jeanne@example.org",
        phone="06 12 34 56 78",
    )
    FeedbackFactory(
        startup=world.startup, text="=HYPERLINK(\"http://evil.example\")",
        author_email="usager@example.org",
    )
    client = world.client_for("intrapreneur")
    url = reverse("startup-download", kwargs={"slug": world.startup.slug})
    page = client.get(url)
    assertContains(page, "Télécharger toutes les données")
    assertContains(page, "responsable de l’archive au titre du RGPD")
    assert 'type="checkbox"' in page.content.decode()
    assert "checked" not in page.content.decode().split('name="include_personal"')[1][:80]

    response = client.post(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert f"{world.startup.slug}-" in response["Content-Disposition"]
    zf = _zip(response)
    manifest = json.loads(zf.read("manifest.json"))
    assert manifest["format_version"] == portability.FORMAT_VERSION
    assert manifest["personal_data"] is False
    assert manifest["source"] == "http://testserver"
    assert manifest["startup"] == world.startup.slug
    assert manifest["counts"]["investigations.Participant"] == 1
    assert manifest["counts"]["products.Feedback"] == 1
    assert manifest["counts"]["intrapreneur.Membership"] == 4
    assert "products.ApiToken" not in manifest["counts"]
    [record] = _records(zf, "investigations.ParticipantContact")
    assert (record["fields"]["name"], record["fields"]["email"]) == ("", "")
    assert record["fields"]["phone"] == ""
    [feedback] = _records(zf, "products.Feedback")
    assert feedback["fields"]["author_email"] == ""
    everything = b"".join(zf.read(name) for name in zf.namelist())
    for secret in (b"Jeanne Martin", b"jeanne@example.org", b"06 12 34", b"usager@example.org"):
        assert secret not in everything
    # The CSV is a spreadsheet's: the formula is text.
    header, row = csv.reader(
        io.StringIO(zf.read("csv/products.Feedback.csv").decode("utf-8-sig")), delimiter=";"
    )
    assert dict(zip(header, row, strict=True))["text"] == "'=HYPERLINK(\"http://evil.example\")"
    assert contact.participant.pseudonym  # the profile travels, the person does not
    assert _records(zf, "investigations.Participant")[0]["fields"]["number"] == 1
    activity = Activity.objects.get(startup=world.startup, verb="startup.exported")
    assert activity.actor == world.people["intrapreneur"]
    overview = client.get(world.startup.get_absolute_url())
    assertContains(overview, "a téléchargé l’archive de la startup, sans données personnelles")


def test_personal_data_only_with_the_explicit_choice(world):
    ParticipantContactFactory(participant__startup=world.startup, name="Jeanne Martin")
    FeedbackFactory(startup=world.startup, author_email="usager@example.org")
    client = world.client_for("intrapreneur")
    url = reverse("startup-download", kwargs={"slug": world.startup.slug})
    zf = _zip(client.post(url, {"include_personal": "on"}))
    assert json.loads(zf.read("manifest.json"))["personal_data"] is True
    assert _records(zf, "investigations.ParticipantContact")[0]["fields"]["name"] == (
        "Jeanne Martin"
    )
    assert _records(zf, "products.Feedback")[0]["fields"]["author_email"] == (
        "usager@example.org"
    )
    assert Activity.objects.filter(
        startup=world.startup, verb="startup.exported_personal"
    ).exists()


def test_uploaded_files_travel(world):
    intrapreneur = world.people["intrapreneur"]
    attachment_create(
        startup=world.startup, actor=intrapreneur,
        upload=SimpleUploadedFile("budget.csv", b"poste;montant\n", "text/csv"),
    )
    zf = _zip(world.client_for("intrapreneur").post(
        reverse("startup-download", kwargs={"slug": world.startup.slug})
    ))
    [record] = _records(zf, "intrapreneur.Attachment")
    assert record["fields"]["file"].startswith("files/intrapreneur.Attachment/")
    assert zf.read(record["fields"]["file"]) == b"poste;montant\n"


# ---------------------------------------------------------------- the import's refusals


def _archive(members: dict[str, bytes | str], *, version=portability.FORMAT_VERSION) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        manifest = {"format": portability.FORMAT, "format_version": version, "startup": "x"}
        zf.writestr("manifest.json", json.dumps(manifest))
        for name, content in members.items():
            zf.writestr(name, content)
    return buffer.getvalue()


@pytest.fixture
def demo_archive(world) -> bytes:
    ParticipantContactFactory(participant__startup=world.startup, name="Jeanne Martin")
    return _archive_bytes(world.startup, personal=True)


def _import_error(data: bytes, **kwargs) -> str:
    with pytest.raises(ArchiveError) as error:
        startup_import(archive=io.BytesIO(data), **kwargs)
    return " ".join(error.value.messages)


def test_an_unknown_format_version_is_refused_with_a_clear_message(db):
    message = _import_error(_archive({"data.json": "[\n]\n"}, version=2))
    assert "format version 2" in message and "ne lit que la version 1" in message


def test_unsafe_archives_are_refused(db, settings):
    assert "au nom dangereux" in _import_error(_archive({"files/../../etc/passwd": "x"}))
    assert "au nom dangereux" in _import_error(_archive({"/etc/passwd": "x"}))
    assert "fichier inattendu" in _import_error(_archive({"run.sh": "x"}))
    assert "n’est pas une archive ZIP" in _import_error(b"not a zip at all")
    assert "pas une archive de startup Intrapreneur" in _import_error(_bomb(0))
    assert "bombe ZIP" in _import_error(_bomb(20 * 1024 * 1024))
    settings.IMPORT_MAX_SIZE = 1000
    assert "trop volumineuse" in _import_error(_archive({"data.json": "[" + " " * 2000 + "]"}))


def _bomb(size: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("data.json", b"\0" * size)
    return buffer.getvalue()


def test_an_existing_address_is_refused_and_another_can_be_chosen(world, demo_archive):
    message = _import_error(demo_archive)
    assert f"« {world.startup.slug} » existe déjà" in message
    copy = startup_import(archive=io.BytesIO(demo_archive), slug="copie")
    assert copy.name == world.startup.name
    assert copy.incubator == world.startup.incubator
    assert ParticipantContact.objects.get(participant__startup=copy).name == "Jeanne Martin"
    # The people are the same accounts, still active, matched by e-mail.
    assert set(copy.memberships.values_list("user", flat=True)) == set(
        world.startup.memberships.values_list("user", flat=True)
    )
    assert world.people["intrapreneur"].__class__.objects.get(
        pk=world.people["intrapreneur"].pk
    ).is_active


def test_a_broken_archive_leaves_nothing_behind(world, demo_archive):
    source = zipfile.ZipFile(io.BytesIO(demo_archive))
    lines = source.read("data.json").decode().splitlines()
    # The last record points to a participant that is not in the archive.
    broken = [line for line in lines if '"investigations.ParticipantContact"' not in line]
    contact = json.loads(
        next(line for line in lines if '"investigations.ParticipantContact"' in line).rstrip(",")
    )
    contact["fields"]["participant_id"] = 999_999
    broken.insert(-1, "," + json.dumps(contact))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        # ... and names an incubator this instance lacks: it is not left behind either.
        manifest = json.loads(source.read("manifest.json"))
        manifest["incubator"] = {"slug": "ailleurs", "name": "Ailleurs"}
        zf.writestr("manifest.json", json.dumps(manifest))
        zf.writestr("data.json", "\n".join(broken).replace("\n,", ",\n"))
    startups, participants = Startup.objects.count(), Participant.objects.count()
    message = _import_error(buffer.getvalue(), slug="copie")
    assert "investigations.Participant absent (n° 999999)" in message
    assert (Startup.objects.count(), Participant.objects.count()) == (startups, participants)
    assert not Incubator.objects.filter(slug="ailleurs").exists()
    assert not Attachment.objects.filter(startup__slug="copie").exists()


def test_the_command_imports_and_explains_its_refusals(world, demo_archive, tmp_path):
    path = tmp_path / "startup.zip"
    path.write_bytes(demo_archive)
    other = Incubator.objects.create(slug="autre", name="Autre incubateur")
    out = io.StringIO()
    call_command("import_startup", str(path), "--incubator", "autre", "--slug", "copie", stdout=out)
    assert "/startups/copie/" in out.getvalue()
    assert Startup.objects.get(slug="copie").incubator == other
    with pytest.raises(CommandError, match="existe déjà"):
        call_command("import_startup", str(path), stdout=io.StringIO())
    with pytest.raises(CommandError, match="Aucun incubateur « nope »"):
        call_command("import_startup", str(path), "--incubator", "nope", stdout=io.StringIO())
    (tmp_path / "v9.zip").write_bytes(_archive({"data.json": "[\n]\n"}, version=9))
    with pytest.raises(CommandError, match="9"):
        call_command("import_startup", str(tmp_path / "v9.zip"), stdout=io.StringIO())
    assert Feedback.objects.count() == 0
