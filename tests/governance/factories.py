"""Factories of the governance app (shared: append, never rewrite)."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from tests.intrapreneur.factories import StartupFactory


class FundingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "governance.Funding"

    startup = factory.SubFactory(StartupFactory)
    source = "incubator"
    amount = Decimal("120000.00")
    starts_on = datetime.date(2026, 1, 1)
    ends_on = datetime.date(2026, 12, 31)
    tranche = "Tranche 1"
    reference = factory.Sequence(lambda n: f"CONV-2026-{n:03d}")


class ExpenseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "governance.Expense"

    startup = factory.SubFactory(StartupFactory)
    date = datetime.date(2026, 2, 15)
    category = "hosting"
    supplier = factory.Sequence(lambda n: f"Hébergeur {n}")
    amount = Decimal("250.00")
    recurrence = "once"


class StaffingLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "governance.StaffingLine"

    startup = factory.SubFactory(StartupFactory)
    person = factory.Sequence(lambda n: f"Développeuse {n}")
    days_per_month = Decimal("18.0")
    daily_rate = Decimal("600.00")
    starts_on = datetime.date(2026, 1, 1)
    ends_on = datetime.date(2026, 12, 31)


class InvestmentCommitteeFactory(factory.django.DjangoModelFactory):
    """A committee in preparation (no decision), dated in the future by default."""

    class Meta:
        model = "governance.InvestmentCommittee"

    startup = factory.SubFactory(StartupFactory)
    date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    period_start = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=31)
    )
    period_end = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=31 + 182)
    )
    team_requested = "Une développeuse, un designer, une chargée de déploiement."
    envelope_requested = Decimal("250000.00")
    problem = "Les mairies ne savent pas accueillir les personnes en situation de handicap."
    strategy = "Déployer dans trois départements pilotes."
    success_criteria = "200 mairies actives chaque mois."


class CommitteeConditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "governance.CommitteeCondition"

    committee = factory.SubFactory(InvestmentCommitteeFactory)
    text = factory.Sequence(lambda n: f"Condition {n} : signer une convention avec un département")


class StakeholderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "governance.Stakeholder"

    startup = factory.SubFactory(StartupFactory)
    name = factory.Sequence(lambda n: f"Partie prenante {n}")
    kind = "person"
    organisation = "Direction interministérielle du numérique"
    role = "Cheffe de bureau"
    interest = "high"
    influence = "high"


class InteractionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "governance.Interaction"

    stakeholder = factory.SubFactory(StakeholderFactory)
    startup = factory.SelfAttribute("stakeholder.startup")
    date = datetime.date(2026, 3, 10)
    subject = factory.Sequence(lambda n: f"Point d'étape n° {n}")
    outcome = "Accord de principe pour un pilote."


class HealthStatusFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "governance.HealthStatus"

    startup = factory.SubFactory(StartupFactory)
    status = "on_track"
    reason = "Les tests de la semaine confirment l'usage."


class SponsorReportFactory(factory.django.DjangoModelFactory):
    """A draft report with an empty snapshot (the services take it)."""

    class Meta:
        model = "governance.SponsorReport"

    startup = factory.SubFactory(StartupFactory)
    as_of = datetime.date(2026, 3, 31)
    title = factory.Sequence(lambda n: f"Rapport n° {n}")
    highlights = "Trois mairies pilotes utilisent le service chaque semaine."
    risks = "Le financement se termine en décembre."
    asks = "Un appui pour la convention avec le ministère."


class StandardFactory(factory.django.DjangoModelFactory):
    """A standard in progress, owned by nobody and due in 30 days."""

    class Meta:
        model = "governance.Standard"
        django_get_or_create = ("startup", "kind")

    startup = factory.SubFactory(StartupFactory)
    kind = "accessibility"
    status = "in_progress"
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    notes = "Audit prévu avec un prestataire."
class CoachingSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "governance.CoachingSession"

    startup = factory.SubFactory(StartupFactory)
    date = factory.LazyFunction(timezone.localdate)
    coach_name = "Camille Coach"
    topic = "product_management"
    summary = "Préparer le comité d'investissement"
    notes = "Prioriser le **parcours de dépôt** avant le tableau de bord."


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "governance.ActionItem"

    session = factory.SubFactory(CoachingSessionFactory)
    startup = factory.SelfAttribute("session.startup")
    text = factory.Sequence(lambda n: f"Mener trois entretiens de plus (n° {n})")
