"""Demo data of the metrics: 8 metrics over the impact matrix and AARRI, a year of values.

``seed(*, startup, people)`` is called once, when the demo startup is created (the lead's
``seed_demo`` wires it); everything goes through the services.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from intrapreneur.models import Startup, User
from products.services.metrics import metric_create, metric_values_record, token_create


@dataclass(frozen=True)
class DemoMetric:
    name: str
    key: str
    unit: str
    description: str
    impact_level: str
    aarri_step: str
    direction: str
    target: str
    start: float
    end: float
    places: int = 0
    weekly: bool = False
    is_public: bool = True


METRICS = [
    DemoMetric(
        "Conformité au RGAA", "conformite-rgaa", "%",
        "Part des critères du référentiel d'accessibilité respectés, audit mensuel.",
        "utilisable", "activation", "up", "100", 46, 88,
    ),
    DemoMetric(
        "Temps de chargement de l'accueil", "temps-chargement", "secondes",
        "Médiane mesurée chaque mois sur une connexion 4G.",
        "utilisable", "acquisition", "down", "2", 5.2, 2.3, places=1, is_public=False,
    ),
    DemoMetric(
        "Visiteurs uniques", "visiteurs", "visiteurs",
        "Visiteurs uniques du mois (Matomo).",
        "utilise", "acquisition", "up", "5000", 620, 4380,
    ),
    DemoMetric(
        "Démarches déposées en ligne", "demarches-deposees", "démarches",
        "Démarches déposées chaque semaine par les secrétaires de mairie.",
        "utilise", "activation", "up", "200", 18, 176, weekly=True,
    ),
    DemoMetric(
        "Usagers qui reviennent le mois suivant", "retention", "%",
        "Part des communes ayant déposé une démarche le mois précédent qui en déposent "
        "une nouvelle.",
        "utile", "retention", "up", "50", 21, 47,
    ),
    DemoMetric(
        "Net Promoter Score", "nps", "points",
        "Recommanderiez-vous le service à un collègue ? Questionnaire en fin de démarche.",
        "utile", "recommandation", "up", "40", -6, 33,
    ),
    DemoMetric(
        "Délai moyen de traitement", "delai-traitement", "jours",
        "Entre le dépôt de la démarche et la réponse de la préfecture.",
        "impactant", "impact", "down", "10", 46, 12,
    ),
    DemoMetric(
        "Coût par démarche traitée", "cout-par-demarche", "€",
        "Coût complet du service divisé par le nombre de démarches traitées dans le mois.",
        "efficient", "impact", "down", "10", 39, 14.5, places=2, is_public=False,
    ),
]


def _months_back(today: datetime.date, count: int) -> list[datetime.date]:
    """The first day of each of the last ``count`` months, oldest first."""
    dates = []
    year, month = today.year, today.month
    for _ in range(count):
        dates.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return dates[::-1]


def _weeks_back(today: datetime.date, count: int) -> list[datetime.date]:
    monday = today - datetime.timedelta(days=today.weekday())
    return [monday - datetime.timedelta(weeks=n) for n in range(count - 1, -1, -1)]


def curve(spec: DemoMetric, count: int) -> list[Decimal]:
    """A plausible series: an S-curve from ``start`` towards ``end``, with a small wobble."""
    values = []
    span = spec.end - spec.start
    for i in range(count):
        t = i / (count - 1)
        eased = 1 / (1 + math.exp(-7 * (t - 0.45)))
        low, high = 1 / (1 + math.exp(3.15)), 1 / (1 + math.exp(-3.85))
        progress = (eased - low) / (high - low)
        wobble = math.sin(i * 1.7) * 0.04 * abs(span) * (1 - t / 2)
        value = spec.start + span * progress + (wobble if 0 < i < count - 1 else 0)
        values.append(Decimal(str(round(value, spec.places))))
    return values


def seed(*, startup: Startup, people: dict[str, User]) -> None:
    today = timezone.localdate()
    intrapreneur = people["intrapreneur"]
    team = people.get("team") or intrapreneur
    for spec in METRICS:
        metric = metric_create(
            startup=startup, actor=intrapreneur, name=spec.name, key=spec.key, unit=spec.unit,
            description=spec.description, direction=spec.direction, target=Decimal(spec.target),
            impact_level=spec.impact_level, aarri_step=spec.aarri_step,
            is_public=spec.is_public,
        )
        dates = _weeks_back(today, 52) if spec.weekly else _months_back(today, 12)
        metric_values_record(
            metric=metric, actor=team, values=list(zip(dates, curve(spec, len(dates)),
                                                       strict=True)),
        )
    token_create(startup=startup, actor=intrapreneur, name="Export Matomo quotidien")
