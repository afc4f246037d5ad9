"""Impact metrics: their definition, their dated values, the API tokens, the daily pull.

A metric holds at most one value a day: every write of a value is idempotent on (metric,
date) — the same date replaces the value. Values come from the team (inline entry, CSV
import, all or nothing), from the API (a per-startup token, stored hashed) and from the
daily pull of a JSON address (``metric_pull``, which never raises: its failure is stored
in ``last_pull_error`` for the team to read).
"""

from __future__ import annotations

import datetime
import hashlib
import ipaddress
import json
import logging
import secrets
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, IntegerField, Prefetch, Value, When
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from intrapreneur.activity import activity_record
from intrapreneur.imports import ImportReport, ImportRow, import_date, import_table
from intrapreneur.models import Startup, User
from products.charts import TABLE_MONTHS, Point, format_number, monthly_points
from products.enums import ImpactLevel, MetricDirection
from products.models import ApiToken, Metric, MetricValue

logger = logging.getLogger(__name__)

# DecimalField(max_digits=16, decimal_places=4): 12 digits before the point.
VALUE_PLACES = Decimal("0.0001")
VALUE_LIMIT = Decimal(10) ** 12

# ---------------------------------------------------------------- numbers


def parse_decimal(text: str) -> Decimal | None:
    """A number as people type it: 12,5 · 12.5 · 1 234,5 · 1.234,5 · 1,234.5; else None."""
    text = str(text).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if not text:
        return None
    if "," in text and "." in text:
        # The last of the two is the decimal separator, the other groups thousands.
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif text.count(",") == 1:
        text = text.replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value_checked(value)


def value_checked(value: Decimal) -> Decimal | None:
    """The value rounded to what is stored (4 decimals), or None when it cannot be stored."""
    if not value.is_finite():
        return None
    value = value.quantize(VALUE_PLACES)
    if abs(value) >= VALUE_LIMIT:
        return None
    return value


# ---------------------------------------------------------------- reads


def impact_rank():
    """The impact matrix's order, for ``order_by`` (metrics outside the matrix last)."""
    return Case(
        *(When(impact_level=level, then=Value(i)) for i, level in enumerate(ImpactLevel.values)),
        default=Value(len(ImpactLevel.values)),
        output_field=IntegerField(),
    )


@dataclass
class MetricSummary:
    """A metric with its values in date order: what a chart, a row or a card shows."""

    metric: Metric
    points: list[Point]

    @classmethod
    def of(cls, metric: Metric, values: Iterable[MetricValue]) -> MetricSummary:
        points = sorted((Point(v.date, v.value) for v in values), key=lambda p: p.date)
        return cls(metric=metric, points=points)

    @property
    def last(self) -> Point | None:
        return self.points[-1] if self.points else None

    @property
    def monthly(self) -> list[Point]:
        """The last value of each month, the last ``TABLE_MONTHS`` months: the table."""
        return monthly_points(self.points)

    @property
    def table_months(self) -> int:
        return TABLE_MONTHS

    @property
    def previous(self) -> Point | None:
        return self.points[-2] if len(self.points) > 1 else None

    @property
    def trend(self) -> str:
        """up, down or stable against the previous value; "" under two values."""
        if self.previous is None or self.last is None:
            return ""
        if self.last.value > self.previous.value:
            return "up"
        if self.last.value < self.previous.value:
            return "down"
        return "stable"

    @property
    def is_good(self) -> bool | None:
        """Whether the trend goes the metric's way (None: stable or unknown)."""
        if self.trend in ("", "stable"):
            return None
        return (self.trend == "up") == (self.metric.direction == MetricDirection.UP)

    @property
    def trend_label(self) -> str:
        return {
            "up": _("rising"), "down": _("falling"), "stable": _("stable"), "": "",
        }[self.trend]

    @property
    def trend_badge(self) -> str:
        """The DSFR badge of the trend: green when good, red when bad, grey when stable."""
        if self.is_good is None:
            return ""
        return "fr-badge--success" if self.is_good else "fr-badge--error"

    @property
    def change(self) -> Decimal | None:
        if self.previous is None or self.last is None:
            return None
        return self.last.value - self.previous.value

    @property
    def target_reached(self) -> bool | None:
        target = self.metric.target
        if target is None or self.last is None:
            return None
        if self.metric.direction == MetricDirection.UP:
            return self.last.value >= target
        return self.last.value <= target


def value_plain(value: Decimal) -> Decimal:
    """A stored value without its useless trailing zeros (12.5000 → 12.5, 100.0000 → 100)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


@dataclass
class PublicStats:
    """The public metrics of a startup, grouped by the impact matrix (in its order, empty
    levels left out, metrics outside the matrix last), and the last time a value changed."""

    summaries: list[MetricSummary]
    updated_at: datetime.datetime | None

    @property
    def groups(self) -> list[dict]:
        labels = dict(ImpactLevel.choices)
        groups: dict[str, list[MetricSummary]] = {}
        for summary in self.summaries:
            groups.setdefault(summary.metric.impact_level, []).append(summary)
        return [
            {"level": level, "label": labels.get(level, _("Other metrics")), "items": items}
            for level, items in sorted(
                groups.items(),
                key=lambda item: (
                    ImpactLevel.values.index(item[0]) if item[0] in ImpactLevel.values
                    else len(ImpactLevel.values)
                ),
            )
        ]


def public_stats(startup: Startup) -> PublicStats:
    """The startup's public metrics with all their values: two queries."""
    metrics = (
        Metric.objects.for_startup(startup).public()
        .annotate(impact_rank=impact_rank()).order_by("impact_rank", "name", "pk")
        .prefetch_related(Prefetch("values", queryset=MetricValue.objects.order_by("date")))
    )
    summaries, updated = [], []
    for metric in metrics:
        values = list(metric.values.all())
        summaries.append(MetricSummary.of(metric, values))
        updated += [v.updated_at for v in values]
    return PublicStats(summaries=summaries, updated_at=max(updated, default=None))


# ---------------------------------------------------------------- metrics


def metric_key(name: str) -> str:
    return slugify(name)[:60].strip("-") or "indicateur"


def _check_key(*, startup: Startup, key: str, exclude: Metric | None = None) -> None:
    others = Metric.objects.for_startup(startup).filter(key=key)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    if others.exists():
        raise ValidationError(
            _("The key “%(key)s” is already used by another metric of the startup.")
            % {"key": key},
            code="key-taken",
        )


METRIC_FIELDS = (
    "name", "key", "unit", "description", "direction", "target", "impact_level", "aarri_step",
    "is_public", "pull_url", "pull_path",
)


@transaction.atomic
def metric_create(
    *,
    startup: Startup,
    actor: User | None,
    name: str,
    key: str = "",
    unit: str = "",
    description: str = "",
    direction: str = MetricDirection.UP,
    target: Decimal | None = None,
    impact_level: str = "",
    aarri_step: str = "",
    is_public: bool = False,
    pull_url: str = "",
    pull_path: str = "",
) -> Metric:
    key = key or metric_key(name)
    _check_key(startup=startup, key=key)
    metric = Metric.objects.create(
        startup=startup, name=name, key=key, unit=unit, description=description,
        direction=direction, target=target, impact_level=impact_level, aarri_step=aarri_step,
        is_public=is_public, pull_url=pull_url, pull_path=pull_path,
    )
    activity_record(startup=startup, actor=actor, verb="metric.created", target=metric)
    return metric


@transaction.atomic
def metric_update(*, metric: Metric, actor: User | None, **fields) -> Metric:
    unknown = set(fields) - set(METRIC_FIELDS)
    if unknown:
        raise TypeError(f"metric_update: unknown fields {sorted(unknown)}")
    if not fields.get("key", metric.key):
        fields["key"] = metric_key(fields.get("name", metric.name))
    if "key" in fields:
        _check_key(startup=metric.startup, key=fields["key"], exclude=metric)
    # Read from the database: a ModelForm may already have changed the instance.
    before = Metric.objects.filter(pk=metric.pk).values("pull_url", "pull_path").get()
    if any(name in fields and fields[name] != before[name] for name in before):
        # Another address: the last error was about the previous one.
        metric.last_pull_error = ""
    for name, value in fields.items():
        setattr(metric, name, value)
    metric.save()
    activity_record(startup=metric.startup, actor=actor, verb="metric.updated", target=metric)
    return metric


@transaction.atomic
def metric_delete(*, metric: Metric, actor: User | None) -> None:
    activity_record(
        startup=metric.startup, actor=actor, verb="metric.deleted", label=str(metric)
    )
    metric.delete()


# ---------------------------------------------------------------- values


@dataclass
class RecordedValue:
    value: MetricValue
    created: bool


@transaction.atomic
def metric_values_record(
    *,
    metric: Metric,
    actor: User | None,
    values: Sequence[tuple[datetime.date, Decimal]],
    source: str = "",
) -> list[RecordedValue]:
    """Write dated values of one metric: the same date replaces the value (idempotent).

    ``values`` must not repeat a date. Three queries whatever their number.
    """
    dates = [date for date, _value in values]
    if len(set(dates)) != len(dates):
        raise ValidationError(_("The same date is given twice."), code="date-duplicate")
    for _date, value in values:
        if value_checked(value) != value:
            raise ValidationError(
                _("%(value)s cannot be stored.") % {"value": value}, code="value-invalid"
            )
    if not values:
        return []
    existing = set(
        MetricValue.objects.filter(metric=metric, date__in=dates).values_list("date", flat=True)
    )
    MetricValue.objects.bulk_create(
        [MetricValue(metric=metric, date=date, value=value) for date, value in values],
        update_conflicts=True, unique_fields=["metric", "date"],
        update_fields=["value", "updated_at"],
    )
    stored = {v.date: v for v in MetricValue.objects.filter(metric=metric, date__in=dates)}
    label = ngettext(
        "%(metric)s: %(count)d value", "%(metric)s: %(count)d values", len(values)
    ) % {"metric": metric.name, "count": len(values)}
    if source:
        label = f"{label} ({source})"
    activity_record(
        startup=metric.startup, actor=actor, verb="metric.values", target=metric, label=label
    )
    return [RecordedValue(value=stored[date], created=date not in existing) for date in dates]


def value_set(
    *, metric: Metric, actor: User | None, date: datetime.date, value: Decimal
) -> RecordedValue:
    """The value of one date, entered by the team (replaces the value of that date)."""
    return metric_values_record(metric=metric, actor=actor, values=[(date, value)])[0]


@transaction.atomic
def value_delete(*, value: MetricValue, actor: User | None) -> None:
    metric = value.metric
    activity_record(
        startup=metric.startup, actor=actor, verb="metric.value_deleted", target=metric,
        label=f"{metric.name} — {value.date:%d/%m/%Y}",
    )
    value.delete()


# ---------------------------------------------------------------- CSV import

IMPORT_MAX_BYTES = 1024 * 1024
IMPORT_MAX_ROWS = 5000
IMPORT_EMPTY = gettext_lazy("The file holds no value.")
# Column -> the names a spreadsheet may give it, compared with import_key.
IMPORT_COLUMNS: dict[str, tuple[str, ...]] = {
    "key": ("key", "cle", "metric", "indicateur", "code"),
    "date": ("date", "jour", "day"),
    "value": ("value", "valeur", "montant"),
}


@dataclass
class ValueImportRow(ImportRow):
    metric: Metric | None = None
    date: datetime.date | None = None
    value: Decimal | None = None
    # The value stored today for that metric and date, replaced by the import.
    replaces: Decimal | None = None


@dataclass
class ValuesImportReport(ImportReport):
    @property
    def replaced(self) -> int:
        return sum(1 for row in self.rows if row.replaces is not None)


def values_parse(*, startup: Startup, text: str) -> ValuesImportReport:
    """Read a CSV of values (key; date; value): every row checked, nothing written.

    Raises ImportFileError when the file as a whole cannot be read.
    """
    table = import_table(
        text, columns=IMPORT_COLUMNS, required=tuple(IMPORT_COLUMNS), max_rows=IMPORT_MAX_ROWS,
        missing=_(
            "The first line must name the columns key; date; value — missing: %(missing)s."
        ),
    )
    metrics = {m.key: m for m in Metric.objects.for_startup(startup)}
    today = timezone.localdate()
    rows: list[ValueImportRow] = []
    seen: dict[tuple[str, datetime.date], int] = {}
    for number, cells in table.rows:
        row = ValueImportRow(line=number, cells=cells)
        if not cells["key"]:
            row.refuse("key-missing", _("The metric's key is missing."))
        else:
            row.metric = metrics.get(cells["key"])
            if row.metric is None:
                row.refuse(
                    "key-unknown",
                    _("No metric has the key “%(key)s” in this startup.") % {"key": cells["key"]},
                )
        if not cells["date"]:
            row.refuse("date-missing", _("The date is missing."))
        else:
            row.date = import_date(cells["date"])
            if row.date is None:
                row.refuse(
                    "date-invalid",
                    _("“%(value)s” is not a date: write it as 31/12/2025 or 2025-12-31.")
                    % {"value": cells["date"]},
                )
            elif row.date > today:
                row.refuse(
                    "date-future",
                    _("The date %(value)s is in the future.") % {"value": cells["date"]},
                )
        if not cells["value"]:
            row.refuse("value-missing", _("The value is missing."))
        else:
            row.value = parse_decimal(cells["value"])
            if row.value is None:
                row.refuse(
                    "value-invalid",
                    _("“%(value)s” is not a number (write 12,5 or 12.5).")
                    % {"value": cells["value"]},
                )
        if row.date is not None and cells["key"]:
            first = seen.setdefault((cells["key"], row.date), number)
            if first != number:
                row.refuse(
                    "date-duplicate",
                    _("Row %(row)d already gives a value of this metric on this date.")
                    % {"row": first},
                )
        rows.append(row)
    _mark_replaced(rows)
    # The columns it does not read are not listed: a file of values has only these three.
    return ValuesImportReport(rows=rows)


def _mark_replaced(rows: list[ValueImportRow]) -> None:
    """Which rows replace a value already stored: one query."""
    wanted = [r for r in rows if r.metric is not None and r.date is not None]
    if not wanted:
        return
    stored = {
        (v.metric_id, v.date): v.value
        for v in MetricValue.objects.filter(
            metric__in={r.metric.pk for r in wanted}, date__in={r.date for r in wanted}
        )
    }
    for row in wanted:
        row.replaces = stored.get((row.metric.pk, row.date))


@transaction.atomic
def values_import(*, startup: Startup, actor: User | None, text: str) -> int:
    """Write every value of the file, or none: a refused row refuses the file."""
    report = values_parse(startup=startup, text=text)
    report.ensure_ok(empty=IMPORT_EMPTY)
    by_metric: dict[int, tuple[Metric, list[tuple[datetime.date, Decimal]]]] = {}
    for row in report.rows:
        by_metric.setdefault(row.metric.pk, (row.metric, []))[1].append((row.date, row.value))
    for metric, values in by_metric.values():
        metric_values_record(metric=metric, actor=actor, values=values, source=_("import"))
    return len(report.rows)


# ---------------------------------------------------------------- API tokens

TOKEN_START = "itp_"


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def token_create(*, startup: Startup, actor: User | None, name: str) -> tuple[ApiToken, str]:
    """A new token: returns it with its clear value, shown once and never stored."""
    raw = TOKEN_START + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        startup=startup, name=name, prefix=raw[:12], token_hash=token_hash(raw),
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    activity_record(startup=startup, actor=actor, verb="token.created", target=token)
    return token, raw


@transaction.atomic
def token_revoke(*, token: ApiToken, actor: User | None) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        activity_record(startup=token.startup, actor=actor, verb="token.revoked", target=token)
    return token


def token_authenticate(raw: str) -> ApiToken | None:
    """The active token of this clear value (with its startup), or None."""
    if not raw or len(raw) > 200:
        return None
    return (
        ApiToken.objects.active().select_related("startup").filter(token_hash=token_hash(raw))
        .first()
    )


def token_touch(*, token: ApiToken) -> None:
    """Remember when the token was last used (one UPDATE, no other field touched)."""
    token.last_used_at = timezone.now()
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=token.last_used_at)


# ---------------------------------------------------------------- API payload

API_MAX_VALUES = 1000


class PayloadError(ValueError):
    """What is wrong with an API request's JSON: a message and, per value, the details."""

    def __init__(self, message: str, details: list[dict] | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or []


def _reject_constant(name: str):
    raise ValueError(name)


def api_payload_parse(body: bytes) -> list[tuple[datetime.date, Decimal]]:
    """``{"date": "2026-11-01", "value": 12.5}`` or ``{"values": [{…}, …]}`` → checked
    values; raises PayloadError naming every fault (nothing is written on any fault)."""
    try:
        payload = json.loads(
            body.decode("utf-8"), parse_float=Decimal, parse_constant=_reject_constant
        )
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise PayloadError(_("The body is not valid JSON.")) from None
    if not isinstance(payload, dict):
        raise PayloadError(
            _("The body must be a JSON object: {\"date\": …, \"value\": …} or {\"values\": […]}.")
        )
    if "values" in payload:
        items = payload["values"]
        if set(payload) != {"values"}:
            raise PayloadError(_("With “values”, the object holds no other key."))
        if not isinstance(items, list) or not items:
            raise PayloadError(_("“values” must be a non-empty list of {\"date\", \"value\"}."))
        if len(items) > API_MAX_VALUES:
            raise PayloadError(
                _("Send at most %(max)d values at a time.") % {"max": API_MAX_VALUES}
            )
    else:
        items = [payload]
    details: list[dict] = []
    values: list[tuple[datetime.date, Decimal]] = []
    seen: dict[datetime.date, int] = {}
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            details.append({"index": index, "error": _("Each value must be a JSON object.")})
            continue
        extra = set(item) - {"date", "value"}
        if extra:
            details.append({
                "index": index,
                "error": _("Unknown keys: %(keys)s.") % {"keys": ", ".join(sorted(extra))},
            })
        date = _api_date(item.get("date"), index, details)
        value = _api_value(item.get("value"), "value" in item, index, details)
        if date is not None:
            if date in seen:
                details.append({
                    "index": index, "field": "date",
                    "error": _("The date %(date)s is already given at index %(first)d.")
                    % {"date": date.isoformat(), "first": seen[date]},
                })
            else:
                seen[date] = index
        if date is not None and value is not None:
            values.append((date, value))
    if details:
        raise PayloadError(
            ngettext(
                "%(count)d error: nothing is recorded.",
                "%(count)d errors: nothing is recorded.",
                len(details),
            ) % {"count": len(details)},
            details,
        )
    return values


def _api_date(raw, index: int, details: list[dict]) -> datetime.date | None:
    if raw is None:
        details.append({"index": index, "field": "date", "error": _("The date is missing.")})
        return None
    if not isinstance(raw, str):
        details.append({
            "index": index, "field": "date",
            "error": _("The date must be a string YYYY-MM-DD."),
        })
        return None
    try:
        date = datetime.date.fromisoformat(raw)
        if len(raw) != 10:
            raise ValueError(raw)
    except ValueError:
        details.append({
            "index": index, "field": "date",
            "error": _("“%(value)s” is not a date YYYY-MM-DD.") % {"value": raw[:40]},
        })
        return None
    if date > timezone.localdate():
        details.append({
            "index": index, "field": "date",
            "error": _("The date %(date)s is in the future.") % {"date": raw},
        })
        return None
    return date


def _api_value(raw, present: bool, index: int, details: list[dict]) -> Decimal | None:
    if not present or raw is None:
        details.append({"index": index, "field": "value", "error": _("The value is missing.")})
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | Decimal):
        details.append({
            "index": index, "field": "value",
            "error": _("The value must be a JSON number."),
        })
        return None
    value = value_checked(Decimal(raw))
    if value is None:
        details.append({
            "index": index, "field": "value",
            "error": _("The value is too large to be stored."),
        })
    return value


def value_json(value: Decimal) -> int | float:
    """A stored value as a JSON number."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


# ---------------------------------------------------------------- the daily pull

PULL_MAX_BYTES = 1024 * 1024
PULL_TIMEOUT = 5.0


class PullError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def pull_timeout() -> float:
    return float(getattr(settings, "PRODUCTS_PULL_TIMEOUT", PULL_TIMEOUT))


def _check_address(url: str) -> None:
    """Only http(s), and (unless allowed by the settings) only public addresses: the pull
    must not become a way to reach the servers next to ours."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        port, parts = None, None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise PullError("address", _("The address must start with http:// or https://."))
    if getattr(settings, "PRODUCTS_PULL_ALLOW_PRIVATE", False):
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, port or 443, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise PullError(
            "unreachable",
            _("The server %(host)s cannot be found.") % {"host": parts.hostname},
        ) from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global:
            raise PullError(
                "address",
                _("The address %(host)s is not on the Internet: it is refused.")
                % {"host": parts.hostname},
            )


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        _check_address(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def pull_fetch(url: str, *, timeout: float, max_bytes: int | None = None) -> bytes:
    """The body at ``url``, read within ``timeout`` seconds and ``max_bytes``."""
    max_bytes = max_bytes or PULL_MAX_BYTES
    _check_address(url)
    opener = urllib.request.build_opener(_CheckedRedirects)
    request = urllib.request.Request(
        url, headers={"Accept": "application/json", "User-Agent": "Intrapreneur/1.0"}
    )
    deadline = time.monotonic() + timeout
    timed_out = PullError(
        "timeout",
        _("The address did not answer within %(seconds)s seconds.")
        % {"seconds": format_number(Decimal(str(timeout)))},
    )
    try:
        with opener.open(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > max_bytes:
                raise PullError("too-large", _too_large(max_bytes))
            chunks: list[bytes] = []
            size = 0
            while chunk := response.read(64 * 1024):
                size += len(chunk)
                if size > max_bytes:
                    raise PullError("too-large", _too_large(max_bytes))
                if time.monotonic() > deadline:
                    raise timed_out
                chunks.append(chunk)
            return b"".join(chunks)
    except PullError:
        raise
    except urllib.error.HTTPError as error:
        raise PullError(
            "http-status",
            _("The address answered with the HTTP status %(status)d.") % {"status": error.code},
        ) from None
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise timed_out from None
        raise PullError(
            "unreachable",
            _("The address cannot be reached: %(reason)s.") % {"reason": error.reason},
        ) from None
    except TimeoutError:
        raise timed_out from None
    except (OSError, ValueError) as error:
        raise PullError(
            "unreachable", _("The address cannot be read: %(reason)s.") % {"reason": error}
        ) from None


def _too_large(max_bytes: int) -> str:
    return _("The answer is larger than %(size)d KB: it is not read.") % {
        "size": max_bytes // 1024
    }


def pull_extract(body: bytes, path: str) -> Decimal:
    """The number at ``path`` (keys separated by dots, list indexes) in the JSON ``body``."""
    try:
        data = json.loads(body.decode("utf-8-sig"), parse_float=Decimal,
                          parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise PullError("not-json", _("The answer is not JSON.")) from None
    current = data
    walked: list[str] = []
    for part in [p for p in path.strip().split(".") if p]:
        walked.append(part)
        if isinstance(current, dict) and part in current:
            current = current[part]
        elif isinstance(current, list) and part.lstrip("-").isdigit() and (
            -len(current) <= int(part) < len(current)
        ):
            current = current[int(part)]
        else:
            raise PullError(
                "path-not-found",
                _("The path “%(path)s” is not in the answer: nothing at “%(at)s”.")
                % {"path": path, "at": ".".join(walked)},
            )
    value: Decimal | None = None
    if isinstance(current, int | Decimal) and not isinstance(current, bool):
        value = value_checked(Decimal(current))
    elif isinstance(current, str):
        value = parse_decimal(current)
    if value is None:
        shown = json.dumps(current, default=str, ensure_ascii=False)
        raise PullError(
            "not-a-number",
            _("The value found at “%(path)s” is not a number: %(value)s.")
            % {"path": path or "—", "value": shown[:80]},
        )
    return value


def metric_pull(*, metric: Metric, timeout: float | None = None) -> MetricValue | None:
    """Read the metric's JSON address and record today's value (idempotent).

    Never raises: any failure is stored in ``last_pull_error`` (in the site's language) with
    ``last_pulled_at``, and nothing else is written. Returns the value recorded, or None.
    """
    if not metric.pull_url:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        try:
            body = pull_fetch(metric.pull_url, timeout=timeout or pull_timeout())
            value = pull_extract(body, metric.pull_path)
        except PullError as error:
            return _pull_failed(metric, error.message)
        except Exception as error:  # noqa: BLE001 - the task must never raise
            logger.exception("metric %s: pull failed", metric.pk)
            return _pull_failed(
                metric, _("Unexpected error while reading: %(error)s.")
                % {"error": error.__class__.__name__},
            )
        with transaction.atomic():
            recorded = metric_values_record(
                metric=metric, actor=None, values=[(timezone.localdate(), value)],
                source=_("automatic reading"),
            )[0]
            metric.last_pulled_at = timezone.now()
            metric.last_pull_error = ""
            metric.save(update_fields=["last_pulled_at", "last_pull_error"])
        return recorded.value


def _pull_failed(metric: Metric, message: str) -> None:
    metric.last_pulled_at = timezone.now()
    metric.last_pull_error = message
    Metric.objects.filter(pk=metric.pk).update(
        last_pulled_at=metric.last_pulled_at, last_pull_error=message
    )
    return None


def metrics_pull_queue() -> int:
    """Queue the pull of every metric that names an address (the daily beat task)."""
    from products.tasks import metric_pull_task

    ids = list(Metric.objects.pulled().values_list("pk", flat=True))
    for metric_id in ids:
        metric_pull_task.delay(metric_id)
    return len(ids)
