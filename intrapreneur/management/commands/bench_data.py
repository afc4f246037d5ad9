"""Benchmark data: an incubator of 50 startups, years of work in each, and one big inbox.

Each startup gets 200 interviews, 100 insights, 2,000 feedback items, 150 user tests, 100
releases, 20 metrics with daily values over two years, 500 expenses and 5 investment
committees; one more startup ("bench-large") has the same plus 200,000 feedback items.
The same five people (one per role, and a staff member of the incubator) belong to every
startup, so that each page can be opened (``bench/run`` signs them in).

The few rows with rules (startups, memberships, phase changes, committees and their
decisions) go through the services; the bulk (feedback, metric values, expenses, interviews,
insights…) is inserted in batches — COPY on PostgreSQL, ``bulk_create`` elsewhere — and what
the services derive from it is derived the same way afterwards: the feedback's full-text
vector by ``feedback_index``, an activity row per created object as ``activity_record``
writes it. Everything comes from one seeded generator: the same seed and ``--as-of`` date
give the same data. ``--scale`` multiplies every count (0.01 for a quick run).
"""

from __future__ import annotations

import datetime
import random
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, models, transaction
from django.utils import timezone

from governance.models import Expense, Funding
from governance.services.committees import committee_create, committee_decide
from intrapreneur import services
from intrapreneur.enums import InvestmentDecision, Phase, Role
from intrapreneur.models import Activity, Incubator, Startup, Tag, User
from investigations.enums import InsightStatus, InterviewKind, UserType
from investigations.models import Evidence, Insight, Interview, Participant
from products.enums import (
    AarriStep,
    FeedbackChannel,
    FeedbackKind,
    FeedbackSource,
    FeedbackStatus,
    HypothesisStatus,
    ImpactLevel,
    MetricDirection,
    TestResult,
)
from products.models import Feedback, Hypothesis, Metric, MetricValue, Release, UserTest
from products.services.feedback import feedback_index

INCUBATOR_SLUG = "bench"
INCUBATOR_NAME = "Incubateur du banc d'essai"
DOMAIN = "bench.intrapreneur.fr"
PASSWORD = "bench-intrapreneur-2026"
LARGE_SLUG = "bench-large"
SEED = 20261202
BATCH = 5_000

# Per startup, at scale 1.
COUNTS = {
    "startups": 50,
    "participants": 60,
    "interviews": 200,
    "insights": 100,
    "feedback": 2_000,
    "hypotheses": 30,
    "user_tests": 150,
    "releases": 100,
    "metrics": 20,
    "metric_days": 730,
    "expenses": 500,
    "committees": 5,
    "tags": 12,
    "large_feedback": 200_000,
}

# One account per role, member of every startup; and a staff member of the incubator.
PEOPLE = {
    "intrapreneur": ("Iris", "Banc", Role.INTRAPRENEUR),
    "team": ("Théo", "Banc", Role.TEAM),
    "coach": ("Camille", "Banc", Role.COACH),
    "sponsor": ("Simone", "Banc", Role.SPONSOR),
    "staff": ("Stéphane", "Banc", None),
}


def scaled_counts(scale: float) -> dict[str, int]:
    """Every count times ``scale``, one at least."""
    return {name: max(1, round(count * scale)) for name, count in COUNTS.items()}


def bench_email(key: str) -> str:
    return f"{key}@{DOMAIN}"


# ---------------------------------------------------------------- words

SUBJECTS = [
    "Le formulaire", "La page d'accueil", "Le téléchargement du justificatif", "La connexion",
    "La recherche d'un accueil", "Le tableau de bord", "L'envoi du dossier", "La carte",
    "Le courriel de confirmation", "La fiche du lieu", "L'export des données", "Le paiement",
    "La prise de rendez-vous", "Le suivi de la demande", "L'annuaire des services",
    "La notification par SMS", "Le questionnaire", "La version mobile", "L'espace agent",
]
PROBLEMS = [
    "ne fonctionne pas sur mon téléphone", "est trop lent le matin", "affiche une erreur",
    "ne garde pas mes réponses", "est difficile à trouver", "ne s'affiche pas avec mon "
    "lecteur d'écran", "demande trop d'informations", "plante quand j'ajoute une pièce jointe",
    "n'accepte pas mon adresse", "n'est pas traduit", "refuse les fichiers PDF",
    "m'oblige à recommencer", "ne prévient pas quand c'est fini", "se bloque à la dernière "
    "étape", "mélange les dates", "ne retrouve pas ma commune",
]
WISHES = [
    "Il faudrait pouvoir enregistrer un brouillon.", "Merci, c'est beaucoup plus simple "
    "qu'avant.", "Pourriez-vous ajouter un export en tableur ?", "Je voudrais être prévenu "
    "par courriel.", "Une aide en ligne serait utile.", "Les agents de la mairie ne "
    "connaissent pas encore le service.", "J'ai dû appeler le support pour comprendre.",
    "L'accessibilité s'est nettement améliorée.", "Le délai de réponse reste trop long.",
    "Bravo à l'équipe pour la nouvelle version.", "Comment modifier une demande envoyée ?",
    "La préfecture m'a renvoyé vers vous.", "Le vocabulaire administratif est obscur.",
    "Je n'ai pas reçu le code de connexion.", "Pouvez-vous ouvrir le service aux "
    "associations ?",
]
PLACES = ["Visio", "Téléphone", "Mairie", "Préfecture", "France services", "Locaux de l'équipe"]
TAGS = [
    "usagers", "agents", "accessibilité", "mobile", "performance", "formulaire", "mairies",
    "support", "données", "design", "juridique", "déploiement", "rgpd", "api", "carte",
]
SUPPLIERS = ["Scalingo", "OVHcloud", "Freelance design", "Agence Lucca", "Brevo", "Matomo",
             "Clever Cloud", "Dév. indépendant", "Traducteur", "Imprimerie nationale"]


class Rows:
    """Rows of one table, written in batches: COPY on PostgreSQL, bulk_create elsewhere."""

    def __init__(self, model: type[models.Model], fields: Sequence[str]):
        self.model = model
        self.fields = list(fields)
        self.rows: list[tuple] = []
        self.written = 0

    def add(self, *values: Any) -> None:
        self.rows.append(values)
        if len(self.rows) >= BATCH * 4:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        if connection.vendor == "postgresql":
            columns = ", ".join(
                connection.ops.quote_name(self.model._meta.get_field(name).column)
                for name in self.fields
            )
            table = connection.ops.quote_name(self.model._meta.db_table)
            with connection.cursor() as cursor:
                with cursor.connection.cursor().copy(
                    f"COPY {table} ({columns}) FROM STDIN"
                ) as copy:
                    for row in self.rows:
                        copy.write_row(row)
        else:
            attnames = [self.model._meta.get_field(name).attname for name in self.fields]
            self.model.objects.bulk_create(
                (self.model(**dict(zip(attnames, row, strict=True))) for row in self.rows),
                batch_size=BATCH // 10,
            )
        self.written += len(self.rows)
        self.rows = []


class Command(BaseCommand):
    help = (
        "Builds the benchmark's incubator (50 startups of years of data and one with 200,000 "
        "feedback items). Refuses when DEBUG is off unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (a bench database)."
        )
        parser.add_argument(
            "--scale", type=float, default=1.0, help="Multiplies every count (0.01: quick)."
        )
        parser.add_argument("--seed", type=int, default=SEED)
        parser.add_argument(
            "--as-of", type=datetime.date.fromisoformat, default=None,
            help="The day the data ends on (YYYY-MM-DD; default: today).",
        )

    def _say(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "bench_data writes a million rows: it runs with DEBUG=1, or with --force on "
                "a database made for the benchmark."
            )
        if options["scale"] <= 0:
            raise CommandError("--scale must be positive.")
        if Incubator.objects.filter(slug=INCUBATOR_SLUG).exists():
            self.stdout.write("Benchmark data already built (incubator “bench”): nothing to do.")
            return
        started = time.monotonic()
        builder = Builder(
            counts=scaled_counts(options["scale"]),
            rng=random.Random(options["seed"]),
            today=options["as_of"] or timezone.localdate(),
            say=self._say,
        )
        builder.build()
        self.stdout.write(
            self.style.SUCCESS(
                f"Benchmark data built in {time.monotonic() - started:.0f} s: "
                f"{builder.startup_count} startups, {builder.total_rows:,} rows."
            )
        )


class Builder:
    def __init__(
        self, *, counts: dict[str, int], rng: random.Random, today: datetime.date,
        say: Callable[[str], Any],
    ):
        self.counts = counts
        self.rng = rng
        self.today = today
        self.say = say
        self.now = timezone.now()
        self.startup_count = 0
        self.total_rows = 0
        self.content_types = {
            model: ContentType.objects.get_for_model(model)
            for model in (Interview, Insight, UserTest, Release, Metric, Expense)
        }

    # ------------------------------------------------------------ helpers

    def day(self, days_ago: int) -> datetime.date:
        return self.today - datetime.timedelta(days=days_ago)

    def moment(self, date: datetime.date) -> datetime.datetime:
        hour = self.rng.randint(8, 18)
        return timezone.make_aware(datetime.datetime.combine(date, datetime.time(hour)))

    def sentence(self) -> str:
        rng = self.rng
        text = f"{rng.choice(SUBJECTS)} {rng.choice(PROBLEMS)}. {rng.choice(WISHES)}"
        if rng.random() < 0.3:
            text += f" {rng.choice(WISHES)}"
        return text

    def _tick(self, label: str, started: float) -> None:
        self.say(f"  {label} ({time.monotonic() - started:.0f} s)")

    # ------------------------------------------------------------ the whole incubator

    def build(self) -> None:
        started = time.monotonic()
        people = self.people()
        incubator = Incubator.objects.create(name=INCUBATOR_NAME, slug=INCUBATOR_SLUG)
        incubator.staff.add(people["staff"])
        slugs = [f"bench-{n:03d}" for n in range(1, self.counts["startups"] + 1)]
        for index, slug in enumerate([*slugs, LARGE_SLUG]):
            large = slug == LARGE_SLUG
            with transaction.atomic():
                startup = self.startup(incubator, people, slug, index, large=large)
                self.research(startup, people)
                self.product(startup, people, large=large)
                self.governance(startup, people)
            self.startup_count += 1
            if large or index % 10 == 9:
                self._tick(f"{self.startup_count} startups", started)
        if connection.vendor == "postgresql":
            # Fresh statistics for the planner, and (outside a transaction: not in the
            # tests) the visibility map, without which no index-only scan is possible.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        self._tick("done", started)

    def people(self) -> dict[str, User]:
        # One hash for the five accounts (the same password): hashing is slow on purpose.
        password = make_password(PASSWORD)
        people = {}
        for key, (first, last, _role) in PEOPLE.items():
            user = User.objects.create_user(
                email=bench_email(key), password=None, first_name=first, last_name=last,
                is_staff=key == "staff",
            )
            User.objects.filter(pk=user.pk).update(password=password)
            people[key] = user
        return people

    def startup(
        self, incubator: Incubator, people: dict[str, User], slug: str, index: int,
        *, large: bool,
    ) -> Startup:
        created = self.day(760)
        name = "Grand Guichet" if large else f"Service numéro {index + 1}"
        startup = services.startup_create(
            creator=people["intrapreneur"], name=name, incubator=incubator, date=created,
            slug=slug, mission=f"{name} : simplifier une démarche administrative.",
            sponsor_organisation="Ministère du banc d'essai", is_public=True,
            context="Contexte du service.", problem="Le problème des usagers.",
            solution="La solution proposée.", objectives="- Des objectifs à six mois.",
        )
        for key in ("team", "coach", "sponsor"):
            services.membership_add(
                startup=startup, actor=people["intrapreneur"], user=people[key],
                role=PEOPLE[key][2],
            )
        services.phase_change(
            startup=startup, phase=Phase.CONSTRUCTION, author=people["intrapreneur"],
            reason="Comité de lancement : go.", date=self.day(700),
        )
        services.phase_change(
            startup=startup, phase=Phase.ACCELERATION, author=people["intrapreneur"],
            reason="Comité d'investissement : accélérer.", date=self.day(400),
        )
        self.tags = [
            Tag(startup=startup, name=name) for name in TAGS[: self.counts["tags"]]
        ]
        Tag.objects.bulk_create(self.tags)
        self.activity = Rows(
            Activity,
            ["startup", "actor", "verb", "target_type", "target_id", "target_label",
             "created_at"],
        )
        return startup

    def record(self, startup: Startup, actor: User, verb: str, model, pk: int, label: str,
               date: datetime.date) -> None:
        """The activity row ``activity_record`` writes for a created object."""
        self.activity.add(
            startup.pk, actor.pk, verb, self.content_types[model].pk, pk, label[:300],
            self.moment(date),
        )

    def _finish(self, *tables: Rows) -> None:
        for table in tables:
            table.flush()
            self.total_rows += table.written

    # ------------------------------------------------------------ investigation

    def research(self, startup: Startup, people: dict[str, User]) -> None:
        rng, counts = self.rng, self.counts
        members = [people[key] for key in ("intrapreneur", "team", "coach")]
        participants = Participant.objects.bulk_create(
            Participant(
                startup=startup, number=n, usertype=rng.choice(UserType.values),
                profile=f"Profil {n} : usager rencontré en {rng.choice(PLACES).lower()}",
                organisation=rng.choice(["", "Mairie", "CAF", "Association"]),
                territory=rng.choice(["Nord", "Gironde", "Creuse", "Rhône", "Paris"]),
            )
            for n in range(1, counts["participants"] + 1)
        )
        interviews = Interview.objects.bulk_create(
            Interview(
                startup=startup, kind=rng.choice(InterviewKind.values),
                date=self.day(rng.randint(0, 720)), place=rng.choice(PLACES),
                participant=rng.choice(participants) if rng.random() < 0.8 else None,
                notes="\n\n".join(self.sentence() for _ in range(rng.randint(2, 6))),
            )
            for _ in range(counts["interviews"])
        )
        self.m2m(Interview.interviewers.through, "interview_id", "user_id", (
            (interview.pk, user.pk) for interview in interviews
            for user in rng.sample(members, rng.randint(1, 2))
        ))
        self.m2m(Interview.tags.through, "interview_id", "tag_id", self._tagged(interviews))
        insights = Insight.objects.bulk_create(
            Insight(
                startup=startup, statement=f"Les usagers constatent que {self.sentence()}",
                status=rng.choice(InsightStatus.values),
            )
            for _ in range(counts["insights"])
        )
        self.m2m(Insight.tags.through, "insight_id", "tag_id", self._tagged(insights))
        evidence = Rows(Evidence, ["insight", "interview", "quote"])
        for insight in insights:
            for interview in rng.sample(interviews, min(len(interviews), rng.randint(1, 4))):
                evidence.add(insight.pk, interview.pk, rng.choice(WISHES))
        for interview in interviews:
            self.record(startup, people["team"], "interview.created", Interview, interview.pk,
                        str(interview.date), interview.date)
        for insight in insights:
            self.record(startup, people["team"], "insight.created", Insight, insight.pk,
                        insight.statement, self.day(rng.randint(0, 700)))
        self._finish(evidence)
        self.total_rows += len(participants) + len(interviews) + len(insights)

    def _tagged(self, objects: Iterable[models.Model]) -> Iterable[tuple[int, int]]:
        for obj in objects:
            for tag in self.rng.sample(self.tags, self.rng.randint(0, min(3, len(self.tags)))):
                yield obj.pk, tag.pk

    def m2m(self, through: type[models.Model], left: str, right: str,
            pairs: Iterable[tuple[int, int]]) -> None:
        rows = Rows(through, [left.removesuffix("_id"), right.removesuffix("_id")])
        for pair in pairs:
            rows.add(*pair)
        self._finish(rows)

    # ------------------------------------------------------------ product

    def product(self, startup: Startup, people: dict[str, User], *, large: bool) -> None:
        rng, counts = self.rng, self.counts
        feedback = Rows(Feedback, [
            "startup", "source", "channel", "kind", "text", "date", "status", "assignee",
            "author_email", "author_consents", "created_at", "updated_at",
        ])
        total = counts["large_feedback"] if large else counts["feedback"]
        statuses = FeedbackStatus.values
        for n in range(total):
            date = self.day(int(720 * (1 - n / total)))
            at = self.moment(date)
            with_email = rng.random() < 0.3
            feedback.add(
                startup.pk, rng.choice(FeedbackSource.values), rng.choice(FeedbackChannel.values),
                rng.choice(FeedbackKind.values), self.sentence(), date,
                rng.choices(statuses, weights=[3, 2, 1, 3, 1])[0],
                people["team"].pk if rng.random() < 0.2 else None,
                f"usager{n}@exemple.fr" if with_email else "", with_email, at, at,
            )
        self._finish(feedback)
        items = Feedback.objects.for_startup(startup)
        # The full-text vector, as the services write it (one UPDATE for a bulk write).
        feedback_index(items)
        ids = list(items.order_by("pk").values_list("pk", flat=True))
        self.m2m(Feedback.tags.through, "feedback_id", "tag_id", (
            (pk, tag.pk) for pk in ids if rng.random() < 0.25
            for tag in rng.sample(self.tags, min(2, len(self.tags)))
        ))

        metrics = Metric.objects.bulk_create(
            Metric(
                startup=startup, name=f"Indicateur {n}", key=f"indicateur-{n}",
                unit=rng.choice(["", "démarches", "%", "usagers"]),
                description="Mesuré chaque jour.", direction=MetricDirection.UP,
                target=Decimal(1000 * n),
                impact_level=ImpactLevel.values[n % len(ImpactLevel.values)],
                aarri_step=AarriStep.values[n % len(AarriStep.values)],
                is_public=n <= 5,
            )
            for n in range(1, counts["metrics"] + 1)
        )
        values = Rows(MetricValue, ["metric", "date", "value", "created_at", "updated_at"])
        for metric in metrics:
            level = rng.uniform(10, 500)
            for days_ago in range(counts["metric_days"] - 1, -1, -1):
                level = max(0.0, level * rng.uniform(0.98, 1.025))
                values.add(metric.pk, self.day(days_ago), Decimal(f"{level:.2f}"), self.now,
                           self.now)
            self.record(startup, people["intrapreneur"], "metric.created", Metric, metric.pk,
                        metric.name, self.day(counts["metric_days"]))
        self._finish(values)

        hypotheses = Hypothesis.objects.bulk_create(
            Hypothesis(
                startup=startup, statement=f"Si {self.sentence().lower()} alors ça ira mieux",
                signal="Le taux de complétion augmente.",
                metric=rng.choice(metrics), status=rng.choice(HypothesisStatus.values),
                priority=rng.choice([1, 2, 3]), author=people["intrapreneur"],
            )
            for _ in range(counts["hypotheses"])
        )
        tests = UserTest.objects.bulk_create(
            UserTest(
                startup=startup, date=self.day(n * 7 % 720), hypothesis=rng.choice(hypotheses),
                protocol="Cinq usagers, une tâche chacun.", users_count=rng.randint(3, 8),
                users_profile="Usagers rencontrés en France services",
                observations=self.sentence(), result=rng.choice(["", *TestResult.values]),
                learning=rng.choice(WISHES), author=people["team"],
            )
            for n in range(counts["user_tests"])
        )
        releases = Release.objects.bulk_create(
            Release(
                startup=startup, uuid=uuid.UUID(int=rng.getrandbits(128), version=4),
                version=f"v{n // 10}.{n % 10}.0", date=self.day((counts["releases"] - n) * 7),
                notes=f"- {self.sentence()}\n- {self.sentence()}", is_published=True,
                published_at=self.moment(self.day((counts["releases"] - n) * 7)),
                author=people["team"],
            )
            for n in range(counts["releases"])
        )
        for test in tests:
            self.record(startup, people["team"], "test.recorded", UserTest, test.pk,
                        str(test), test.date)
        for release in releases:
            self.record(startup, people["team"], "release.published", Release, release.pk,
                        release.version, release.date)
        self.total_rows += len(metrics) + len(hypotheses) + len(tests) + len(releases)

    # ------------------------------------------------------------ governance

    def governance(self, startup: Startup, people: dict[str, User]) -> None:
        rng, counts = self.rng, self.counts
        Funding.objects.bulk_create([
            Funding(startup=startup, source="incubator", amount=Decimal(400_000),
                    starts_on=self.day(700), ends_on=self.day(-365)),
            Funding(startup=startup, source="fast", amount=Decimal(250_000),
                    starts_on=self.day(300)),
        ])
        expenses = Rows(Expense, [
            "startup", "date", "category", "supplier", "amount", "recurrence", "ends_on",
            "note", "created_at", "updated_at",
        ])
        for n in range(counts["expenses"]):
            date = self.day(rng.randint(0, 700))
            monthly = n % 50 == 0
            expenses.add(
                startup.pk, date, rng.choice(["team", "design", "hosting", "tools", "other"]),
                rng.choice(SUPPLIERS), Decimal(rng.randint(50, 9000)),
                "monthly" if monthly else "once", self.day(0) if monthly else None,
                "", self.now, self.now,
            )
        self._finish(expenses)
        # Committees through their services: the dossier, then the decision (snapshot,
        # phase service, event, activity) for those already held; the last one is to come.
        number = counts["committees"]
        for n in range(number):
            days_ago = 360 - n * 90 if n < number - 1 else -30
            date = self.day(days_ago)
            committee = committee_create(
                startup=startup, actor=people["intrapreneur"], date=date,
                period_start=date, period_end=date + datetime.timedelta(days=180),
                envelope_requested=Decimal(200_000), problem=startup.problem,
                strategy="Déployer dans dix départements.",
                success_criteria="Mille démarches par mois.",
            )
            if days_ago > 0:
                committee_decide(
                    committee=committee, actor=people["intrapreneur"],
                    decision=InvestmentDecision.CONTINUE, comment="On continue.",
                    amount_granted=Decimal(150_000), duration_months=6, today=self.today,
                )
        self._finish(self.activity)
        self.total_rows += 2 + number
