"""Demo data of the releases: six months of an “Accueil Accessible” changelog.

``seed(*, startup, people)`` runs once, after the feedback seed, when the demo startup is
created. It writes 20 releases through the services, one every nine days or so: 18
published, each answering one to six open problems or ideas of the inbox about what it
changes (so they become done), and the two latest as drafts waiting to be published.

No e-mail leaves the demo: the published releases answer only items whose authors did not
ask to be answered, so publishing them queues nothing in the outbox. The drafts do answer
one author who asked: publishing one from the interface shows the whole loop (the message
goes through the outbox, printed by the console back end of the quick start).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch
from django.utils import timezone

from intrapreneur.models import Activity, Startup, Tag, User
from products.enums import FeedbackKind, FeedbackStatus
from products.models import Feedback, Release
from products.services.releases import release_create

OPEN = (FeedbackStatus.NEW, FeedbackStatus.TRIAGED, FeedbackStatus.PLANNED)
ANSWERABLE_KINDS = (FeedbackKind.PROBLEM, FeedbackKind.IDEA)


@dataclass(frozen=True)
class Spec:
    days_ago: int
    version: str
    # The inbox's tags of the feedback it answers (products.demo_feedback's features).
    tags: tuple[str, ...]
    notes: str
    published: bool = True


RELEASES: list[Spec] = [
    Spec(178, "1.4.0", ("recherche",), """\
**Recherche par commune plus tolérante**

- La recherche trouve la commune même sans les accents ni les tirets : « saint etienne » \
trouve Saint-Étienne.
- Les communes nouvelles sont reconnues sous leur ancien nom, avec un renvoi vers le \
nouveau.
- Les résultats indiquent le département, pour ne plus confondre les homonymes.
"""),
    Spec(169, "1.4.1", ("carte", "lenteur"), """\
**Carte des accueils plus rapide**

- La carte s'affiche en moins de deux secondes, même avec une connexion 4G faible.
- Les accueils proches sont regroupés tant que la carte est éloignée.

*Correction* : la carte ne se recentre plus toute seule pendant qu'on la déplace.
"""),
    Spec(160, "1.5.0", ("formulaire",), """\
**Le questionnaire d'accessibilité se sauvegarde à chaque étape**

Les agents d'accueil remplissent souvent le questionnaire en plusieurs fois, entre deux \
rendez-vous. Désormais :

1. chaque étape est enregistrée dès qu'on passe à la suivante ;
2. on reprend là où on s'était arrêté, depuis n'importe quel poste ;
3. une barre de progression indique les étapes restantes.
"""),
    Spec(150, "1.5.1", ("connexion",), """\
**Connexion avec ProConnect**

- Les agents se connectent avec leur compte professionnel ProConnect : plus de mot de \
passe à retenir.
- La session ne s'interrompt plus au milieu de la saisie du questionnaire.
"""),
    Spec(141, "1.6.0", ("pièces jointes",), """\
**Des photos de l'entrée sur chaque fiche**

- Jusqu'à six photos par accueil (entrée, rampe, guichet), envoyées en une seule fois.
- Chaque photo demande une description : elle est lue par les lecteurs d'écran.
- Les photos trop lourdes sont réduites automatiquement.
"""),
    Spec(131, "1.6.1", ("accessibilité",), """\
**Lecteurs d'écran et zoom**

- Tous les boutons du questionnaire ont un nom lisible par les lecteurs d'écran (NVDA, \
VoiceOver).
- Les pages restent lisibles avec un zoom à 200 % : plus de texte qui déborde.
- Audit RGAA : 87 % des critères respectés (contre 71 % en juin).
"""),
    Spec(122, "1.7.0", ("export",), """\
**Export des fiches en tableur**

Les référents départementaux peuvent exporter la liste des accueils de leur territoire :

| Format | Contenu |
| --- | --- |
| CSV | une ligne par accueil, un critère par colonne |
| ODS | le même tableau, prêt pour LibreOffice |

Les dates sont au format français (31/12/2025).
"""),
    Spec(113, "1.7.1", ("notifications",), """\
**Courriels plus clairs**

- Le courriel de confirmation rappelle le nom de l'accueil et le lien vers sa fiche.
- Les accents s'affichent correctement dans toutes les messageries.
- Un lien permet de ne plus recevoir les rappels.
"""),
    Spec(104, "1.8.0", ("mobile",), """\
**Le questionnaire sur téléphone**

On peut maintenant décrire l'accueil en se tenant devant l'entrée, téléphone en main :

- les questions s'affichent une par une sur les petits écrans ;
- les photos se prennent directement depuis le téléphone ;
- la saisie continue hors connexion et s'envoie au retour du réseau.
"""),
    Spec(95, "1.8.1", ("impression",), """\
**Une fiche à imprimer et à afficher**

- Chaque accueil a désormais une fiche récapitulative d'une page, à imprimer ou à afficher \
à l'entrée.
- La fiche comporte un QR code vers la version en ligne, toujours à jour.
"""),
    Spec(86, "1.9.0", ("tableau de bord",), """\
**Le tableau de bord du référent accessibilité**

- Le référent départemental voit les fiches à relire, les fiches anciennes et celles qui \
ont reçu un signalement.
- Un filtre par commune et par type d'accueil (mairie, CAF, préfecture…).
- Le nombre d'accueils décrits dans le département, mois par mois.
"""),
    Spec(77, "1.9.1", ("échéances",), """\
**Rappel avant la mise à jour annuelle**

- Un mois avant la date anniversaire d'une fiche, l'agent qui l'a remplie reçoit un rappel.
- Les fiches de plus d'un an sont signalées « à vérifier » sur la page publique.
"""),
    Spec(68, "1.10.0", ("accueil",), """\
**Une nouvelle page d'accueil**

- Une seule question : « Où voulez-vous aller ? ». La recherche est au centre de la page.
- Les trois critères les plus demandés (entrée de plain-pied, boucle magnétique, accueil en \
langue des signes) se choisissent d'un clic.
"""),
    Spec(59, "1.10.1", ("dossier",), """\
**L'historique de chaque fiche**

- Chaque modification est datée et signée (agent, référent).
- On peut comparer deux versions d'une fiche.

*Correction* : les dates ne s'affichent plus à l'américaine.
"""),
    Spec(49, "1.11.0", ("carte", "recherche"), """\
**Carte : filtrer selon ses besoins**

- Filtres par besoin : mobilité réduite, déficience visuelle, déficience auditive, \
handicap mental ou psychique.
- Chaque accueil affiche sur la carte un résumé en texte, pas seulement des pictogrammes.
"""),
    Spec(40, "1.11.1", ("accessibilité",), """\
**Les fiches en « facile à lire et à comprendre » (FALC)**

Avec l'association partenaire de Nantes, nous avons réécrit chaque rubrique des fiches en \
FALC. Un bouton « Version facile à lire » apparaît en haut de chaque fiche.
"""),
    Spec(31, "1.12.0", ("formulaire", "pièces jointes"), """\
**Questionnaire plus court**

- 24 questions au lieu de 37 : celles qui ne concernaient pas le lieu sont masquées.
- Le bouton « Valider » répond même quand une photo est encore en cours d'envoi.
- Un message explique chaque erreur et comment la corriger.
"""),
    Spec(21, "2.0.0", ("export", "dossier", "tableau de bord"), """\
**Version 2 : les fiches dans Service-Public.fr**

- Les fiches validées sont reprises par l'annuaire de Service-Public.fr, grâce à la \
nouvelle API ouverte.
- La [documentation de l'API](https://accueil-accessible.beta.gouv.fr/api/) est publique.
- Les référents voient sur leur tableau de bord quelles fiches sont diffusées.

Merci aux 640 agents d'accueil qui ont décrit leur accueil depuis le début !
"""),
    Spec(7, "2.1.0", ("notifications", "échéances"), """\
**En préparation : rappels par SMS**

- Les agents qui le souhaitent reçoivent le rappel de mise à jour par SMS.
- Un rappel aux usagers la veille d'un rendez-vous en préfecture, avec les informations \
d'accessibilité du lieu.
""", published=False),
    Spec(0, "2.1.1", ("lenteur", "connexion"), """\
**En préparation : corrections**

- Le chargement du tableau de bord des grands départements passe sous les deux secondes.
- La connexion ProConnect fonctionne depuis les postes de certaines mairies qui bloquaient \
la redirection.
""", published=False),
]


def _answer_count(index: int) -> int:
    """1 to 6 items, varying from one release to the next."""
    return 1 + (index * 5 + 2) % 6


def _candidates(startup: Startup) -> list[tuple[Feedback, set[str]]]:
    """The open problems and ideas of the inbox, the newest first, with their tag names."""
    items = (
        Feedback.objects.for_startup(startup)
        .filter(status__in=OPEN, kind__in=ANSWERABLE_KINDS, merged_into__isnull=True)
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.only("name")))
        .order_by("-date", "-pk")
    )
    return [(item, {tag.name for tag in item.tags.all()}) for item in items]


def _pick(
    candidates: list[tuple[Feedback, set[str]]], spec: Spec, day: datetime.date, count: int,
    taken: set[int],
) -> list[Feedback]:
    """Items received before the release about what it changes; a published release takes
    only items whose authors did not ask for an answer (no demo e-mail), a draft also one
    whose author did."""

    def fits(item: Feedback, tags: set[str], *, about: bool) -> bool:
        return (
            item.pk not in taken and item.date <= day
            and (not about or bool(tags & set(spec.tags)))
        )

    quiet = [
        item for item, tags in candidates
        if fits(item, tags, about=True) and not item.author_consents
    ]
    chosen = quiet[:count]
    if not spec.published:
        asked = next(
            (item for item, tags in candidates
             if fits(item, tags, about=True) and item.author_consents),
            None,
        )
        if asked is not None:
            chosen = [asked, *chosen[: count - 1]]
    if not chosen:
        chosen = [
            item for item, tags in candidates
            if fits(item, tags, about=False) and not item.author_consents
        ][:1]
    return chosen


def seed(*, startup: Startup, people: dict[str, User]) -> None:
    """20 releases over six months, the feedback they answer closed as publishing does."""
    writers = [p for role, p in people.items() if role in ("team", "intrapreneur") and p]
    candidates = _candidates(startup)
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    release_type = ContentType.objects.get_for_model(Release)
    taken: set[int] = set()
    for index, spec in enumerate(RELEASES):
        day = today - datetime.timedelta(days=spec.days_ago)
        answers = _pick(candidates, spec, day, _answer_count(index), taken)
        taken.update(item.pk for item in answers)
        release, _closure = release_create(
            startup=startup, actor=writers[index % len(writers)], version=spec.version,
            date=day, notes=spec.notes, answers=answers, is_published=spec.published,
        )
        # The services stamp "now": backdate the release and its activity to its day.
        when = datetime.datetime.combine(day, datetime.time(10, 30), tzinfo=tz)
        written = when - datetime.timedelta(days=2)
        Release.objects.filter(pk=release.pk).update(
            created_at=written, updated_at=when if spec.published else written,
            published_at=when if spec.published else None,
        )
        Activity.objects.filter(
            startup=startup, target_type=release_type, target_id=release.pk
        ).update(created_at=when if spec.published else written)
