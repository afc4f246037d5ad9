"""Demo data of the feedback inbox: a year of varied French feedback, written in bulk.

``seed(*, startup, people)`` is called once, when the demo startup is created. The texts
come from sentence templates × people × features × details, drawn by a seeded random
generator: the same demo every time, no two items alike.
"""

from __future__ import annotations

import datetime
import random
import unicodedata

from django.utils import timezone

from intrapreneur.models import Startup, User
from products.enums import FeedbackChannel, FeedbackKind, FeedbackSource, FeedbackStatus
from products.services.feedback import FeedbackItem, feedback_bulk_create, feedback_merge

COUNT = 400
DAYS = 365
MERGED_GROUPS = 5

# (feature as written in a sentence, its tag)
FEATURES: list[tuple[str, str]] = [
    ("la recherche par commune", "recherche"),
    ("le formulaire de demande", "formulaire"),
    ("la carte des guichets", "carte"),
    ("l'export en tableur", "export"),
    ("l'envoi des notifications par courriel", "notifications"),
    ("la connexion par ProConnect", "connexion"),
    ("le tableau de bord", "tableau de bord"),
    ("la fiche d'un dossier", "dossier"),
    ("l'envoi des pièces jointes", "pièces jointes"),
    ("le récapitulatif à imprimer", "impression"),
    ("la page d'accueil", "accueil"),
    ("le suivi des échéances", "échéances"),
]
PEOPLE: list[tuple[str, str]] = [
    # (who, which source they are)
    ("Une secrétaire de mairie de la Creuse", FeedbackSource.USER),
    ("Un usager de Roubaix", FeedbackSource.USER),
    ("Une habitante d'Aubusson", FeedbackSource.USER),
    ("L'agent d'accueil de la mairie de Guéret", FeedbackSource.USER),
    ("Une agente de la CAF de la Gironde", FeedbackSource.USER),
    ("Un bénévole d'une association lilloise", FeedbackSource.USER),
    ("La directrice générale des services de Brive", FeedbackSource.USER),
    ("Un usager malvoyant de Nantes", FeedbackSource.USER),
    ("Le service hygiène de Saint-Denis", FeedbackSource.PARTNER),
    ("La chargée de mission du conseil départemental du Cantal", FeedbackSource.PARTNER),
    ("L'association des maires ruraux", FeedbackSource.PARTNER),
    ("La préfecture du Nord", FeedbackSource.PARTNER),
    ("Notre développeuse", FeedbackSource.TEAM),
    ("Le chargé de déploiement", FeedbackSource.TEAM),
    ("La sponsor (point mensuel)", FeedbackSource.SPONSOR),
    ("Un journaliste de la presse locale", FeedbackSource.OTHER),
]
WHEN = [
    "ce matin", "depuis hier", "depuis la mise à jour de mardi", "depuis deux semaines",
    "depuis le début du mois", "en fin de mois", "le lundi matin",
]
SYMPTOMS = [
    "la page reste blanche", "le bouton Valider ne répond pas",
    "un message d'erreur s'affiche sans explication", "les accents disparaissent",
    "le chargement prend plus d'une minute", "les dates s'affichent à l'américaine",
    "le texte déborde de l'écran", "le lecteur d'écran ne lit pas les boutons",
    "la session expire au milieu de la saisie",
]
CONSEQUENCES = [
    "il faut tout ressaisir", "l'usager a dû revenir au guichet",
    "nous avons perdu une demi-journée", "les dossiers restent bloqués",
    "les collègues retournent au papier", "les usagers nous appellent pour comprendre",
]
DEVICES = [
    "un téléphone", "une tablette", "l'ordinateur de la mairie", "Firefox",
    "une connexion 4G faible", "un écran agrandi à 200 %",
]
WISHES = [
    "exporter la liste en tableur", "filtrer par date", "retrouver un dossier par le nom",
    "imprimer un récapitulatif", "recevoir un rappel avant l'échéance",
    "partager un lien avec un collègue", "joindre plusieurs photos en une fois",
    "modifier une demande déjà envoyée", "voir l'historique des échanges",
]
ADDITIONS = [
    "un bouton d'export", "un tri par date", "un champ pour le téléphone",
    "une aide en vidéo", "un rappel par SMS", "un mode hors connexion",
    "une version en facile à lire et à comprendre (FALC)", "un lien vers le guichet le plus proche",
]
BENEFITS = [
    "on gagne un temps fou", "les usagers comprennent tout de suite",
    "plus besoin d'appeler la préfecture", "la démarche prend cinq minutes au lieu d'une heure",
    "c'est enfin clair", "les collègues l'ont adopté en une semaine",
    "fini les classeurs", "même les élus s'en servent",
]
TEMPLATES: dict[str, list[str]] = {
    FeedbackKind.PROBLEM: [
        "{who} : {feature} ne fonctionne pas {when}, {consequence}.",
        "Sur {device}, {feature} pose problème : {symptom}.",
        "{who} signale qu'avec {feature}, {symptom} {when}.",
        "Avec {feature}, {symptom} ; {consequence}.",
        "{who} n'arrive pas à utiliser {feature} sur {device} : {symptom}.",
    ],
    FeedbackKind.IDEA: [
        "Ce serait pratique de pouvoir {wish} directement depuis {feature}.",
        "{who} propose d'ajouter {addition} dans {feature}.",
        "{who} aimerait {wish} : aujourd'hui il faut passer par {feature}.",
        "Idée entendue : {addition} dans {feature}.",
    ],
    FeedbackKind.PRAISE: [
        "Merci pour {feature} : {benefit}.",
        "{who} : « {benefit}, bravo pour {feature}. »",
        "Grâce à {feature}, {benefit}. Merci à l'équipe !",
    ],
    FeedbackKind.QUESTION: [
        "Est-il possible de {wish} ? {who} ne trouve pas l'option dans {feature}.",
        "{who} demande comment {wish} depuis {feature}.",
        "Question reçue : peut-on utiliser {feature} sur {device} ?",
        "Faut-il un compte pour accéder à {feature} ? {who} hésite à s'inscrire.",
    ],
}
KIND_WEIGHTS = {
    FeedbackKind.PROBLEM: 45, FeedbackKind.IDEA: 25, FeedbackKind.QUESTION: 18,
    FeedbackKind.PRAISE: 12,
}
CHANNELS: dict[str, list[tuple[str, int]]] = {
    FeedbackSource.USER: [
        (FeedbackChannel.FORM, 40), (FeedbackChannel.EMAIL, 25), (FeedbackChannel.SUPPORT, 15),
        (FeedbackChannel.PHONE, 12), (FeedbackChannel.IN_PERSON, 8),
    ],
    FeedbackSource.PARTNER: [
        (FeedbackChannel.EMAIL, 50), (FeedbackChannel.INTERVIEW, 30),
        (FeedbackChannel.IN_PERSON, 20),
    ],
    FeedbackSource.TEAM: [(FeedbackChannel.INTERVIEW, 60), (FeedbackChannel.IN_PERSON, 40)],
    FeedbackSource.SPONSOR: [(FeedbackChannel.IN_PERSON, 60), (FeedbackChannel.EMAIL, 40)],
    FeedbackSource.OTHER: [(FeedbackChannel.EMAIL, 50), (FeedbackChannel.OTHER, 50)],
}
# More tags, from words of the text.
EXTRA_TAGS = {
    "mobile": ("sur un téléphone", "sur une tablette", "4G"),
    "accessibilité": ("lecteur d'écran", "200 %", "malvoyant", "FALC"),
    "lenteur": ("minute",),
}
FIRST_NAMES = ["camille", "dominique", "sacha", "claude", "alix", "lou", "noa", "yanis", "ines",
               "mathis", "lea", "jules", "fatou", "karim", "nadia", "paul"]
LAST_NAMES = ["martin", "bernard", "dubois", "petit", "durand", "leroy", "moreau", "simon",
              "laurent", "michel", "garcia", "roux", "diallo", "nguyen", "fontaine", "chevalier"]


CONTRACTIONS = {" à le ": " au ", " à les ": " aux ", " de le ": " du ", " de les ": " des "}


def _contract(text: str) -> str:
    """French contractions after the templates are filled: à le → au, de les → des."""
    for loose, contracted in CONTRACTIONS.items():
        text = text.replace(loose, contracted)
    return text


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _pick(rng: random.Random, weighted: list[tuple[str, int]] | dict[str, int]) -> str:
    pairs = list(weighted.items()) if isinstance(weighted, dict) else weighted
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _status(rng: random.Random, age: int, kind: str) -> str:
    """Older items are more often dealt with; praise is simply read (done)."""
    if kind == FeedbackKind.PRAISE:
        return FeedbackStatus.DONE if age > 7 else FeedbackStatus.NEW
    if age < 14:
        weights = {"new": 70, "triaged": 25, "planned": 5}
    elif age < 90:
        weights = {"new": 15, "triaged": 35, "planned": 25, "done": 15, "wont_do": 10}
    else:
        weights = {"new": 3, "triaged": 12, "planned": 15, "done": 50, "wont_do": 20}
    return FeedbackStatus(_pick(rng, weights))


def generate(
    count: int, *, seed: int = 2025, today: datetime.date | None = None,
    assignees: list[User] | None = None,
) -> list[FeedbackItem]:
    """``count`` feedback items over a year, more of them lately (the service grows)."""
    rng = random.Random(seed)
    today = today or timezone.localdate()
    assignees = assignees or []
    items: list[FeedbackItem] = []
    seen: set[str] = set()
    for _i in range(count):
        # A text already written is drawn again (a few times at most: 10,000 items and
        # more may repeat some).
        for _attempt in range(10):
            kind = _pick(rng, KIND_WEIGHTS)
            who, source = rng.choice(PEOPLE)
            feature, tag = rng.choice(FEATURES)
            text = rng.choice(TEMPLATES[kind]).format(
                who=who, feature=feature, when=rng.choice(WHEN), symptom=rng.choice(SYMPTOMS),
                consequence=rng.choice(CONSEQUENCES), device=rng.choice(DEVICES),
                wish=rng.choice(WISHES), addition=rng.choice(ADDITIONS),
                benefit=rng.choice(BENEFITS),
            )
            text = _contract(text[0].upper() + text[1:])
            if text not in seen:
                break
        seen.add(text)
        # Ages skewed towards recent days: the square of a uniform draw.
        age = int(DAYS * rng.random() ** 2)
        status = _status(rng, age, kind)
        tags = [tag] + [
            extra for extra, words in EXTRA_TAGS.items() if any(w in text for w in words)
        ]
        email, consents = "", False
        if source == FeedbackSource.USER and rng.random() < 0.25:
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            email = _ascii(f"{first}.{last}{rng.randint(1, 99)}@example.fr")
            consents = rng.random() < 0.7
        assignee = None
        if assignees and status in (FeedbackStatus.TRIAGED, FeedbackStatus.PLANNED):
            assignee = rng.choice(assignees)
        items.append(
            FeedbackItem(
                text=text, date=today - datetime.timedelta(days=age), kind=kind,
                source=source, channel=_pick(rng, CHANNELS[source]), status=status,
                assignee=assignee, tags=tags, author_email=email, author_consents=consents,
            )
        )
    return items


def seed(*, startup: Startup, people: dict[str, User]) -> None:
    """400 items through the bulk service, then a few duplicates merged as a team would."""
    actor = people.get("team") or people["intrapreneur"]
    assignees = [p for role, p in people.items() if role in ("intrapreneur", "team") and p]
    items = generate(COUNT, assignees=assignees)
    created = feedback_bulk_create(startup=startup, actor=actor, items=items)
    # Duplicates merged: open problems about the same feature, five groups of two or three.
    groups: dict[str, list] = {}
    for feedback, item in zip(created, items, strict=True):
        if item.kind == FeedbackKind.PROBLEM and item.status in ("new", "triaged"):
            groups.setdefault(item.tags[0], []).append(feedback)
    similar_groups = [group for _tag, group in sorted(groups.items()) if len(group) >= 3]
    for index, similar in enumerate(similar_groups[:MERGED_GROUPS]):
        kept, *duplicates = similar[: 2 + index % 2]
        feedback_merge(feedback=kept, actor=actor, duplicates=duplicates)
