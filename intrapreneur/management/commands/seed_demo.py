"""Demo data: one incubator, three startups in three phases, one person per role.

The startup in investigation (Concessio) also gets its research: participants, interviews,
insights with their evidence, scenarios and a launch committee in preparation.

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

from governance import (
    demo_budget,
    demo_coaching,
    demo_committees,
    demo_reports,
    demo_stakeholders,
)
from intrapreneur import services
from intrapreneur.enums import (
    CommitteeKind,
    EventKind,
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
from investigations.enums import InsightStatus, InterviewKind, UserType
from investigations.models import Insight, Interview, LaunchCommittee, Participant, Scenario
from investigations.services.committee import launch_committee_create
from investigations.services.insights import evidence_add, insight_create, scenario_create
from investigations.services.interviews import interview_create
from investigations.services.participants import ContactData, participant_create
from products import (
    demo_feedback,
    demo_hypotheses,
    demo_ideas,
    demo_learnings,
    demo_metrics,
    demo_partners,
    demo_releases,
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


# ---------------------------------------------------------------- research (investigation)


@dataclass(frozen=True)
class Contact:
    name: str
    email: str
    phone: str
    consent_days_ago: int


@dataclass(frozen=True)
class ParticipantSpec:
    usertype: str
    profile: str
    organisation: str
    territory: str
    contact: Contact | None = None


@dataclass(frozen=True)
class InterviewSpec:
    days_ago: int
    kind: str
    # Index in the research's participants (None: no one in particular, a workshop…).
    participant: int | None
    place: str
    interviewers: tuple[str, ...]
    tags: tuple[str, ...]
    notes: str


@dataclass(frozen=True)
class InsightSpec:
    days_ago: int
    statement: str
    status: str
    tags: tuple[str, ...]
    # (index in the research's interviews, quote)
    evidence: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class ScenarioSpec:
    days_ago: int
    title: str
    description: str
    # Indexes in the research's insights.
    insights: tuple[int, ...]


@dataclass(frozen=True)
class LaunchCommitteeSpec:
    prepared_days_ago: int
    # Negative: a date to come.
    days_ago: int
    attendees: tuple[str, ...]
    outside_attendees: str
    first_six_months: str


@dataclass(frozen=True)
class Research:
    participants: list[ParticipantSpec]
    interviews: list[InterviewSpec]
    insights: list[InsightSpec]
    scenarios: list[ScenarioSpec]
    committee: LaunchCommitteeSpec


@dataclass(frozen=True)
class StartupSpec:
    slug: str
    name: str
    created_days_ago: int
    creator_week_share: int
    sheet: dict[str, Any]
    history: list[Step] = field(default_factory=list)
    research: Research | None = None
    # The product's demo (feedback, ideas, metrics): for the public startup.
    product: bool = False

    @property
    def members(self) -> list[Member]:
        return [step for step in self.history if isinstance(step, Member)]


COACH_TITLE = "Coach beta.gouv.fr"
SPONSOR_TITLE = "Cheffe de la mission innovation, ministère de l'Aménagement du territoire"

ACCUEIL_ACCESSIBLE = StartupSpec(
    slug="accueil-accessible",
    product=True,
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
        Milestone(
            250, EventKind.FAST,
            "Financement FAST obtenu pour le déploiement dans dix départements.",
        ),
        Member(230, "mehdi", Role.TEAM, "Développeur back-end", 80),
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

# Concessio's investigation: 12 participants (pseudonymous profiles, some contacts), 30
# interviews over the last eight weeks, 10 insights with their evidence, 2 scenarios.
CONCESSIO_PARTICIPANTS = [
    ParticipantSpec(  # 0 → P-001
        UserType.COLLECTIVITE, "Secrétaire de mairie à mi-temps, commune de 450 habitants",
        "Commune rurale", "Creuse",
        Contact("Martine Aubert", "m.aubert@mairie-exemple.fr", "05 55 00 00 01", 56),
    ),
    ParticipantSpec(  # 1
        UserType.COLLECTIVITE, "Maire, commune de 1 200 habitants", "Commune rurale", "Cantal",
        Contact("Gérard Vidal", "maire@commune-exemple.fr", "", 54),
    ),
    ParticipantSpec(  # 2
        UserType.COLLECTIVITE, "Adjoint au maire chargé du cimetière", "Commune de 2 300 habitants",
        "Corrèze",
    ),
    ParticipantSpec(  # 3
        UserType.COLLECTIVITE, "Agente d'état civil, commune de 3 500 habitants",
        "Commune", "Haute-Vienne",
        Contact("Sandrine Roux", "etat-civil@ville-exemple.fr", "05 55 00 00 04", 49),
    ),
    ParticipantSpec(  # 4
        UserType.COLLECTIVITE, "Secrétaire de mairie itinérante (quatre communes)",
        "Centre de gestion", "Creuse",
    ),
    ParticipantSpec(  # 5
        UserType.PARTICULIER, "Fille d'un défunt, concession familiale arrivée à échéance",
        "", "Cantal",
    ),
    ParticipantSpec(  # 6
        UserType.PARTICULIER, "Couple cherchant un emplacement dans sa commune", "",
        "Puy-de-Dôme",
        Contact("Famille Besson", "", "06 00 00 00 07", 38),
    ),
    ParticipantSpec(  # 7
        UserType.ENTREPRISE, "Conseiller funéraire, entreprise de pompes funèbres",
        "Pompes funèbres", "Creuse",
    ),
    ParticipantSpec(  # 8
        UserType.ETAT, "Agent du contrôle de légalité", "Préfecture", "Creuse",
    ),
    ParticipantSpec(  # 9
        UserType.ASSOCIATION, "Référente d'une association départementale de maires ruraux",
        "Association d'élus", "Cantal",
        Contact("Hélène Chabrier", "contact@maires-ruraux-exemple.fr", "", 30),
    ),
    ParticipantSpec(  # 10
        UserType.COLLECTIVITE, "Directrice générale des services, communauté de communes",
        "Intercommunalité", "Allier",
    ),
    ParticipantSpec(  # 11
        UserType.COLLECTIVITE, "Gardien de cimetière, commune de 8 000 habitants", "Commune",
        "Cantal",
    ),
]

USR, EXP, OBS, WSH = (
    InterviewKind.USER, InterviewKind.EXPERT, InterviewKind.OBSERVATION, InterviewKind.WORKSHOP
)

CONCESSIO_INTERVIEWS = [
    InterviewSpec(  # 0
        55, USR, 0, "Mairie (Creuse)", ("intrapreneur", "hugo"), ("mairies", "registre"),
        "## Contexte\n\nSecrétaire de mairie depuis 12 ans, 18 heures par semaine.\n\n"
        "- Le registre des concessions est un cahier commencé en 1962.\n"
        "- Aucune liste des échéances : elle les découvre quand une famille appelle.\n"
        "- Elle aimerait **être prévenue un an avant**.",
    ),
    InterviewSpec(  # 1
        54, USR, 1, "Téléphone", ("intrapreneur",), ("mairies", "reprise"),
        "Le maire a lancé une procédure de reprise en 2019, **abandonnée** après le premier "
        "constat : « on avait peur de se tromper de tombe ».\n\n"
        "- Aucun plan du cimetière à jour.\n- Le conseil municipal ne veut plus en entendre "
        "parler avant les élections.",
    ),
    InterviewSpec(  # 2
        53, OBS, 0, "Cimetière communal (Creuse)", ("hugo",), ("cimetières", "registre"),
        "Visite du cimetière avec la secrétaire de mairie, registre papier à la main.\n\n"
        "- 212 emplacements, dont une trentaine sans nom visible.\n"
        "- Numérotation du registre différente de celle des allées.\n"
        "- Il a fallu **40 minutes** pour retrouver trois concessions.",
    ),
    InterviewSpec(  # 3
        51, EXP, None, "Visio", ("intrapreneur",), ("reprise",),
        "Entretien avec une juriste spécialisée en droit funéraire.\n\n"
        "- La reprise pour état d'abandon dure **au moins trois ans** et demande deux "
        "procès-verbaux.\n- Erreur fréquente : afficher le constat sans l'avoir notifié aux "
        "familles connues.\n- Un modèle d'arrêté validé éviterait bien des recours.",
    ),
    InterviewSpec(  # 4
        50, USR, 2, "Mairie (Corrèze)", ("intrapreneur", "hugo"), ("mairies", "échéances"),
        "L'adjoint tient un tableur personnel des concessions, à jour « à peu près ».\n\n"
        "- Il relance lui-même les familles, par courrier, quand il y pense.\n"
        "- 15 concessions échues depuis plus de deux ans, jamais renouvelées.",
    ),
    InterviewSpec(  # 5
        48, USR, 3, "Mairie (Haute-Vienne)", ("hugo",), ("agents", "registre"),
        "Logiciel d'état civil en place, mais **le module cimetière n'a jamais été acheté**.\n\n"
        "- Registre papier numérisé en PDF par un stagiaire en 2017, jamais tenu à jour.\n"
        "- Trois appels par semaine pour des demandes d'emplacement.",
    ),
    InterviewSpec(  # 6
        47, USR, 4, "Visio", ("intrapreneur",), ("mairies", "ruralité"),
        "Secrétaire itinérante pour quatre communes : quatre registres, quatre façons de "
        "faire.\n\n- Elle passe une demi-journée par mois sur les cimetières.\n"
        "- « Je n'ai jamais le registre sous la main quand on m'appelle. »",
    ),
    InterviewSpec(  # 7
        46, USR, 5, "Téléphone", ("hugo",), ("familles", "échéances"),
        "Sa mère est inhumée dans une concession de 30 ans arrivée à échéance **sans qu'elle "
        "le sache**.\n\n- Elle l'a appris par un voisin qui avait vu l'affichage en mairie.\n"
        "- Elle aurait voulu un courrier, même payant.",
    ),
    InterviewSpec(  # 8
        44, OBS, 3, "Mairie (Haute-Vienne)", ("hugo", "intrapreneur"), ("agents", "registre"),
        "Observation d'une matinée au guichet de l'état civil.\n\n"
        "- Deux demandes liées au cimetière en trois heures.\n"
        "- Chaque fois, aller-retour entre le bureau et l'armoire forte du registre.",
    ),
    InterviewSpec(  # 9
        43, EXP, 8, "Préfecture (Creuse)", ("intrapreneur",), ("reprise",),
        "Contrôle de légalité : une dizaine d'arrêtés de reprise par an dans le département, "
        "**un sur trois comporte une erreur de procédure**.\n\n"
        "- Les communes appellent la préfecture pour savoir « quoi afficher et où ».",
    ),
    InterviewSpec(  # 10
        42, USR, 7, "Agence de pompes funèbres", ("hugo",), ("cimetières", "familles"),
        "Le conseiller funéraire appelle les mairies avant chaque inhumation pour vérifier "
        "l'emplacement.\n\n- « Dans une commune sur deux, on me répond d'aller voir sur "
        "place. »\n- Il a déjà ouvert une concession qui n'était pas la bonne.",
    ),
    InterviewSpec(  # 11
        40, WSH, None, "Salle du conseil, communauté de communes (Creuse)",
        ("intrapreneur", "hugo", "manon"), ("mairies", "échéances"),
        "Atelier avec six secrétaires de mairie.\n\n"
        "1. Cartographie des demandes liées au cimetière : emplacement, renouvellement, "
        "reprise, travaux.\n2. Le renouvellement arrive en tête des irritants.\n"
        "3. Aucune n'a de procédure écrite.",
    ),
    InterviewSpec(  # 12
        39, USR, 6, "Domicile (Puy-de-Dôme)", ("manon",), ("familles",),
        "Le couple a demandé un emplacement il y a six mois : **toujours pas de réponse**.\n\n"
        "- La mairie « cherche dans les registres ».\n"
        "- Ils envisagent une commune voisine.",
    ),
    InterviewSpec(  # 13
        37, USR, 1, "Mairie (Cantal)", ("intrapreneur", "manon"), ("mairies", "reprise"),
        "Deuxième entretien avec le maire, cette fois au cimetière.\n\n"
        "- Il estime à 40 le nombre de tombes abandonnées.\n"
        "- Il relancerait une reprise si la procédure était **guidée pas à pas**.",
    ),
    InterviewSpec(  # 14
        36, OBS, 11, "Cimetière (Cantal)", ("hugo",), ("cimetières",),
        "Une journée avec le gardien du cimetière.\n\n"
        "- Il connaît chaque tombe « de mémoire » : rien n'est écrit.\n"
        "- Départ à la retraite dans deux ans, sans successeur formé.",
    ),
    InterviewSpec(  # 15
        34, USR, 10, "Visio", ("intrapreneur",), ("ruralité", "mairies"),
        "La communauté de communes pourrait porter un outil commun pour ses 22 communes.\n\n"
        "- Budget possible si l'outil est gratuit la première année.\n"
        "- Condition : que les secrétaires de mairie l'adoptent sans formation longue.",
    ),
    InterviewSpec(  # 16
        33, EXP, 9, "Téléphone", ("intrapreneur",), ("mairies", "ruralité"),
        "L'association reçoit **plusieurs questions par mois** sur les concessions, surtout "
        "sur la reprise.\n\n- Elle diffuse un guide papier de 2011, jamais mis à jour.",
    ),
    InterviewSpec(  # 17
        32, USR, 0, "Téléphone", ("manon",), ("échéances", "familles"),
        "Retour sur le premier entretien : la secrétaire a essayé de lister les échéances de "
        "l'année à partir du cahier.\n\n- Deux après-midi de travail pour 11 concessions.\n"
        "- Elle ne sait pas comment retrouver les familles.",
    ),
    InterviewSpec(  # 18
        29, OBS, 4, "Mairies (Creuse)", ("hugo", "manon"), ("registre", "ruralité"),
        "Tournée avec la secrétaire itinérante dans deux de ses quatre communes.\n\n"
        "- Photos des registres prises au téléphone : lisibles dans 9 cas sur 10.\n"
        "- Les pages les plus anciennes sont manuscrites, à l'encre passée.",
    ),
    InterviewSpec(  # 19
        27, USR, 5, "Visio", ("manon",), ("familles", "échéances"),
        "Test d'un courrier de prévenance fictif : elle le comprend sans aide.\n\n"
        "- Elle voudrait pouvoir **renouveler en ligne** ou au moins par téléphone.",
    ),
    InterviewSpec(  # 20
        25, USR, 3, "Mairie (Haute-Vienne)", ("hugo",), ("agents", "échéances"),
        "Présentation d'une maquette de liste des échéances.\n\n"
        "- « Si je l'avais, je l'ouvrirais tous les lundis. »\n"
        "- Elle demande un export pour le conseil municipal.",
    ),
    InterviewSpec(  # 21
        23, EXP, None, "Visio", ("intrapreneur",), ("registre",),
        "Archiviste départemental : les registres de concessions sont des archives "
        "communales, **la numérisation ne remplace pas l'original**.\n\n"
        "- Aucun obstacle à une copie de travail numérique.",
    ),
    InterviewSpec(  # 22
        21, WSH, None, "Mairie (Cantal)", ("intrapreneur", "hugo", "manon"),
        ("mairies", "reprise"),
        "Atelier avec trois élus et deux secrétaires sur la procédure de reprise.\n\n"
        "- Frise des étapes dessinée ensemble : 11 étapes, 3 ans.\n"
        "- Tous veulent des **modèles de documents** et un rappel à chaque étape.",
    ),
    InterviewSpec(  # 23
        19, USR, 2, "Mairie (Corrèze)", ("manon",), ("mairies", "échéances"),
        "L'adjoint a testé la maquette avec son tableur : 80 % des lignes importées sans "
        "retouche.\n\n- Il veut garder la main sur les courriers envoyés.",
    ),
    InterviewSpec(  # 24
        16, OBS, 0, "Mairie (Creuse)", ("hugo",), ("registre",),
        "Observation de la saisie de 30 concessions à partir des photos du cahier.\n\n"
        "- 25 minutes au total, avec l'aide de l'équipe.\n"
        "- Les dates de fin sont souvent à recalculer (durée × date d'achat).",
    ),
    InterviewSpec(  # 25
        14, USR, 7, "Téléphone", ("manon",), ("cimetières", "familles"),
        "Le conseiller funéraire serait prêt à consulter un plan en ligne **en lecture "
        "seule**.\n\n- Il demande le numéro d'emplacement sur chaque fiche.",
    ),
    InterviewSpec(  # 26
        12, USR, 9, "Visio", ("intrapreneur",), ("ruralité",),
        "L'association pourrait relayer l'outil auprès de 180 communes du département.\n\n"
        "- Attente forte sur la reprise, moins sur le plan du cimetière.",
    ),
    InterviewSpec(  # 27
        9, USR, 6, "Téléphone", ("manon",), ("familles",),
        "Le couple a enfin obtenu un emplacement, après **sept mois**.\n\n"
        "- La mairie a finalement trouvé une concession reprise en 2004.",
    ),
    InterviewSpec(  # 28
        6, OBS, 11, "Cimetière (Cantal)", ("hugo", "manon"), ("cimetières", "registre"),
        "Relevé du plan avec le gardien sur une allée test : 46 tombes, 7 sans "
        "correspondance dans le registre.",
    ),
    InterviewSpec(  # 29
        3, USR, 10, "Visio", ("intrapreneur",), ("mairies", "ruralité"),
        "Point sur un pilote à l'échelle de la communauté de communes : **cinq communes "
        "volontaires**.\n\n- La DGS souhaite une présentation en conseil communautaire.",
    ),
]

CONCESSIO_INSIGHTS = [
    InsightSpec(  # 0
        30, "Les mairies découvrent les concessions échues quand une famille se manifeste : "
        "aucune ne suit les échéances à l'avance.",
        InsightStatus.CONFIRMED, ("échéances",),
        (
            (0, "« On le découvre quand la famille appelle. »"),
            (4, "« Je relance quand j'y pense, c'est-à-dire rarement. »"),
            (6, "« Je n'ai jamais le registre sous la main quand on m'appelle. »"),
            (17, "« Deux après-midi pour onze concessions, je ne peux pas faire ça chaque "
                 "année. »"),
            (20, "« Si je l'avais, je l'ouvrirais tous les lundis. »"),
        ),
    ),
    InsightSpec(  # 1
        28, "La procédure de reprise des concessions abandonnées fait peur : les élus "
        "l'abandonnent ou ne la lancent pas.",
        InsightStatus.CONFIRMED, ("reprise",),
        (
            (1, "« On avait peur de se tromper de tombe. »"),
            (9, "« Un arrêté sur trois revient avec une erreur de procédure. »"),
            (13, "« Guidez-moi pas à pas et je relance la reprise demain. »"),
            (16, "« La moitié de nos questions portent sur la reprise. »"),
        ),
    ),
    InsightSpec(  # 2
        27, "Le registre papier est la seule source de vérité, et il est incomplet.",
        InsightStatus.CONFIRMED, ("registre",),
        (
            (2, "« Une trentaine de tombes n'ont plus de nom lisible. »"),
            (5, "« Le PDF date de 2017, personne ne l'a mis à jour. »"),
            (14, "« Tout est dans ma tête, rien n'est écrit. »"),
            (28, "« Sept tombes de l'allée n'existent pas dans le registre. »"),
        ),
    ),
    InsightSpec(  # 3
        25, "Les familles veulent être prévenues de l'échéance, par courrier, avant "
        "l'affichage en mairie.",
        InsightStatus.CONFIRMED, ("familles", "échéances"),
        (
            (7, "« Je l'ai appris par un voisin. J'aurais payé pour un courrier. »"),
            (19, "« Ce courrier, je le comprends tout de suite. »"),
        ),
    ),
    InsightSpec(  # 4
        22, "Les demandes d'emplacement prennent des mois parce que personne ne sait quels "
        "emplacements sont libres.",
        InsightStatus.CONFIRMED, ("cimetières", "familles"),
        (
            (12, "« Six mois sans réponse, on va aller ailleurs. »"),
            (27, "« Sept mois pour une place. »"),
            (5, "« Trois appels par semaine pour des emplacements. »"),
        ),
    ),
    InsightSpec(  # 5
        20, "Des photos prises au téléphone suffisent pour numériser un registre ancien.",
        InsightStatus.CONFIRMED, ("registre",),
        (
            (18, "« Neuf photos sur dix sont lisibles du premier coup. »"),
            (24, "« Trente concessions en vingt-cinq minutes. »"),
        ),
    ),
    InsightSpec(  # 6
        18, "Les pompes funèbres vérifient chaque emplacement par téléphone et se trompent "
        "parfois de concession.",
        InsightStatus.TO_CONFIRM, ("cimetières",),
        (
            (10, "« Une commune sur deux me dit d'aller voir sur place. »"),
            (25, "« Un plan en lecture seule me suffirait. »"),
        ),
    ),
    InsightSpec(  # 7
        15, "Une intercommunalité peut porter l'outil pour ses communes.",
        InsightStatus.TO_CONFIRM, ("ruralité", "mairies"),
        (
            (15, "« Vingt-deux communes, un seul outil, si c'est simple. »"),
            (29, "« Cinq communes volontaires pour le pilote. »"),
        ),
    ),
    InsightSpec(  # 8
        12, "Les secrétaires de mairie veulent garder la main sur chaque courrier envoyé aux "
        "familles.",
        InsightStatus.TO_CONFIRM, ("mairies", "familles"),
        ((23, "« Je relis tout ce qui part au nom du maire. »"),),
    ),
    InsightSpec(  # 9
        10, "Les communes attendent un logiciel complet de gestion du cimetière, plan "
        "compris, avant de changer leurs habitudes.",
        InsightStatus.REFUTED, ("cimetières",),
        (
            (11, "« Une liste des échéances, ce serait déjà énorme. »"),
            (26, "« Le plan, c'est secondaire ; la reprise, c'est urgent. »"),
        ),
    ),
]

CONCESSIO_SCENARIOS = [
    ScenarioSpec(
        8, "Les échéances sans effort",
        "La secrétaire de mairie photographie les pages du registre ; le service en tire la "
        "liste des concessions et de leurs **échéances**.\n\n"
        "- Chaque lundi, la liste des échéances des douze prochains mois.\n"
        "- Un courrier de prévenance prêt à relire et à envoyer aux familles connues.",
        (0, 2, 3, 5, 8),
    ),
    ScenarioSpec(
        5, "La reprise guidée",
        "Le service guide la commune dans la procédure de reprise pour état d'abandon :\n\n"
        "1. les étapes et leurs délais, avec un rappel à chacune ;\n"
        "2. les modèles de procès-verbaux et d'arrêtés relus par la DGCL ;\n"
        "3. la liste des familles à notifier, tirée du registre.",
        (1, 2),
    ),
]

CONCESSIO_COMMITTEE = LaunchCommitteeSpec(
    prepared_days_ago=2,
    days_ago=-18,
    attendees=("intrapreneur", "coach", "sponsor", "hugo"),
    outside_attendees=(
        "Représentant de la sous-direction des élus locaux, DGCL\n"
        "Directrice de l'Incubateur de la DINUM"
    ),
    first_six_months=(
        "- Lancer **« Les échéances sans effort »** avec les cinq communes volontaires de la "
        "communauté de communes pilote ;\n"
        "- mesurer le temps gagné par les secrétaires de mairie et le nombre de familles "
        "prévenues avant l'échéance ;\n"
        "- faire relire les modèles de la reprise guidée par la DGCL avant de la construire."
    ),
)

CONCESSIO_RESEARCH = Research(
    participants=CONCESSIO_PARTICIPANTS,
    interviews=CONCESSIO_INTERVIEWS,
    insights=CONCESSIO_INSIGHTS,
    scenarios=CONCESSIO_SCENARIOS,
    committee=CONCESSIO_COMMITTEE,
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
        "target_interviews": 30,
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
    research=CONCESSIO_RESEARCH,
)

DEMO_STARTUPS = [ACCUEIL_ACCESSIBLE, SIGNAL_LOGEMENT, CONCESSIO]

# The rows the services stamp with "now", backdated to the step's time.
BACKDATED: tuple[type[models.Model], ...] = (
    Activity, Event, PhaseChange, Membership, Tag,
    Participant, Interview, Insight, Scenario, LaunchCommittee,
)


def _stamps(model: type[models.Model], when: datetime.datetime) -> dict[str, datetime.datetime]:
    names = {f.name for f in model._meta.concrete_fields}
    return {name: when for name in ("created_at", "updated_at") if name in names}


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
        model._default_manager.filter(startup=startup, pk__gt=pk).update(**_stamps(model, when))


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
                model._default_manager.filter(startup=startup).update(**_stamps(model, when))
            for index, step in enumerate(spec.history, start=1):
                with _backdated(startup, self._at(step.days_ago, index)):
                    self._step(startup, creator, people, step)
            if spec.research is not None:
                self._research(startup, people, spec.research)
            if spec.product:
                # In this order: releases answer feedback, hypotheses come from ideas and
                # feedback, learnings cite tests, metrics and feedback.
                # Then governance: committees and reports freeze the product and the
                # budget as they were at their dates.
                for demo in (demo_feedback, demo_ideas, demo_metrics, demo_hypotheses,
                             demo_releases, demo_learnings, demo_partners, demo_budget,
                             demo_committees, demo_stakeholders, demo_reports,
                             demo_coaching):
                    demo.seed(startup=startup, people=people)
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

    def _research(self, startup: Startup, people: dict[str, User], research: Research) -> None:
        """The investigation's research, each row backdated to when it was written."""
        day = self._day
        first_seen: dict[int, int] = {}
        for spec in research.interviews:
            if spec.participant is not None:
                first_seen[spec.participant] = max(
                    first_seen.get(spec.participant, 0), spec.days_ago
                )
        participants: list[Participant] = []
        for index, spec in enumerate(research.participants):
            days_ago = first_seen.get(index, 60) + 1
            contact = None
            if spec.contact is not None:
                contact = ContactData(
                    name=spec.contact.name, email=spec.contact.email, phone=spec.contact.phone,
                    consent_date=day(spec.contact.consent_days_ago),
                )
            with _backdated(startup, self._at(days_ago, index)):
                participants.append(
                    participant_create(
                        startup=startup, actor=people["intrapreneur"], usertype=spec.usertype,
                        profile=spec.profile, organisation=spec.organisation,
                        territory=spec.territory, contact=contact,
                    )
                )
        interviews: list[Interview] = []
        for index, spec in enumerate(research.interviews):
            interviewers = [people[key] for key in spec.interviewers]
            with _backdated(startup, self._at(spec.days_ago, 40 + index)):
                interviews.append(
                    interview_create(
                        startup=startup, actor=interviewers[0], kind=spec.kind,
                        date=day(spec.days_ago), place=spec.place, interviewers=interviewers,
                        participant=(
                            participants[spec.participant]
                            if spec.participant is not None else None
                        ),
                        notes=spec.notes, tags=list(spec.tags),
                    )
                )
        insights: list[Insight] = []
        for index, spec in enumerate(research.insights):
            (first, quote), *more = spec.evidence
            with _backdated(startup, self._at(spec.days_ago, 80 + index)):
                insight = insight_create(
                    startup=startup, actor=people["hugo"], statement=spec.statement,
                    status=spec.status, tags=list(spec.tags), interview=interviews[first],
                    quote=quote,
                )
                for interview_index, more_quote in more:
                    evidence_add(
                        insight=insight, actor=people["hugo"],
                        interview=interviews[interview_index], quote=more_quote,
                    )
            insights.append(insight)
        for index, spec in enumerate(research.scenarios):
            with _backdated(startup, self._at(spec.days_ago, 100 + index)):
                scenario_create(
                    startup=startup, actor=people["intrapreneur"], title=spec.title,
                    description=spec.description,
                    insights=[insights[i] for i in spec.insights],
                )
        committee = research.committee
        with _backdated(startup, self._at(committee.prepared_days_ago, 110)):
            launch_committee_create(
                startup=startup, actor=people["intrapreneur"], date=day(committee.days_ago),
                attendees=[people[key] for key in committee.attendees],
                outside_attendees=committee.outside_attendees, problem=startup.problem,
                first_six_months=committee.first_six_months,
            )

    def _day(self, days_ago: int) -> datetime.date:
        return self.today - datetime.timedelta(days=days_ago)

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
