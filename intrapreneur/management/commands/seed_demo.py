"""Demo data: one incubator, three startups in three phases, one person per role.

The history goes through the services (phase changes, committees, events, team, tags), so the
overview, the phase timeline and the activity feed look real; the services stamp their rows
with "now", so they are backdated afterwards. Running the command again changes nothing: the
history is written only when a startup is created; people, incubator and memberships are
keyed on e-mail and slug.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models, transaction
from django.utils import timezone

from intrapreneur import services
from intrapreneur.enums import (
    CommitteeKind,
    EventKind,
    InvestmentDecision,
    LaunchDecision,
    Role,
)
from intrapreneur.models import (
    Activity,
    Event,
    Incubator,
    Membership,
    PhaseChange,
    Startup,
    Tag,
    User,
)

DEMO_PASSWORD = "demo-intrapreneur-2026"
DEMO_DOMAIN = "demo.intrapreneur.fr"
LOGIN_URL = "http://127.0.0.1:8000/accounts/login/"

# The output is French whether the catalogue is compiled or not.
INCUBATOR_SLUG = "dinum"
INCUBATOR_NAME = "Incubateur de la DINUM"


# ---------------------------------------------------------------- people


@dataclass(frozen=True)
class Person:
    key: str
    email: str
    first_name: str
    last_name: str
    # What the sign-in block says about this account (None: not a demo sign-in).
    description: str | None = None
    is_staff: bool = False
    is_superuser: bool = False


DEMO_ACCOUNTS = [
    Person(
        "intrapreneur", f"intrapreneur@{DEMO_DOMAIN}", "Claire", "Martin",
        "intrapreneure des trois startups (80 %, 80 % et 50 % de son temps)",
    ),
    Person(
        "team", f"equipe@{DEMO_DOMAIN}", "Inès", "Benali",
        "équipe (développeuse) d'Accueil Accessible et de Signal Logement",
    ),
    Person("coach", f"coach@{DEMO_DOMAIN}", "Julien", "Moreau", "coach des trois startups"),
    Person(
        "sponsor", f"sponsor@{DEMO_DOMAIN}", "Nathalie", "Lefèvre",
        "sponsor de Signal Logement et de Concessio",
    ),
    Person(
        "staff", f"staff@{DEMO_DOMAIN}", "Karim", "Haddad",
        f"staff de l'{INCUBATOR_NAME} (portefeuille, administration)", is_staff=True,
    ),
    Person(
        "admin", f"admin@{DEMO_DOMAIN}", "Sophie", "Garnier",
        "superutilisatrice (toutes les startups, /admin/)", is_staff=True, is_superuser=True,
    ),
]

# Team members who never sign in: their password is unusable.
DEMO_TEAM = [
    Person("thomas", f"thomas.lambert@{DEMO_DOMAIN}", "Thomas", "Lambert"),
    Person("lea", f"lea.fontaine@{DEMO_DOMAIN}", "Léa", "Fontaine"),
    Person("mehdi", f"mehdi.saidi@{DEMO_DOMAIN}", "Mehdi", "Saïdi"),
    Person("marc", f"marc.delacroix@{DEMO_DOMAIN}", "Marc", "Delacroix"),
    Person("chloe", f"chloe.marchand@{DEMO_DOMAIN}", "Chloé", "Marchand"),
    Person("antoine", f"antoine.girard@{DEMO_DOMAIN}", "Antoine", "Girard"),
    Person("fatou", f"fatou.diallo@{DEMO_DOMAIN}", "Fatou", "Diallo"),
    Person("hugo", f"hugo.perrin@{DEMO_DOMAIN}", "Hugo", "Perrin"),
    Person("manon", f"manon.leroy@{DEMO_DOMAIN}", "Manon", "Leroy"),
]


# ---------------------------------------------------------------- startups


@dataclass(frozen=True)
class Member:
    days_ago: int
    person: str
    role: str
    job_title: str = ""
    week_share: int = 100


@dataclass(frozen=True)
class Committee:
    days_ago: int
    kind: str
    decision: str
    comment: str


@dataclass(frozen=True)
class Milestone:
    days_ago: int
    kind: str
    comment: str


@dataclass(frozen=True)
class Tags:
    days_ago: int
    names: tuple[str, ...]


Step = Member | Committee | Milestone | Tags


@dataclass(frozen=True)
class StartupSpec:
    slug: str
    name: str
    created_days_ago: int
    creator_week_share: int
    sheet: dict[str, Any]
    history: list[Step] = field(default_factory=list)

    @property
    def members(self) -> list[Member]:
        return [step for step in self.history if isinstance(step, Member)]


COACH_TITLE = "Coach beta.gouv.fr"
SPONSOR_TITLE = "Cheffe de la mission innovation, ministère de l'Aménagement du territoire"

ACCUEIL_ACCESSIBLE = StartupSpec(
    slug="accueil-accessible",
    name="Accueil Accessible",
    created_days_ago=610,
    creator_week_share=80,
    sheet={
        "mission": (
            "Permettre à chaque personne en situation de handicap de savoir, avant de se "
            "déplacer, si l'accueil d'un service public lui est accessible."
        ),
        "sponsor_organisation": (
            "Délégation ministérielle à l'accessibilité (ministère de la Transition écologique)"
        ),
        "website": "https://accueil-accessible.beta.gouv.fr",
        "contact": f"accueil-accessible@{DEMO_DOMAIN}",
        "is_public": True,
        "context": (
            "Près de **12 millions de personnes** vivent en France avec un handicap. Depuis la "
            "loi du 11 février 2005, les établissements recevant du public doivent être "
            "accessibles, mais l'information sur l'accessibilité réelle des accueils "
            "(préfectures, mairies, caisses d'allocations familiales…) reste dispersée, "
            "rarement à jour et souvent introuvable.\n\n"
            "Les agents d'accueil, de leur côté, ne savent pas toujours quels aménagements "
            "existent dans leur propre bâtiment, ni comment les décrire."
        ),
        "problem": (
            "Une personne en fauteuil roulant, malvoyante ou sourde ne peut pas savoir, avant "
            "de se déplacer, si elle pourra :\n\n"
            "- entrer dans le bâtiment (marches, porte lourde, absence de rampe) ;\n"
            "- être comprise au guichet (boucle magnétique, interprète en langue des "
            "signes) ;\n"
            "- se repérer (signalétique, bandes d'éveil de vigilance).\n\n"
            "Résultat : des déplacements inutiles, des démarches abandonnées et des "
            "réclamations que les services ne savent pas traiter."
        ),
        "solution": (
            "**Accueil Accessible** propose :\n\n"
            "1. un questionnaire court, rempli en quinze minutes par un agent d'accueil, qui "
            "décrit l'accessibilité réelle du lieu ;\n"
            "2. une fiche publique par accueil, lisible par tous et compatible avec les "
            "lecteurs d'écran ;\n"
            "3. une API ouverte, pour que les annuaires (Service-Public.fr, sites des "
            "préfectures) réutilisent ces informations.\n\n"
            "Les fiches sont relues par le référent accessibilité de chaque département."
        ),
        "objectives": (
            "- **2 000 accueils** décrits (640 aujourd'hui) ;\n"
            "- les fiches affichées dans l'annuaire de Service-Public.fr ;\n"
            "- 80 % des fiches mises à jour depuis moins d'un an ;\n"
            "- mesurer, avec trois associations partenaires, la baisse des déplacements "
            "inutiles."
        ),
    },
    history=[
        Member(605, "coach", Role.COACH, COACH_TITLE),
        Member(600, "marc", Role.SPONSOR, "Délégué ministériel adjoint à l'accessibilité"),
        Tags(590, ("accessibilité", "usagers", "agents", "handicap")),
        Milestone(
            540, EventKind.OTHER,
            "Restitution de 24 entretiens avec des usagers et de 9 avec des agents d'accueil.",
        ),
        Committee(
            480, CommitteeKind.LAUNCH, LaunchDecision.GO,
            "Comité de lancement : go. Les entretiens confirment le problème ; construction "
            "d'un premier service avec deux départements pilotes (Nord et Gironde).",
        ),
        Member(470, "team", Role.TEAM, "Développeuse"),
        Member(465, "thomas", Role.TEAM, "Designer UX/UI"),
        Member(400, "lea", Role.TEAM, "Chargée de déploiement"),
        Milestone(
            360, EventKind.PRODUCT_LAUNCH,
            "Mise en ligne de la beta publique : 120 accueils décrits dans le Nord et la "
            "Gironde.",
        ),
        Committee(
            300, CommitteeKind.INVESTMENT, InvestmentDecision.CONTINUE,
            "Comité d'investissement : poursuite de la construction, objectif 500 accueils "
            "décrits.",
        ),
        Milestone(
            250, EventKind.FAST,
            "Financement FAST obtenu pour le déploiement dans dix départements.",
        ),
        Member(230, "mehdi", Role.TEAM, "Développeur back-end", 80),
        Committee(
            130, CommitteeKind.INVESTMENT, InvestmentDecision.ACCELERATE,
            "Comité d'investissement : accélération. 640 accueils décrits, 9 000 visites par "
            "mois, API reprise par Service-Public.fr.",
        ),
        Milestone(
            60, EventKind.NATIONAL_IMPACT,
            "Ouverture du service à toutes les préfectures de France.",
        ),
    ],
)

SIGNAL_LOGEMENT = StartupSpec(
    slug="signal-logement",
    name="Signal Logement",
    created_days_ago=340,
    creator_week_share=80,
    sheet={
        "mission": (
            "Aider les locataires à signaler un logement indigne et les communes à traiter ces "
            "signalements jusqu'à la remise en état."
        ),
        "sponsor_organisation": "Direction de l'habitat, de l'urbanisme et des paysages (DHUP)",
        "website": "https://signal-logement.beta.gouv.fr",
        "contact": f"signal-logement@{DEMO_DOMAIN}",
        "context": (
            "Environ **600 000 logements** sont considérés comme indignes en France. Les "
            "signalements arrivent par courrier, par téléphone ou par courriel à la mairie, à "
            "l'agence régionale de santé ou à la caisse d'allocations familiales, chacune avec "
            "sa propre procédure.\n\n"
            "Dans les petites et moyennes communes, un ou deux agents du service hygiène "
            "traitent ces dossiers en plus de leurs autres missions."
        ),
        "problem": (
            "- Les locataires ne savent pas à qui s'adresser et renoncent souvent.\n"
            "- Les signalements arrivent incomplets (pas de photos, pas de bail, pas de "
            "coordonnées du propriétaire) : l'agent doit rappeler.\n"
            "- Le même dossier est ressaisi par la mairie, l'ARS et la CAF.\n"
            "- Le locataire n'a aucune nouvelle de son dossier et relance, ce qui ralentit "
            "encore le traitement."
        ),
        "solution": (
            "Un **formulaire guidé** qui pose les bonnes questions selon la situation "
            "(humidité, électricité, nuisibles…) et demande les pièces utiles, puis un "
            "**dossier unique** partagé entre la mairie, l'ARS et la CAF.\n\n"
            "Le locataire suit l'avancement de son signalement par courriel ou par SMS, sans "
            "compte à créer."
        ),
        "objectives": (
            "- passer de 3 à **10 communes** utilisatrices ;\n"
            "- 70 % des signalements complets dès le premier envoi ;\n"
            "- une première visite du logement en moins de 30 jours en moyenne."
        ),
    },
    history=[
        Member(335, "coach", Role.COACH, COACH_TITLE),
        Member(330, "sponsor", Role.SPONSOR, SPONSOR_TITLE),
        Tags(320, ("usagers", "mairies", "logement", "agents")),
        Milestone(
            290, EventKind.OTHER,
            "Restitution de 20 entretiens avec des locataires et des agents de services "
            "communaux d'hygiène et de santé.",
        ),
        Committee(
            230, CommitteeKind.LAUNCH, LaunchDecision.GO,
            "Comité de lancement : go. Problème confirmé dans les six communes rencontrées ; "
            "trois communes pilotes volontaires pour la construction.",
        ),
        Member(225, "team", Role.TEAM, "Développeuse"),
        Member(220, "chloe", Role.TEAM, "Designeuse UX", 60),
        Member(200, "antoine", Role.TEAM, "Développeur"),
        Member(120, "fatou", Role.TEAM, "Chargée de déploiement", 50),
        Milestone(
            75, EventKind.PRODUCT_LAUNCH,
            "Ouverture de la beta dans les trois communes pilotes.",
        ),
    ],
)

CONCESSIO = StartupSpec(
    slug="concessio",
    name="Concessio",
    created_days_ago=80,
    creator_week_share=50,
    sheet={
        "mission": (
            "Aider les petites communes à tenir le registre de leur cimetière et à suivre "
            "les échéances des concessions funéraires."
        ),
        "sponsor_organisation": "Direction générale des collectivités locales (DGCL)",
        "contact": f"concessio@{DEMO_DOMAIN}",
        "context": (
            "La plupart des 35 000 communes françaises gèrent au moins un cimetière. Dans les "
            "communes de moins de 2 000 habitants, c'est le plus souvent la secrétaire de "
            "mairie, à temps partiel, qui tient le registre des concessions — souvent un "
            "registre papier commencé il y a plusieurs décennies."
        ),
        "problem": (
            "- Les concessions arrivées à échéance ne sont pas repérées et les familles ne "
            "sont pas prévenues.\n"
            "- La reprise des concessions abandonnées est une procédure longue (trois ans, "
            "plusieurs constats) et juridiquement risquée.\n"
            "- Quand un habitant demande un emplacement, la mairie ne sait pas toujours "
            "lesquels sont libres."
        ),
        "solution": (
            "À ce stade de l'investigation, nous explorons plusieurs pistes, à confirmer sur "
            "le terrain :\n\n"
            "- numériser le registre à partir de photos des pages existantes ;\n"
            "- prévenir la mairie des échéances à venir et préparer les courriers aux "
            "familles ;\n"
            "- guider pas à pas la procédure de reprise."
        ),
        "objectives": (
            "- **30 entretiens** avec des secrétaires de mairie et des élus ;\n"
            "- observer la tenue du registre dans 5 communes ;\n"
            "- présenter au comité de lancement un problème chiffré et une première "
            "proposition de service."
        ),
    },
    history=[
        Member(78, "coach", Role.COACH, COACH_TITLE),
        Member(75, "sponsor", Role.SPONSOR, SPONSOR_TITLE),
        Tags(72, ("mairies", "agents", "cimetières", "ruralité")),
        Member(70, "hugo", Role.TEAM, "Designer — enquêtes de terrain", 60),
        Member(45, "manon", Role.TEAM, "Chargée de déploiement", 40),
        Milestone(
            30, EventKind.OTHER,
            "Restitution des 18 premiers entretiens avec des secrétaires de mairie de la "
            "Creuse et du Cantal.",
        ),
    ],
)

DEMO_STARTUPS = [ACCUEIL_ACCESSIBLE, SIGNAL_LOGEMENT, CONCESSIO]

# The rows the services stamp with "now", backdated to the step's time.
BACKDATED: tuple[type[models.Model], ...] = (Activity, Event, PhaseChange, Membership, Tag)


def _last_pk(model: type[models.Model], startup: Startup) -> int:
    return model._default_manager.filter(startup=startup).aggregate(
        last=models.Max("pk")
    )["last"] or 0


@contextmanager
def _backdated(startup: Startup, when: datetime.datetime) -> Iterator[None]:
    """Backdate the rows of the startup that the services write inside the block."""
    last = {model: _last_pk(model, startup) for model in BACKDATED}
    yield
    for model, pk in last.items():
        model._default_manager.filter(startup=startup, pk__gt=pk).update(created_at=when)


class Command(BaseCommand):
    help = (
        "Create demo data: one incubator, three startups in three phases and one sign-in "
        f"per role (password {DEMO_PASSWORD}). Idempotent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even when DEBUG is off (the demo accounts share a known password).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DEBUG est désactivé : seed_demo crée des comptes dont le mot de passe est "
                "public et ne doit pas tourner en production. Relancez avec --force si cette "
                "base est bien une base de démonstration."
            )
        self.today = timezone.localdate()
        self.tz = timezone.get_current_timezone()
        with transaction.atomic():
            people = self._people()
            incubator = self._incubator(people["staff"])
            created = [
                spec.name for spec in DEMO_STARTUPS if self._startup(spec, incubator, people)
            ]
        self._report(created)

    # ------------------------------------------------------------ people

    def _people(self) -> dict[str, User]:
        people: dict[str, User] = {}
        for person in DEMO_ACCOUNTS + DEMO_TEAM:
            user, created = User.objects.update_or_create(
                email=person.email,
                defaults={
                    "first_name": person.first_name,
                    "last_name": person.last_name,
                    "is_staff": person.is_staff,
                    "is_superuser": person.is_superuser,
                    "is_active": True,
                },
            )
            signs_in = person.description is not None
            if signs_in and (created or not user.check_password(DEMO_PASSWORD)):
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            elif not signs_in and created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            if signs_in:
                EmailAddress.objects.get_or_create(
                    user=user, email=person.email, defaults={"verified": True, "primary": True}
                )
            people[person.key] = user
        return people

    def _incubator(self, staff: User) -> Incubator:
        incubator, _created = Incubator.objects.update_or_create(
            slug=INCUBATOR_SLUG, defaults={"name": INCUBATOR_NAME}
        )
        incubator.staff.add(staff)
        return incubator

    # ------------------------------------------------------------ startups

    def _at(self, days_ago: int, index: int = 0) -> datetime.datetime:
        """A plausible time on that day; index keeps the order of same-day steps."""
        day = self.today - datetime.timedelta(days=days_ago)
        start = datetime.datetime.combine(day, datetime.time(9, 30), tzinfo=self.tz)
        return start + datetime.timedelta(minutes=7 * index)

    def _startup(self, spec: StartupSpec, incubator: Incubator, people: dict[str, User]) -> bool:
        """Ensure the startup exists; write its history only the first time."""
        creator = people["intrapreneur"]
        startup = Startup.objects.filter(slug=spec.slug).first()
        created = startup is None
        if startup is None:
            startup = services.startup_create(
                creator=creator,
                name=spec.name,
                incubator=incubator,
                slug=spec.slug,
                date=self.today - datetime.timedelta(days=spec.created_days_ago),
                **spec.sheet,
            )
            when = self._at(spec.created_days_ago)
            Startup.objects.filter(pk=startup.pk).update(created_at=when)
            for model in BACKDATED:
                model._default_manager.filter(startup=startup).update(created_at=when)
            for index, step in enumerate(spec.history, start=1):
                with _backdated(startup, self._at(step.days_ago, index)):
                    self._step(startup, creator, people, step)
        self._ensure_members(startup, spec, people)
        return created

    def _step(self, startup: Startup, actor: User, people: dict[str, User], step: Step) -> None:
        day = self.today - datetime.timedelta(days=step.days_ago)
        match step:
            case Member():
                services.membership_add(
                    startup=startup, actor=actor, user=people[step.person], role=step.role,
                    job_title=step.job_title, week_share=step.week_share,
                )
            case Committee():
                services.committee_apply_decision(
                    startup=startup, committee_kind=step.kind, decision=step.decision,
                    author=actor, date=day, comment=step.comment,
                )
            case Milestone():
                services.event_create(
                    startup=startup, actor=actor, kind=step.kind, date=day, comment=step.comment
                )
            case Tags():
                for name in step.names:
                    services.tag_create(startup=startup, actor=actor, name=name)

    def _ensure_members(
        self, startup: Startup, spec: StartupSpec, people: dict[str, User]
    ) -> None:
        """The demo roles hold on a second run too (re-added or corrected if changed)."""
        wanted = [Member(spec.created_days_ago, "intrapreneur", Role.INTRAPRENEUR,
                         "Intrapreneure", spec.creator_week_share), *spec.members]
        for member in wanted:
            user = people[member.person]
            values = {
                "role": member.role,
                "job_title": member.job_title,
                "week_share": member.week_share,
            }
            membership = Membership.objects.filter(startup=startup, user=user).first()
            if membership is None:
                services.membership_add(
                    startup=startup, actor=people["intrapreneur"], user=user, **values
                )
            elif any(getattr(membership, name) != value for name, value in values.items()):
                Membership.objects.filter(pk=membership.pk).update(**values)

    # ------------------------------------------------------------ output

    def _report(self, created: list[str]) -> None:
        write = self.stdout.write
        if created:
            write(self.style.SUCCESS(f"Données de démonstration créées : {', '.join(created)}."))
        else:
            write(self.style.SUCCESS("Données de démonstration déjà présentes : rien à créer."))
        startups = Startup.objects.filter(slug__in=[spec.slug for spec in DEMO_STARTUPS])
        write(f"\n{INCUBATOR_NAME} — {startups.count()} startups :")
        for startup in startups.order_by("name"):
            public = ", pages publiques" if startup.is_public else ""
            phase = str(startup.get_phase_display()).lower()
            write(f"  - {startup.name} ({phase}{public})")
        write(f"\nConnexion : {LOGIN_URL}")
        width = max(len(person.email) for person in DEMO_ACCOUNTS)
        for person in DEMO_ACCOUNTS:
            write(f"  {person.email.ljust(width)}  {person.description}")
        write(f"Mot de passe (tous les comptes) : {DEMO_PASSWORD}")
