"""Demo investment committees of Accueil Accessible: two past committees and the next one.

``seed(*, startup, people)`` is called once, when the demo startup is created, after the
product's demo (metrics, user tests, releases, learnings, hypotheses) and the budget's
(fundings, expenses, staffing plan): each dossier's figures are frozen as of its date, so
the snapshots hold what the app knew then.

- 300 days ago, the committee decided to **continue** the construction (three conditions,
  all met since);
- 130 days ago, it decided to **accelerate** (four conditions, two met) — the day the
  startup entered acceleration in the phase history;
- in six weeks, the next committee: its dossier is being written, its figures are still
  live.

Everything goes through the services (the decisions through the phase service); the rows
they stamp with "now" are then backdated to the committee's days. The same demo every time.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from governance.models import CommitteeCondition, InvestmentCommittee
from governance.services.committees import (
    committee_create,
    committee_decide,
    committee_snapshot_take,
    condition_toggle,
)
from intrapreneur.dates import add_months
from intrapreneur.enums import InvestmentDecision
from intrapreneur.models import Activity, Startup, User
from products.models import Hypothesis


@dataclass(frozen=True)
class DemoCondition:
    text: str
    # Days after the committee it was met (None: still open).
    met_after: int | None = None


@dataclass(frozen=True)
class DemoCommittee:
    # Negative: a committee to come.
    days_ago: int
    months_asked: int
    team_requested: str
    envelope_requested: str
    strategy: str
    success_criteria: str
    hypotheses: int = 0
    decision: str = ""
    comment: str = ""
    amount_granted: str = ""
    duration_months: int | None = None
    conditions: tuple[DemoCondition, ...] = ()


COMMITTEES = [
    DemoCommittee(
        300, 6,
        "Une développeuse, un designer UX/UI, une chargée de déploiement à mi-temps.",
        "180000",
        "Passer de deux départements pilotes (Nord, Gironde) à **six départements**, en "
        "s'appuyant sur les référents accessibilité des préfectures.\n\n"
        "- rendre le questionnaire utilisable en quinze minutes par un agent d'accueil ;\n"
        "- publier les premières fiches dans les annuaires locaux ;\n"
        "- mesurer chaque mois la conformité RGAA du service.",
        "- **500 accueils** décrits dans six départements ;\n"
        "- un questionnaire rempli en moins de vingt minutes en médiane ;\n"
        "- une conformité RGAA au-dessus de 75 %.",
        decision=InvestmentDecision.CONTINUE,
        comment=(
            "Le comité salue la qualité des entretiens et la beta mise en ligne dans les deux "
            "départements pilotes. Il demande de prouver l'usage avant d'accélérer : la "
            "construction continue six mois, avec un objectif de 500 accueils décrits."
        ),
        amount_granted="180000",
        duration_months=6,
        conditions=(
            DemoCondition("Signer une convention avec trois nouveaux départements.", 75),
            DemoCondition("Recruter un développeur back-end pour l'API.", 70),
            DemoCondition("Publier un audit RGAA complet du service.", 120),
        ),
    ),
    DemoCommittee(
        130, 12,
        "Deux développeurs, un designer UX/UI, une chargée de déploiement, un développeur "
        "back-end à 80 %.",
        "420000",
        "Ouvrir le service à **toutes les préfectures** et faire reprendre les fiches par "
        "Service-Public.fr.\n\n"
        "- suivre le schéma national d'accessibilité des établissements recevant du public ;\n"
        "- un questionnaire pensé d'abord pour le téléphone ;\n"
        "- s'appuyer sur les préfets pour inviter les communes.",
        "- **2 000 accueils** décrits ;\n"
        "- les fiches affichées dans l'annuaire de Service-Public.fr ;\n"
        "- 50 % des communes qui reviennent le mois suivant.",
        hypotheses=2,
        decision=InvestmentDecision.ACCELERATE,
        comment=(
            "640 accueils décrits, 9 000 visites par mois et une API reprise par "
            "Service-Public.fr : le comité décide l'accélération pour douze mois. Il "
            "demande un point d'étape sur la rétention des communes au prochain comité."
        ),
        amount_granted="400000",
        duration_months=12,
        conditions=(
            DemoCondition("Suivre le schéma national de données d'accessibilité.", 60),
            DemoCondition("Présenter un plan de déploiement dans toutes les préfectures.", 95),
            DemoCondition("Mesurer la baisse des déplacements inutiles avec trois associations."),
            DemoCondition("Préparer la reprise du service par un opérateur pérenne."),
        ),
    ),
    DemoCommittee(
        -42, 12,
        "L'équipe actuelle, et une seconde chargée de déploiement pour les préfectures.",
        "380000",
        "Consolider le service avant sa reprise :\n\n"
        "- les fiches mises à jour par les agents eux-mêmes, avec un rappel annuel ;\n"
        "- *à compléter avec l'équipe : le modèle de reprise par un opérateur.*",
        "",
        hypotheses=3,
    ),
]


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=timezone.get_current_timezone()
    )


def _hypotheses(startup: Startup, count: int, day: datetime.date) -> list[Hypothesis]:
    """The hypotheses a dossier written on ``day`` chose: the newest bets of that day for a
    past committee (settled since, perhaps), the open ones by priority for the next one."""
    if not count:
        return []
    hypotheses = Hypothesis.objects.for_startup(startup)
    if day < timezone.localdate():
        hypotheses = hypotheses.filter(created_at__date__lte=day).order_by("-created_at", "-pk")
    else:
        hypotheses = hypotheses.active().order_by("priority", "created_at", "pk")
    return list(hypotheses[:count])


def _backdate(
    committee: InvestmentCommittee, spec: DemoCommittee, day: datetime.date, first_pk: int
) -> None:
    """The services stamped "now": the dossier was written three weeks before the
    committee, frozen two days before, decided on the day; the conditions met later."""
    written, frozen = _at(day - datetime.timedelta(days=21), 10), _at(
        day - datetime.timedelta(days=2), 18
    )
    decided = _at(day, 17, 30)
    InvestmentCommittee.objects.filter(pk=committee.pk).update(
        created_at=written,
        updated_at=decided if spec.decision else written,
        snapshot_at=frozen if spec.decision else None,
        decided_at=decided if spec.decision else None,
    )
    conditions = {condition.text: condition for condition in committee.conditions.all()}
    for condition_spec in spec.conditions:
        if condition_spec.met_after is not None:
            CommitteeCondition.objects.filter(pk=conditions[condition_spec.text].pk).update(
                done_at=_at(day + datetime.timedelta(days=condition_spec.met_after), 11)
            )
    # The activity the services recorded, at the same moments.
    activities = Activity.objects.filter(startup=committee.startup, pk__gt=first_pk)
    committee_type = ContentType.objects.get_for_model(InvestmentCommittee)
    condition_type = ContentType.objects.get_for_model(CommitteeCondition)
    activities.filter(verb="investment.prepared").update(created_at=written)
    activities.filter(verb="investment.updated").update(created_at=frozen)
    activities.filter(verb="investment.decided").update(created_at=decided)
    activities.exclude(target_type__in=[committee_type, condition_type]).filter(
        created_at__gt=decided
    ).update(created_at=decided)
    for condition_spec in spec.conditions:
        if condition_spec.met_after is not None:
            activities.filter(
                verb="condition.done", target_type=condition_type,
                target_id=conditions[condition_spec.text].pk,
            ).update(created_at=_at(day + datetime.timedelta(days=condition_spec.met_after), 11))


def seed(*, startup: Startup, people: dict[str, User]) -> None:
    intrapreneur = people["intrapreneur"]
    team = people.get("team") or intrapreneur
    today = timezone.localdate()
    days = [today - datetime.timedelta(days=spec.days_ago) for spec in COMMITTEES]
    for index, spec in enumerate(COMMITTEES):
        day = days[index]
        # Each decision set the date of the committee that followed.
        following = days[index + 1] if index + 1 < len(days) else None
        first_pk = (
            Activity.objects.filter(startup=startup).order_by("-pk")
            .values_list("pk", flat=True).first() or 0
        )
        period_start = day + datetime.timedelta(days=1)
        committee = committee_create(
            startup=startup, actor=team, date=day, period_start=period_start,
            period_end=add_months(period_start, spec.months_asked),
            team_requested=spec.team_requested,
            envelope_requested=Decimal(spec.envelope_requested),
            problem=startup.problem, strategy=spec.strategy,
            hypotheses=_hypotheses(startup, spec.hypotheses, min(day, today)),
            success_criteria=spec.success_criteria,
        )
        if spec.decision:
            committee_snapshot_take(committee=committee, actor=team)
            committee_decide(
                committee=committee, actor=intrapreneur, decision=spec.decision,
                comment=spec.comment, amount_granted=Decimal(spec.amount_granted),
                duration_months=spec.duration_months,
                next_committee_on=following,
                conditions=[condition.text for condition in spec.conditions],
            )
            for condition in committee.conditions.order_by("pk"):
                met = next(c for c in spec.conditions if c.text == condition.text).met_after
                if met is not None:
                    condition_toggle(condition=condition, actor=team, done=True)
        _backdate(committee, spec, day, first_pk)
