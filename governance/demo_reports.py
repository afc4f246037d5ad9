"""Demo data of the health status and the sponsor reports of “Accueil Accessible”.

``seed(*, startup, people)`` runs once, after the product, budget and committee seeds, when
the demo startup is created. Through the services, it writes three health statuses over
the last three months (on track, at risk while the convention waits for its signature, on
track again once it is signed) and the three sponsor reports of the last three months, sent
on the day after each month's end.

The reports are recorded as sent without e-mail (``report_send(notify=False)``): the quick
start prints every e-mail on the console, and these past reports would flood it. Sending a
new report from the interface shows the whole loop through the outbox.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from governance.enums import Health
from governance.models import HealthStatus, SponsorReport
from governance.services.health import health_set
from governance.services.reports import report_create, report_default_title, report_send
from intrapreneur.dates import month_first
from intrapreneur.models import Activity, Startup, User


@dataclass(frozen=True)
class HealthSpec:
    months_ago: int  # the month it was set in (1: last month)
    day: int
    status: str
    reason: str


HEALTH: list[HealthSpec] = [
    HealthSpec(3, 4, Health.ON_TRACK,
               "42 mairies pilotes remplissent le questionnaire d'accessibilité."),
    HealthSpec(2, 12, Health.AT_RISK,
               "La convention avec le ministère n'est pas signée : le financement s'arrête "
               "en fin d'année."),
    HealthSpec(1, 10, Health.ON_TRACK,
               "Convention signée : le financement est assuré pour l'année prochaine."),
]


@dataclass(frozen=True)
class ReportSpec:
    months_ago: int  # the month it reports on (1: last month)
    highlights: str
    risks: str
    asks: str


REPORTS: list[ReportSpec] = [
    ReportSpec(
        3,
        "- **42 mairies pilotes** ont rempli le questionnaire d'accessibilité de leur "
        "accueil.\n"
        "- Les fiches publiques des accueils ont été consultées 1 800 fois ce mois-ci.\n"
        "- Les tests avec des personnes malvoyantes ont conduit à revoir le contraste et la "
        "taille des textes des fiches.",
        "- Le recrutement de la chargée de déploiement prend du retard.\n"
        "- Les communes de moins de 500 habitants abandonnent souvent le questionnaire "
        "avant la fin.",
        "- Un contact à la Délégation ministérielle à l'accessibilité pour présenter le "
        "service.",
    ),
    ReportSpec(
        2,
        "- Le questionnaire se sauvegarde à chaque étape : **le taux de complétion passe de "
        "48 % à 71 %**.\n"
        "- La Creuse et la Corrèze relaient le service auprès de leurs mairies.",
        "- **La convention avec le ministère n'est pas signée** : sans elle, le financement "
        "s'arrête en fin d'année.\n"
        "- L'hébergement doit passer sur une offre qualifiée avant l'ouverture nationale.",
        "- Votre appui pour obtenir la signature de la convention avant le comité "
        "d'investissement.\n"
        "- Une décision sur l'hébergement : offre interministérielle ou prestataire "
        "qualifié.",
    ),
    ReportSpec(
        1,
        "- **La convention est signée** : le financement est assuré pour l'année "
        "prochaine.\n"
        "- 120 mairies utilisent le service chaque mois ; l'objectif de 200 est en vue.\n"
        "- APF France handicap relaie les fiches publiques auprès de ses adhérents.",
        "- Le support : une seule personne répond aux questions des mairies, les délais "
        "s'allongent.",
        "- Valider la date du prochain comité d'investissement.\n"
        "- Un relais auprès de l'Association des maires de France pour le déploiement "
        "national.",
    ),
]


def _month_end(today: datetime.date, months_ago: int) -> datetime.date:
    return month_first(today, 1 - months_ago) - datetime.timedelta(days=1)


def _backdate_activity(startup: Startup, target, verb: str, when: datetime.datetime) -> None:
    Activity.objects.filter(
        startup=startup, verb=verb, target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
    ).update(created_at=when)


def seed(*, startup: Startup, people: dict[str, User]) -> None:
    """Three health statuses and three sent reports over the last three months."""
    intrapreneur = people.get("intrapreneur")
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    now = timezone.now()

    def at(day: datetime.date, hour: int) -> datetime.datetime:
        return min(datetime.datetime.combine(day, datetime.time(hour, 0), tzinfo=tz), now)

    # The statuses first: each report freezes the one of its date.
    for spec in HEALTH:
        health = health_set(
            startup=startup, actor=intrapreneur, status=spec.status, reason=spec.reason
        )
        when = at(month_first(today, -spec.months_ago) + datetime.timedelta(days=spec.day - 1), 9)
        HealthStatus.objects.filter(pk=health.pk).update(created_at=when)
        _backdate_activity(startup, health, "health.set", when)

    for spec in REPORTS:
        as_of = _month_end(today, spec.months_ago)
        report = report_create(
            startup=startup, actor=intrapreneur, as_of=as_of,
            title=report_default_title(as_of), highlights=spec.highlights, risks=spec.risks,
            asks=spec.asks,
        )
        report_send(report=report, actor=intrapreneur, notify=False)
        sent = at(as_of + datetime.timedelta(days=1), 10)
        written = at(as_of, 17)
        SponsorReport.objects.filter(pk=report.pk).update(
            created_at=written, updated_at=sent, sent_at=sent
        )
        _backdate_activity(startup, report, "report.created", written)
        _backdate_activity(startup, report, "report.sent", sent)
