"""Demo learnings of Accueil Accessible: 8 revisions of the plan over the last six months.

``seed(*, startup, people)`` is called once, when the demo startup is created, after the
feedback, metrics and user tests: each learning cites the evidence of the startup that
exists (user tests of the weeks before it, insights, metrics by key, feedback by a word of
its text); none is required. Everything goes through the services; the same demo every
time.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from intrapreneur.models import Startup, User
from investigations.models import Insight
from products.models import Feedback, Metric, UserTest
from products.services.learnings import learning_create

# How far back the tests cited by a learning may go.
TEST_WINDOW_DAYS = 45
AUTHORS = ("intrapreneur", "team", "lea", "thomas")


@dataclass(frozen=True)
class DemoLearning:
    days_ago: int
    learned: str
    changes: str
    stops: str
    metrics: tuple[str, ...] = ()
    # Words looked up in the feedback's text (the first that finds items wins).
    feedback_words: tuple[str, ...] = ()
    evidence_notes: str = ""
    tests: int = 1
    insights: int = 0


LEARNINGS = [
    DemoLearning(
        170,
        "Les agents d'accueil **abandonnent le questionnaire** à la question sur la largeur "
        "des portes : ils n'ont pas de mètre sous la main et ne savent pas où mesurer.",
        "Les mesures en centimètres deviennent des questions fermées illustrées (« un "
        "fauteuil roulant passe-t-il la porte d'entrée ? »), avec une photo d'exemple.",
        "Nous arrêtons de demander les mesures exactes des portes et des couloirs.",
        metrics=("demarches-deposees",),
        feedback_words=("formulaire",),
        insights=1,
    ),
    DemoLearning(
        150,
        "Les personnes sourdes ou malentendantes cherchent d'abord la **boucle magnétique** "
        "et l'interprète en langue des signes : en bas de la fiche, personne ne les trouve.",
        "La fiche publique commence par un résumé par type de handicap (moteur, visuel, "
        "auditif, cognitif), chacun en une ligne.",
        "",
        evidence_notes="Atelier avec six adhérents d'une association de personnes sourdes, "
        "à Lyon.",
        insights=1,
    ),
    DemoLearning(
        125,
        "Les fiches ne sont utilisables au lecteur d'écran que si chaque pictogramme a une "
        "alternative textuelle : la conformité au RGAA passe de 46 % à 71 % après correction.",
        "Chaque pictogramme porte son alternative ; l'audit RGAA devient mensuel et ses "
        "résultats sont publiés.",
        "Nous abandonnons nos pictogrammes maison pour ceux du référentiel national.",
        metrics=("conformite-rgaa",),
        feedback_words=("lecteur d'écran", "écran agrandi"),
    ),
    DemoLearning(
        100,
        "Les référents accessibilité des départements relisent une fiche en moyenne **46 "
        "jours** après son dépôt : c'est le premier frein à la publication.",
        "Une fiche est publiée dès son dépôt avec la mention « en attente de relecture » ; "
        "le référent reçoit un rappel chaque lundi.",
        "Nous arrêtons la relecture obligatoire avant publication.",
        metrics=("delai-traitement",),
        feedback_words=("dossiers restent bloqués", "préfecture"),
    ),
    DemoLearning(
        75,
        "Les mairies rurales remplissent le questionnaire **sur téléphone**, debout à "
        "l'accueil même : la version pour ordinateur ne leur sert presque pas.",
        "Le questionnaire est conçu d'abord pour le mobile : une question par écran, "
        "utilisable en 4G faible, reprise possible à tout moment.",
        "Nous arrêtons le développement de l'export PDF pour ordinateur.",
        metrics=("temps-chargement", "demarches-deposees"),
        feedback_words=("téléphone", "4G"),
        tests=2,
    ),
    DemoLearning(
        50,
        "Service-Public.fr ne reprendra nos fiches que si elles suivent le **schéma national "
        "d'accessibilité des établissements recevant du public** : notre format maison est "
        "une impasse.",
        "L'API suit le schéma national ; les données déjà saisies sont converties et "
        "l'import des fiches existantes est proposé aux départements.",
        "Nous arrêtons notre format de données maison et sa documentation.",
        evidence_notes="Réunion avec l'équipe de Service-Public.fr (DILA) et l'équipe du "
        "référentiel national, compte rendu dans les fichiers.",
        tests=0,
    ),
    DemoLearning(
        25,
        "Les associations partenaires veulent **signaler une information fausse** depuis la "
        "fiche : un signalement sur trois concerne un ascenseur ou une rampe hors service.",
        "Un bouton « Signaler une erreur » sur chaque fiche, transmis à l'agent du lieu et au "
        "référent du département.",
        "",
        metrics=("nps",),
        feedback_words=("lien", "rappel"),
    ),
    DemoLearning(
        8,
        "Les communes reviennent quand **le préfet signe le courrier d'invitation** : 47 % "
        "déposent une nouvelle fiche le mois suivant, contre 21 % avec nos courriels.",
        "",
        "Nous arrêtons les campagnes de courriels directs aux mairies : le déploiement passe "
        "par les préfectures, un courrier signé puis un webinaire par département.",
        metrics=("retention", "visiteurs"),
        feedback_words=("préfecture",),
        tests=2,
    ),
]


def _author(people: dict[str, User], index: int) -> User | None:
    present = [people[key] for key in AUTHORS if people.get(key) is not None]
    return present[index % len(present)] if present else None


def _feedback(startup: Startup, words: tuple[str, ...], day: datetime.date) -> list[Feedback]:
    items = Feedback.objects.for_startup(startup).unmerged().filter(date__lte=day)
    for word in words:
        found = list(items.filter(text__icontains=word).order_by("-date", "-pk")[:3])
        if found:
            return found
    return []


def seed(*, startup: Startup, people: dict[str, User]) -> None:
    today = timezone.localdate()
    tests = list(UserTest.objects.for_startup(startup).order_by("-date", "-pk"))
    insights = list(Insight.objects.for_startup(startup).order_by("created_at", "pk"))
    metrics = {metric.key: metric for metric in Metric.objects.for_startup(startup)}
    for index, spec in enumerate(LEARNINGS):
        day = today - datetime.timedelta(days=spec.days_ago)
        since = day - datetime.timedelta(days=TEST_WINDOW_DAYS)
        cited_tests = [test for test in tests if since <= test.date <= day][: spec.tests]
        cited_insights = insights[index : index + spec.insights] if insights else []
        learning_create(
            startup=startup,
            actor=_author(people, index),
            date=day,
            learned=spec.learned,
            tests=cited_tests,
            insights=cited_insights,
            metrics=[metrics[key] for key in spec.metrics if key in metrics],
            feedback=_feedback(startup, spec.feedback_words, day),
            evidence_notes=spec.evidence_notes,
            changes=spec.changes,
            stops=spec.stops,
        )
