"""Data that can leave: a whole startup as a ZIP archive, and back into another instance.

The models that travel are found in Django's app registry, not listed by hand: every model
with a path of foreign keys to ``Startup`` goes, unless ``EXCLUDED`` says why not. A model
added tomorrow by any app is exported the day it lands; its secrets must be excluded here
(``tests/intrapreneur/test_portability.py`` fails on a linked model that holds a token-like
field and on an exported e-mail or phone field that nobody classified).

The archive (format version 1)::

    manifest.json            format, version, date, source instance, counts per model
    data.json                every object, one JSON record a line: users first, then the
                             models parents first ({"model", "pk", "fields", "m2m"})
    csv/<app>.<model>.csv    the same rows for a spreadsheet (formulas neutralised)
    files/<app>.<model>/<pk>/<name>   the uploaded files

Rows are read with ``.iterator()`` and written to temporary files, never held in memory: a
startup with 200,000 feedback items is exported in one pass (see README, "Export").
"""

from __future__ import annotations

import csv
import datetime
import json
import os
import posixpath
import shutil
import tempfile
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from intrapreneur.activity import activity_record
from intrapreneur.csv import safe_cell
from intrapreneur.models import Incubator, Startup

FORMAT = "intrapreneur-startup"
FORMAT_VERSION = 1

# Models linked to a startup that stay behind, each with its reason.
EXCLUDED: dict[str, str] = {
    "products.ApiToken": "a secret of this instance (hashed token): the new instance issues "
    "its own tokens",
    "intrapreneur.Invitation": "a secret link of this instance (hashed token): members "
    "travel, pending invitations are sent again from the new instance",
}

# Personal data (ARCHITECTURE's `view_personal`): blanked unless the export form's choice
# says otherwise.
PERSONAL_FIELDS: dict[str, tuple[str, ...]] = {
    "investigations.ParticipantContact": ("name", "email", "phone"),
    "products.Feedback": ("author_email",),
}

# Fields that look personal (an e-mail, a phone, a contact) and are not, with the reason.
NOT_PERSONAL_FIELDS: dict[str, str] = {
    "intrapreneur.Startup.contact": "the team's public contact address",
    "governance.Stakeholder.contact": "a sponsor's or official's professional contact, "
    "visible to every member",
    "products.Partner.contact": "a partner organisation's professional contact",
}

# How many members an archive may hold (its size: settings.IMPORT_MAX_SIZE).
IMPORT_MAX_MEMBERS = 200_000
IMPORT_MAX_RATIO = 200  # uncompressed / compressed, per member (a ZIP bomb)
BATCH = 1000

User = get_user_model()


class _Encoder(DjangoJSONEncoder):
    """Django's encoder, with dates and times to the microsecond (it cuts them to the
    millisecond): what is imported is what was exported."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class ArchiveError(ValidationError):
    """The archive cannot be imported; the message says why, in words a person reads."""


# ---------------------------------------------------------------- what travels


@dataclass(frozen=True)
class Exported:
    model: type[models.Model]
    path: str  # the lookup from the model to its startup ("" for Startup itself)

    @property
    def label(self) -> str:
        return self.model._meta.label

    def rows(self, startup: Startup) -> models.QuerySet:
        if not self.path:
            return self.model._base_manager.filter(pk=startup.pk)
        return self.model._base_manager.filter(**{self.path: startup}).order_by("pk")


def _links(model: type[models.Model]) -> list[models.Field]:
    """The model's foreign keys and one-to-one keys, the required ones first."""
    keys = [
        f for f in model._meta.concrete_fields if f.is_relation and (f.many_to_one or f.one_to_one)
    ]
    return sorted(keys, key=lambda f: f.null)


def linked_models() -> dict[type[models.Model], str]:
    """Every model of the registry with a path of foreign keys to Startup, and that path."""
    paths: dict[type[models.Model], str] = {Startup: ""}
    changed = True
    while changed:
        changed = False
        for model in apps.get_models():
            if model in paths:
                continue
            for key in _links(model):
                target = key.related_model
                if target in paths and target is not model:
                    paths[model] = f"{key.name}__{paths[target]}" if paths[target] else key.name
                    changed = True
                    break
    return paths


def exported_models() -> list[Exported]:
    """The models that travel, each after the models its required keys point to."""
    paths = {m: p for m, p in linked_models().items() if m._meta.label not in EXCLUDED}
    ordered: list[type[models.Model]] = []

    def visit(model: type[models.Model], seen: frozenset) -> None:
        if model in ordered or model in seen:
            return
        for key in _links(model):
            if key.related_model in paths and key.related_model is not model:
                visit(key.related_model, seen | {model})
        ordered.append(model)

    # Models with generic references (comments, activity, files) come after the others, so
    # that what they point to usually exists when they are imported.
    for model in sorted(paths, key=lambda m: (bool(_gfks(m)), m._meta.label)):
        visit(model, frozenset())
    return [Exported(model, paths[model]) for model in ordered]


def _gfks(model: type[models.Model]) -> dict[str, str]:
    """Generic references: object id field -> content type field."""
    return {
        f.fk_field: f.ct_field
        for f in model._meta.private_fields
        if isinstance(f, GenericForeignKey)
    }


def _blank(field: models.Field) -> Any:
    return None if field.null else ""


# ---------------------------------------------------------------- export


def _users_of(startup: Startup, exported: list[Exported]) -> dict[int, User]:
    ids: set[int] = set()
    for item in exported:
        rows = item.rows(startup).order_by()
        for key in _links(item.model):
            if key.related_model is User:
                ids.update(rows.exclude(**{key.attname: None}).values_list(key.attname, flat=True))
        for m2m in item.model._meta.many_to_many:
            if m2m.related_model is User:
                ids.update(
                    rows.exclude(**{m2m.name: None}).values_list(m2m.name, flat=True)
                )
        user_type = ContentType.objects.get_for_model(User)
        for fk_field, ct_field in _gfks(item.model).items():
            ct_attname = item.model._meta.get_field(ct_field).attname
            ids.update(
                rows.filter(**{ct_attname: user_type.pk})
                .exclude(**{fk_field: None})
                .values_list(fk_field, flat=True)
            )
    return {u.pk: u for u in User.objects.filter(pk__in=ids).iterator()}


def _m2m_of(item: Exported, startup: Startup) -> dict[str, dict[int, list]]:
    """For each many-to-many field, source pk -> the target pks (one query per field)."""
    result: dict[str, dict[int, list]] = {}
    for m2m in item.model._meta.many_to_many:
        through = m2m.remote_field.through
        source = m2m.m2m_field_name()
        target = m2m.m2m_reverse_field_name()
        lookup = f"{source}__{item.path}" if item.path else f"{source}"
        links = through._base_manager.filter(
            **({lookup: startup} if item.path else {f"{source}_id": startup.pk})
        ).order_by(f"{target}_id")
        by_source: dict[int, list] = defaultdict(list)
        for source_id, target_id in links.values_list(f"{source}_id", f"{target}_id").iterator():
            by_source[source_id].append(target_id)
        result[m2m.name] = by_source
    return result


@dataclass
class _Writer:
    include_personal: bool
    users: dict[int, User]
    content_types: dict[int, str] = field(default_factory=dict)
    user_type: str = field(default=f"{User._meta.app_label}.{User._meta.model_name}")

    def content_type(self, pk: int | None) -> str | None:
        if pk is None:
            return None
        if pk not in self.content_types:
            ct = ContentType.objects.get_for_id(pk)
            self.content_types[pk] = f"{ct.app_label}.{ct.model}"
        return self.content_types[pk]

    def user(self, pk: int | None) -> str | None:
        return None if pk is None else self.users[pk].email

    def record(
        self, item: Exported, obj: models.Model, m2m: dict[str, dict[int, list]]
    ) -> dict[str, Any]:
        personal = () if self.include_personal else PERSONAL_FIELDS.get(item.label, ())
        gfks = _gfks(item.model)
        fields: dict[str, Any] = {}
        for f in item.model._meta.concrete_fields:
            if f.primary_key and not f.is_relation:
                continue
            value = getattr(obj, f.attname)
            if f.name in personal:
                value = _blank(f)
            elif f.is_relation and f.related_model is ContentType:
                value = self.content_type(value)
            elif f.is_relation and f.related_model is User:
                value = self.user(value)
            elif f.name in gfks and value is not None:
                ct = getattr(obj, item.model._meta.get_field(gfks[f.name]).attname)
                if self.content_type(ct) == self.user_type:
                    # People are known by e-mail; one who is gone is not a reference.
                    value = self.user(value) if value in self.users else None
            elif isinstance(f, models.FileField):
                value = (
                    f"files/{item.label}/{obj.pk}/{posixpath.basename(value.name)}"
                    if value
                    else ""
                )
            fields[f.attname if f.is_relation else f.name] = value
        links = {}
        for name, by_source in m2m.items():
            targets = by_source.get(obj.pk, [])
            if item.model._meta.get_field(name).related_model is User:
                targets = [self.user(pk) for pk in targets]
            links[name] = targets
        return {"model": item.label, "pk": obj.pk, "fields": fields, "m2m": links}


def startup_export(
    *, startup: Startup, actor, include_personal: bool, source: str = ""
) -> IO[bytes]:
    """The startup's archive, as an open temporary file at its start; recorded in the
    activity log. The file disappears when closed. ``source`` names this instance
    (SITE_URL by default)."""
    exported = exported_models()
    writer = _Writer(include_personal=include_personal, users=_users_of(startup, exported))
    counts: dict[str, int] = {}
    archive = tempfile.TemporaryFile(suffix=".zip")
    with tempfile.TemporaryDirectory() as work, zipfile.ZipFile(
        archive, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True
    ) as zf:
        data_path = os.path.join(work, "data.json")
        files: list[tuple[str, models.fields.files.FieldFile]] = []
        with open(data_path, "w", encoding="utf-8") as data:
            data.write("[\n")
            first = True

            def emit(record: dict) -> None:
                nonlocal first
                data.write(("" if first else ",\n") + json.dumps(record, cls=_Encoder))
                first = False

            for user in sorted(writer.users.values(), key=lambda u: u.email):
                emit(
                    {
                        "model": User._meta.label,
                        "pk": user.email,
                        "fields": {
                            "email": user.email,
                            "first_name": user.first_name,
                            "last_name": user.last_name,
                        },
                    }
                )
            counts[User._meta.label] = len(writer.users)
            for item in exported:
                m2m = _m2m_of(item, startup)
                file_fields = [
                    f for f in item.model._meta.concrete_fields if isinstance(f, models.FileField)
                ]
                csv_path = os.path.join(work, f"{item.label}.csv")
                count = 0
                with open(csv_path, "w", encoding="utf-8", newline="") as out:
                    out.write("\ufeff")
                    table = csv.writer(out, delimiter=";")
                    header_written = False
                    for obj in item.rows(startup).iterator(chunk_size=2000):
                        record = writer.record(item, obj, m2m)
                        emit(record)
                        row = {"pk": record["pk"], **record["fields"], **record["m2m"]}
                        if not header_written:
                            table.writerow(row.keys())
                            header_written = True
                        table.writerow(
                            [
                                safe_cell(
                                    json.dumps(v, cls=_Encoder)
                                    if isinstance(v, list | dict)
                                    else v
                                )
                                for v in row.values()
                            ]
                        )
                        for f in file_fields:
                            if getattr(obj, f.attname):
                                files.append((record["fields"][f.name], getattr(obj, f.attname)))
                        count += 1
                counts[item.label] = count
                if count:
                    zf.write(csv_path, f"csv/{item.label}.csv")
                os.unlink(csv_path)
            data.write("\n]\n")
        zf.write(data_path, "data.json")
        for name, field_file in files:
            with field_file.open("rb") as stored, zf.open(name, "w", force_zip64=True) as copy:
                shutil.copyfileobj(stored, copy, 1024 * 1024)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "exported_at": timezone.now().isoformat(),
            "source": settings.SITE_URL or source,
            "startup": startup.slug,
            "incubator": {"slug": startup.incubator.slug, "name": startup.incubator.name},
            "personal_data": include_personal,
            "counts": counts,
            "files": len(files),
        }
        zf.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
    activity_record(
        startup=startup,
        actor=actor,
        verb="startup.exported_personal" if include_personal else "startup.exported",
        target=startup,
    )
    archive.seek(0)
    return archive


# ---------------------------------------------------------------- import


def _check_zip(zf: zipfile.ZipFile) -> None:
    members = zf.infolist()
    if len(members) > IMPORT_MAX_MEMBERS:
        raise ArchiveError(_("The archive holds too many files."))
    total = 0
    for info in members:
        name = info.filename
        parts = name.split("/")
        if (
            name.startswith("/")
            or "\\" in name
            or ":" in parts[0]
            or any(part in ("", ".", "..") for part in parts[:-1] if not info.is_dir())
            or ".." in parts
        ):
            raise ArchiveError(
                _("The archive holds a file with an unsafe name: %(name)s") % {"name": name}
            )
        if not (name in ("manifest.json", "data.json") or parts[0] in ("csv", "files")):
            raise ArchiveError(
                _("The archive holds an unexpected file: %(name)s") % {"name": name}
            )
        total += info.file_size
        if info.compress_size and info.file_size / info.compress_size > IMPORT_MAX_RATIO and (
            info.file_size > 10 * 1024 * 1024
        ):
            raise ArchiveError(
                _("The file %(name)s is compressed suspiciously well (a ZIP bomb?).")
                % {"name": name}
            )
    if total > settings.IMPORT_MAX_SIZE:
        raise ArchiveError(_("The archive is too large once uncompressed."))


def archive_manifest(zf: zipfile.ZipFile) -> dict:
    _check_zip(zf)
    try:
        manifest = json.loads(zf.read("manifest.json"))
    except (KeyError, ValueError):
        raise ArchiveError(
            _("This is not an Intrapreneur startup archive (no readable manifest.json).")
        ) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveError(_("This is not an Intrapreneur startup archive."))
    version = manifest.get("format_version")
    if version != FORMAT_VERSION:
        raise ArchiveError(
            _(
                "This archive is in format version %(version)s; this instance reads version "
                "%(expected)s only. Import it into an instance of the same version."
            )
            % {"version": version, "expected": FORMAT_VERSION}
        )
    return manifest


def _records(zf: zipfile.ZipFile) -> Iterator[dict]:
    with zf.open("data.json") as raw:
        for number, line in enumerate(raw, start=1):
            line = line.strip().rstrip(b",")
            if line in (b"[", b"]", b""):
                continue
            try:
                record = json.loads(line)
            except ValueError:
                raise ArchiveError(
                    _("data.json cannot be read at line %(line)s.") % {"line": number}
                ) from None
            yield record


@dataclass
class _Importer:
    zf: zipfile.ZipFile
    startup_slug: str
    incubator: Incubator
    exported: dict[str, Exported]
    users: dict[str, int] = field(default_factory=dict)
    pks: dict[str, dict[Any, Any]] = field(default_factory=lambda: defaultdict(dict))
    # Work left for the end, when every row exists: (model, old pk, attname, target, value).
    later_keys: list[tuple] = field(default_factory=list)
    later_gfk: list[tuple] = field(default_factory=list)
    later_m2m: list[tuple] = field(default_factory=list)  # (label, old pk, field, targets)
    stored_files: list[tuple] = field(default_factory=list)  # (storage, name)

    def user(self, email: str | None) -> int | None:
        if email is None:
            return None
        if email not in self.users:
            raise ArchiveError(_("data.json names an unknown person: %(e)s") % {"e": email})
        return self.users[email]

    def add_user(self, record: dict) -> None:
        data = record["fields"]
        email = str(data["email"]).strip().lower()
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User(
                email=email,
                first_name=str(data.get("first_name", ""))[:150],
                last_name=str(data.get("last_name", ""))[:150],
                is_active=False,
            )
            user.set_unusable_password()
            user.save()
        self.users[record["pk"]] = user.pk

    def content_type(self, label: str | None) -> ContentType | None:
        if not label:
            return None
        app_label, _dot, model = label.partition(".")
        try:
            return ContentType.objects.get_by_natural_key(app_label, model)
        except ContentType.DoesNotExist:
            return None

    def build(self, item: Exported, record: dict, earlier: set[str]) -> models.Model:
        model = item.model
        data = record["fields"]
        old = record["pk"]
        obj = model()
        gfks = _gfks(model)
        for f in model._meta.concrete_fields:
            if f.primary_key and not f.is_relation:
                continue
            key = f.attname if f.is_relation else f.name
            if key not in data:
                continue
            value = data[key]
            if f.is_relation and f.related_model is ContentType:
                ct = self.content_type(value)
                value = ct.pk if ct else None
            elif f.is_relation and f.related_model is User:
                value = self.user(value)
            elif f.is_relation and f.related_model is Incubator:
                value = self.incubator.pk
            elif f.is_relation and value is not None:
                target = f.related_model._meta.label
                if target not in self.exported:
                    if not f.null:
                        raise ArchiveError(
                            _("%(model)s points to %(target)s, which does not travel.")
                            % {"model": item.label, "target": target}
                        )
                    value = None
                elif target in earlier and target != item.label:
                    if value not in self.pks[target]:
                        raise ArchiveError(
                            _("data.json points to a missing %(model)s #%(pk)s.")
                            % {"model": target, "pk": value}
                        )
                    value = self.pks[target][value]
                elif f.null:
                    # The target comes later (or is this same model): set once it exists.
                    self.later_keys.append((item.label, old, f.attname, target, value))
                    value = None
                else:
                    raise ArchiveError(
                        _("data.json lists %(model)s before %(target)s.")
                        % {"model": item.label, "target": target}
                    )
            elif f.name in gfks and value is not None:
                ct_label = data.get(model._meta.get_field(gfks[f.name]).attname)
                now = self.generic_target(ct_label, value, earlier)
                if now is None and not f.null:
                    raise ArchiveError(
                        _("data.json points to a missing %(model)s #%(pk)s.")
                        % {"model": ct_label, "pk": value}
                    )
                if now is None:
                    self.later_gfk.append((item.label, old, f.attname, ct_label, value))
                value = now
            elif isinstance(f, models.FileField):
                value = self.store_file(f, obj, value) if value else ""
            elif not f.is_relation:
                value = f.to_python(value)
            setattr(obj, f.attname, value)
        if model is Startup:
            obj.slug = self.startup_slug
        for name, targets in (record.get("m2m") or {}).items():
            if targets:
                self.later_m2m.append((item.label, old, model._meta.get_field(name), targets))
        return obj

    def generic_target(self, ct_label: str | None, value: Any, earlier: set[str]) -> Any:
        """The new key of a generic reference's target, when it is already imported."""
        ct = self.content_type(ct_label)
        target = ct.model_class() if ct else None
        if target is None:
            return None
        if target is User:
            return self.users.get(value)
        if target is Incubator:
            return self.incubator.pk
        if target._meta.label in earlier:
            return self.pks[target._meta.label].get(value)
        return None

    def store_file(self, f: models.FileField, obj: models.Model, name: str) -> str:
        try:
            member = self.zf.open(name)
        except KeyError:
            raise ArchiveError(_("The file %(name)s is missing.") % {"name": name}) from None
        with member:
            stored = f.storage.save(
                f.generate_filename(obj, posixpath.basename(name)), File(member)
            )
        self.stored_files.append((f.storage, stored))
        return stored

    def insert(self, item: Exported, batch: list[tuple[Any, models.Model]]) -> None:
        model = item.model
        fields = [
            f for f in model._meta.local_concrete_fields if f.is_relation or not f.primary_key
        ]
        # raw=True, as loaddata does: the rows keep their dates (auto_now fields included)
        # and their save() is not run, since they are being restored, not written anew.
        rows = model._base_manager._insert(
            [obj for _old, obj in batch],
            fields=fields,
            returning_fields=[model._meta.pk],
            raw=True,
        )
        for (old, _obj), row in zip(batch, rows, strict=True):
            self.pks[item.label][old] = row[0]

    def run(self) -> Startup:
        earlier: set[str] = set()
        current: Exported | None = None
        batch: list[tuple[Any, models.Model]] = []
        for record in _records(self.zf):
            label = record.get("model")
            if label == User._meta.label:
                self.add_user(record)
                continue
            if label not in self.exported:
                raise ArchiveError(
                    _("The archive holds %(model)s objects, which this instance does not know.")
                    % {"model": label}
                )
            item = self.exported[label]
            if current is not None and item.label != current.label:
                if batch:
                    self.insert(current, batch)
                    batch = []
                earlier.add(current.label)
            current = item
            if item.model is Startup:
                if self.pks[item.label]:
                    raise ArchiveError(_("The archive holds more than one startup."))
                earlier.add(Startup._meta.label)
            batch.append((record["pk"], self.build(item, record, earlier)))
            if len(batch) >= BATCH or item.model is Startup:
                self.insert(item, batch)
                batch = []
        if current is not None and batch:
            self.insert(current, batch)
        startup_pks = self.pks[Startup._meta.label]
        if len(startup_pks) != 1:
            raise ArchiveError(_("The archive holds no startup."))
        self.finish()
        return Startup.objects.get(pk=next(iter(startup_pks.values())))

    def finish(self) -> None:
        for label, old, attname, target, value in self.later_keys:
            new = self.pks[target].get(value)
            if new is None:
                raise ArchiveError(
                    _("data.json points to a missing %(model)s #%(pk)s.")
                    % {"model": target, "pk": value}
                )
            model = self.exported[label].model
            model._base_manager.filter(pk=self.pks[label][old]).update(**{attname: new})
        for label, old, attname, ct_label, value in self.later_gfk:
            # A reference to something that did not travel (deleted, excluded) is dropped.
            ct = self.content_type(ct_label)
            target = ct.model_class() if ct else None
            if target is User:
                new = self.users.get(value)
            elif target is Incubator:
                new = self.incubator.pk
            else:
                new = self.pks[target._meta.label].get(value) if target else None
            if new is not None:
                model = self.exported[label].model
                model._base_manager.filter(pk=self.pks[label][old]).update(**{attname: new})
        links: dict[models.ManyToManyField, list] = defaultdict(list)
        for label, old, m2m, targets in self.later_m2m:
            through = m2m.remote_field.through
            target_label = m2m.related_model._meta.label
            for target in targets:
                if m2m.related_model is User:
                    new = self.user(target)
                else:
                    new = self.pks[target_label].get(target)
                if new is None:
                    raise ArchiveError(
                        _("data.json points to a missing %(model)s #%(pk)s.")
                        % {"model": target_label, "pk": target}
                    )
                links[m2m].append(
                    through(
                        **{
                            f"{m2m.m2m_field_name()}_id": self.pks[label][old],
                            f"{m2m.m2m_reverse_field_name()}_id": new,
                        }
                    )
                )
        for m2m, rows in links.items():
            m2m.remote_field.through._base_manager.bulk_create(rows, batch_size=BATCH)


def startup_import(
    *, archive: str | IO[bytes], incubator: Incubator | None = None, slug: str = "", actor=None
) -> Startup:
    """Create the archive's startup with new keys; people are matched by e-mail or created
    inactive without password; files go to the default storage. All or nothing."""
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError):
        raise ArchiveError(_("This file is not a ZIP archive.")) from None
    with zf:
        manifest = archive_manifest(zf)
        slug = slug or str(manifest.get("startup", ""))
        if Startup.objects.filter(slug=slug).exists():
            raise ArchiveError(
                _("A startup with the address “%(slug)s” already exists here; choose another.")
                % {"slug": slug}
            )
        importer = _Importer(
            zf=zf,
            startup_slug=slug,
            incubator=incubator,  # type: ignore[arg-type] (set below when None)
            exported={item.label: item for item in exported_models()},
        )
        try:
            with transaction.atomic():
                if incubator is None:
                    importer.incubator = _incubator_of(manifest)
                startup = importer.run()
                activity_record(
                    startup=startup, actor=actor, verb="startup.restored",
                    label=str(manifest.get("source") or manifest.get("startup") or ""),
                )
        except (ArchiveError, IntegrityError, ValueError, TypeError, KeyError) as error:
            for storage, name in importer.stored_files:
                storage.delete(name)
            if isinstance(error, ArchiveError):
                raise
            raise ArchiveError(
                _("The archive's data cannot be imported: %(error)s") % {"error": error}
            ) from error
    return startup


def _incubator_of(manifest: dict) -> Incubator:
    """The archive's incubator here, by its slug; created when this instance lacks it."""
    wanted = manifest.get("incubator") or {}
    if not isinstance(wanted, dict) or not wanted.get("slug"):
        raise ArchiveError(_("Choose the incubator of the imported startup."))
    incubator, _created = Incubator.objects.get_or_create(
        slug=str(wanted["slug"])[:50],
        defaults={"name": str(wanted.get("name") or wanted["slug"])[:200]},
    )
    return incubator


def archive_filename(startup: Startup) -> str:
    return f"{startup.slug}-{timezone.localdate():%Y-%m-%d}.zip"
