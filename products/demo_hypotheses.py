"""Demo hypotheses and six months of weekly user tests, in French, for Accueil Accessible.

``seed(*, startup, people)`` is called once, when the demo startup is created (the lead's
``seed_demo`` wires it). Everything goes through the services, in the order it happened, so
the statuses are the ones the tests led to; the rows and their activity are then backdated
to when they happened (a few bulk updates). Dates are relative to today: 26 ISO weeks ending
this week, one or two tests a week, with a one-week and a two-week gap. No randomness: the
same demo every time.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from intrapreneur.dates import week_start
from intrapreneur.models import Activity, Startup, User
from products.enums import (
    RESULT_HYPOTHESIS_STATUS,
    HypothesisPriority,
    HypothesisStatus,
    TestResult,
)
from products.models import Feedback, Hypothesis, Idea, UserTest
from products.services.hypotheses import (
    hypothesis_create,
    hypothesis_set_status,
    usertest_create,
)

HIGH, MEDIUM, LOW = HypothesisPriority.HIGH, HypothesisPriority.MEDIUM, HypothesisPriority.LOW
VALIDATES, INVALIDATES, INCONCLUSIVE = (
    TestResult.VALIDATES, TestResult.INVALIDATES, TestResult.INCONCLUSIVE,
)
PLANNED = ""
TUESDAY, THURSDAY = 1, 3
TODAY = -1  # the day of a test dated today


@dataclass(frozen=True)
class DemoHypothesis:
    key: str
    statement: str
    signal: str
    priority: int
    written_weeks_ago: int
    protocol: str = ""
    profile: str = ""
    idea_title: str = ""  # from this idea of the demo, when it exists
    feedback_words: str = ""  # from the latest feedback item holding these words
    abandoned_weeks_ago: int | None = None


@dataclass(frozen=True)
class DemoTest:
    weeks_ago: int
    day: int  # 0 = Monday; TODAY
    hypothesis: str  # a DemoHypothesis key; "" for an exploratory test
    result: str
    users_count: int
    observations: str = ""
    learning: str = ""
    protocol: str = ""  # else the hypothesis'
    profile: str = ""  # else the hypothesis'


HYPOTHESES = [
    DemoHypothesis(
        "questionnaire",
        "Les agents d'accueil des mairies rempliront le questionnaire d'accessibilité en moins "
        "de quinze minutes s'il est découpé en cinq étapes courtes, une par zone du bâtiment.",
        "8 agents sur 10 terminent le questionnaire seuls, en moins de quinze minutes, sans "
        "appeler le support.",
        HIGH, 26,
        protocol="Passation du questionnaire sur le prototype, dans la mairie de l'agent, "
        "chronomètre en main ; l'agent pense à voix haute, nous n'intervenons pas.",
        profile="Agents d'accueil de mairies de moins de 5 000 habitants (Nord)",
    ),
    DemoHypothesis(
        "resume",
        "Les personnes aveugles sauront en moins d'une minute, avec leur lecteur d'écran, si "
        "un accueil leur est accessible, si la fiche commence par un résumé en trois phrases.",
        "Les participants répondent juste à « Pouvez-vous y aller seul ? » en moins d'une "
        "minute, sans parcourir toute la page.",
        HIGH, 25,
        protocol="Test à distance en visio, partage d'écran et de son ; le participant utilise "
        "son propre lecteur d'écran (NVDA ou VoiceOver) sur trois fiches réelles.",
        profile="Personnes aveugles ou très malvoyantes, utilisatrices quotidiennes d'un "
        "lecteur d'écran, recrutées par une association partenaire",
        feedback_words="lecteur d'écran",
    ),
    DemoHypothesis(
        "photo",
        "Une photo de l'entrée, prise par l'agent depuis le trottoir, aidera davantage les "
        "personnes en fauteuil roulant à décider de se déplacer qu'une description écrite.",
        "Devant deux versions d'une même fiche, une majorité de participants choisit la photo "
        "et décide correctement s'ils peuvent entrer.",
        MEDIUM, 23,
        protocol="Test comparatif : deux versions de la même fiche (photo seule, texte seul) "
        "présentées dans un ordre alterné, sur tablette.",
        profile="Personnes se déplaçant en fauteuil roulant manuel ou électrique, rencontrées "
        "dans un centre de rééducation",
    ),
    DemoHypothesis(
        "recapitulatif",
        "Les référents accessibilité départementaux reliront les nouvelles fiches dans la "
        "semaine si nous leur envoyons un récapitulatif hebdomadaire plutôt qu'un courriel "
        "par fiche.",
        "Le délai médian de relecture passe sous sept jours dans les deux départements "
        "pilotes.",
        MEDIUM, 20,
        protocol="Envoi du récapitulatif pendant une semaine, puis entretien de trente minutes "
        "avec chaque référent sur ce qu'il en a fait.",
        profile="Référents accessibilité des directions départementales des territoires "
        "(Nord, Gironde)",
    ),
    DemoHypothesis(
        "surdite",
        "Les personnes sourdes et malentendantes veulent savoir avant tout si une boucle "
        "magnétique ou un interprète en langue des signes est disponible, et à quels horaires.",
        "Interrogés sur une fiche, les participants citent d'abord ces informations et les "
        "trouvent sans aide.",
        HIGH, 18,
        protocol="Entretien et test sur fiche avec un interprète LSF ; chaque participant "
        "prépare une vraie démarche (carte grise, état civil) à partir de la fiche.",
        profile="Personnes sourdes signantes et personnes malentendantes appareillées, membres "
        "d'une association régionale",
    ),
    DemoHypothesis(
        "registre",
        "Les mairies rurales mettront leur fiche à jour chaque année si nous les relançons au "
        "moment où elles actualisent leur registre public d'accessibilité.",
        "Au moins la moitié des mairies relancées mettent leur fiche à jour dans le mois.",
        LOW, 18,
        protocol="Relance par courriel des mairies au moment de la mise à jour de leur "
        "registre, puis appel à la secrétaire de mairie.",
        profile="Secrétaires de mairie de communes rurales de Gironde",
    ),
    DemoHypothesis(
        "date-verification",
        "Afficher la date de la dernière vérification sur la fiche donnera assez confiance aux "
        "usagers pour qu'ils se déplacent sans appeler avant.",
        "Une majorité de participants dit qu'elle se déplacerait sans appeler quand la fiche "
        "a été vérifiée il y a moins d'un an.",
        MEDIUM, 11,
        protocol="Trois fiches identiques sauf la date de vérification (un mois, un an, trois "
        "ans) ; on demande au participant s'il appellerait avant de se déplacer.",
        profile="Personnes à mobilité réduite et aidants familiaux, recrutés sur le forum "
        "d'une association",
    ),
    DemoHypothesis(
        "tour-du-batiment",
        "Les secrétaires de mairie préféreront remplir le questionnaire en faisant le tour du "
        "bâtiment, tablette ou téléphone en main, plutôt qu'à leur bureau de mémoire.",
        "Les fiches remplies en marchant contiennent moins d'erreurs relevées par les "
        "référents.",
        LOW, 9,
        protocol="Prêt de tablettes à six mairies pendant une semaine ; relecture croisée des "
        "fiches avec le référent départemental.",
        profile="Secrétaires de mairie et agents polyvalents de communes de moins de 2 000 "
        "habitants",
    ),
    DemoHypothesis(
        "falc",
        "Une version en facile à lire et à comprendre (FALC) de la fiche permettra aux "
        "personnes avec une déficience intellectuelle de préparer seules leur venue.",
        "Les participants expliquent avec leurs mots comment entrer et à qui s'adresser, sans "
        "l'aide de leur accompagnant.",
        MEDIUM, 7,
        protocol="Lecture de la fiche en FALC avec un éducateur présent mais silencieux ; le "
        "participant raconte ensuite comment il irait à la mairie.",
        profile="Adultes travaillant en ESAT, volontaires, avec l'accord de leur structure",
        idea_title="Proposer une version en FALC",
    ),
    DemoHypothesis(
        "sms",
        "Un SMS envoyé la veille du rendez-vous, avec l'accès adapté (entrée, stationnement, "
        "contact sur place), évitera aux personnes en situation de handicap un déplacement "
        "inutile.",
        "Moins de rendez-vous manqués ou écourtés pour une raison d'accessibilité dans les "
        "deux mairies pilotes.",
        MEDIUM, 3,
        idea_title="Envoyer un rappel par SMS la veille du rendez-vous",
    ),
    DemoHypothesis(
        "contraste",
        "Un réglage d'affichage visible dès l'accueil (contraste renforcé, texte agrandi) "
        "permettra aux personnes malvoyantes de lire une fiche sans le zoom de leur "
        "navigateur.",
        "Les participants malvoyants lisent une fiche entière sans zoomer ni se rapprocher de "
        "l'écran.",
        LOW, 2,
        idea_title="Accessibilité : contraste renforcé et taille de texte",
    ),
    DemoHypothesis(
        "service-public",
        "Service-Public.fr affichera nos fiches dans son annuaire si notre API suit le schéma "
        "de données d'Acceslibre.",
        "Une première fiche apparaît dans l'annuaire de Service-Public.fr.",
        HIGH, 20, abandoned_weeks_ago=15,
    ),
    DemoHypothesis(
        "pannes",
        "Les agents d'accueil signaleront eux-mêmes une panne d'ascenseur ou une fermeture "
        "exceptionnelle si le signalement prend moins d'une minute depuis leur téléphone.",
        "La moitié des pannes connues des mairies pilotes sont signalées le jour même.",
        HIGH, 1,
        protocol="Atelier dans deux mairies : on simule une panne d'ascenseur et l'agent la "
        "signale depuis son téléphone ; chronomètre et entretien à chaud.",
        profile="Agents d'accueil et gardiens de mairies de villes moyennes (Nord)",
    ),
    DemoHypothesis(
        "associations",
        "Les associations de personnes handicapées relaieront les fiches de leur ville si nous "
        "leur donnons un lien court et un visuel prêt à publier.",
        "Trois associations partenaires publient le lien dans le mois ; les visites venues de "
        "leurs sites se voient dans nos statistiques.",
        LOW, 5,
        feedback_words="association lilloise",
    ),
    DemoHypothesis(
        "carte",
        "Une carte des accueils accessibles autour de soi aidera plus les usagers qu'une "
        "recherche par nom de commune.",
        "Les participants trouvent l'accueil accessible le plus proche plus vite avec la carte "
        "qu'avec la recherche.",
        MEDIUM, 16,
        protocol="Test comparatif carte / recherche par commune sur ordinateur, avec une "
        "tâche : trouver l'accueil accessible le plus proche de chez soi.",
        profile="Usagers en fauteuil roulant et personnes malvoyantes de la métropole lilloise",
        idea_title="Carte des points d'accueil physiques",
        abandoned_weeks_ago=13,
    ),
]

# Oldest first. Weeks 13 and 12 (two weeks) and week 4 (one week) have no test.
TESTS = [
    DemoTest(
        25, TUESDAY, "questionnaire", INCONCLUSIVE, 4,
        "Deux agents terminent en 12 et 14 minutes ; deux abandonnent à l'étape « cheminement "
        "extérieur », faute de savoir mesurer la pente de la rampe.",
        "La question sur la pente demande un outil que les agents n'ont pas : proposer des "
        "choix (« douce », « forte ») plutôt qu'un pourcentage.",
    ),
    DemoTest(
        24, TUESDAY, "questionnaire", INCONCLUSIVE, 5,
        "Avec les choix de pente, quatre agents sur cinq terminent, en 16 minutes en moyenne. "
        "L'étape « sanitaires » est la plus longue : il faut aller voir sur place.",
        "Le temps dépasse encore l'objectif : permettre de reprendre plus tard, une étape à "
        "la fois.",
    ),
    DemoTest(
        24, THURSDAY, "resume", INCONCLUSIVE, 3,
        "Le résumé aide, mais deux participants ne le trouvent pas : il n'est pas annoncé "
        "comme un titre. Un participant navigue par les titres et saute directement aux "
        "horaires.",
        "Le résumé doit être le premier titre de niveau 2 de la page.",
    ),
    DemoTest(
        23, TUESDAY, "questionnaire", VALIDATES, 6,
        "Avec la reprise étape par étape, cinq agents sur six terminent en 13 minutes en "
        "moyenne, sans appeler.",
        "Hypothèse validée : le découpage en cinq étapes et la reprise suffisent. Nous "
        "gardons ce parcours pour la mise en production.",
    ),
    DemoTest(
        22, TUESDAY, "resume", INCONCLUSIVE, 4,
        "Avec le résumé en titre, trois participants sur quatre répondent en moins d'une "
        "minute. Le quatrième utilise un afficheur braille et trouve les phrases trop longues.",
        "Raccourcir le résumé : une information par phrase.",
    ),
    DemoTest(
        22, THURSDAY, "photo", INCONCLUSIVE, 4,
        "La photo rassure, mais elle ne montre pas la marche derrière la porte : deux "
        "participants se trompent.",
        "Demander deux photos : depuis le trottoir et depuis la porte ouverte.",
    ),
    DemoTest(
        21, TUESDAY, "resume", VALIDATES, 5,
        "Les cinq participants répondent juste, en 40 secondes en moyenne. « C'est la "
        "première fois que je n'ai pas besoin d'appeler avant. »",
        "Le résumé en tête de fiche devient la règle pour toutes les fiches.",
    ),
    DemoTest(
        20, TUESDAY, "photo", VALIDATES, 6,
        "Avec les deux photos, les six participants décident correctement et cinq préfèrent "
        "la version avec photos.",
        "Nous ajoutons les deux photos au questionnaire, avec un exemple de cadrage.",
    ),
    DemoTest(
        20, THURSDAY, "", INCONCLUSIVE, 5,
        "Tous trouvent leur mairie par la recherche ; personne ne voit le lien « Signaler une "
        "erreur » en bas de page.",
        "Remonter le lien de signalement sous le résumé.",
        protocol="Parcours complet sur téléphone : chercher l'accueil de sa mairie, lire la "
        "fiche, trouver comment signaler une erreur.",
        profile="Usagers d'un accueil de CAF, sans handicap déclaré, rencontrés en salle "
        "d'attente",
    ),
    DemoTest(
        19, TUESDAY, "recapitulatif", INCONCLUSIVE, 2,
        "Un référent relit tout le lundi matin ; l'autre n'a pas ouvert le courriel, noyé "
        "parmi les notes de service.",
        "L'objet du courriel doit dire combien de fiches attendent.",
    ),
    DemoTest(
        18, TUESDAY, "recapitulatif", INVALIDATES, 3,
        "Même avec un objet explicite, le délai médian reste de 19 jours : les référents "
        "relisent quand un élu les relance, pas quand ils reçoivent un courriel.",
        "Hypothèse invalidée : le format du courriel n'est pas le frein. Piste suivante : "
        "faire relire par l'agent d'accueil d'une commune voisine.",
    ),
    DemoTest(
        17, TUESDAY, "surdite", INCONCLUSIVE, 4,
        "Les personnes signantes cherchent d'abord un rendez-vous en visio-interprétation ; "
        "les malentendantes, la boucle magnétique. Les horaires de l'interprète ne sont "
        "jamais renseignés.",
        "Deux besoins différents : les séparer dans la fiche.",
    ),
    DemoTest(
        17, THURSDAY, "registre", INCONCLUSIVE, 6,
        "Deux mairies sur six ont mis leur fiche à jour ; les autres ne savent plus qui a "
        "rempli le questionnaire l'an dernier.",
        "Le compte est attaché à une personne qui part : prévoir un compte de mairie.",
    ),
    DemoTest(
        16, TUESDAY, "registre", INVALIDATES, 6,
        "Sur douze mairies relancées, trois mises à jour en un mois. Le registre est souvent "
        "tenu par un prestataire, pas par la mairie.",
        "Hypothèse invalidée : le bon moment n'est pas le registre. Passer par les "
        "prestataires qui tiennent les registres.",
    ),
    DemoTest(
        15, TUESDAY, "carte", INCONCLUSIVE, 5,
        "La carte plaît aux usagers en fauteuil mais elle est inutilisable au lecteur "
        "d'écran : les deux participants malvoyants abandonnent.",
        "Une carte accessible coûte cher : garder la liste comme parcours principal.",
    ),
    DemoTest(
        14, TUESDAY, "carte", INCONCLUSIVE, 4,
        "Avec la liste triée par distance, les participants vont aussi vite qu'avec la carte.",
        "La carte n'apporte rien de plus que la liste triée par distance.",
    ),
    DemoTest(
        14, THURSDAY, "surdite", INCONCLUSIVE, 3,
        "La fiche séparée est claire, mais les participants doutent que la boucle "
        "fonctionne : « elle est souvent éteinte ».",
        "Ajouter la date de la dernière vérification de la boucle.",
    ),
    DemoTest(
        11, TUESDAY, "surdite", VALIDATES, 5,
        "Avec les deux rubriques et la date de vérification, les cinq participants trouvent "
        "l'information en premier et disent qu'ils se déplaceraient.",
        "Hypothèse validée : le questionnaire demande désormais la date de vérification de "
        "la boucle.",
    ),
    DemoTest(
        10, TUESDAY, "", INVALIDATES, 5,
        "Quatre participants sur cinq tapent le nom de la ville, pas le code postal : la "
        "recherche par code ne leur sert pas.",
        "Chercher par nom de ville d'abord, le code postal en complément.",
        protocol="Test du nouveau moteur de recherche : trouver l'accueil de la préfecture de "
        "son département à partir de son code postal.",
        profile="Usagers rencontrés à l'accueil d'une sous-préfecture, dont deux personnes "
        "âgées se déplaçant avec une canne",
    ),
    DemoTest(
        10, THURSDAY, "date-verification", INVALIDATES, 5,
        "La date ne change presque rien : quatre participants sur cinq appelleraient quand "
        "même, « par habitude ».",
        "La confiance vient d'ailleurs : peut-être du nom de la personne qui a vérifié.",
    ),
    DemoTest(
        9, TUESDAY, "date-verification", INCONCLUSIVE, 4,
        "Avec « vérifié par l'agent d'accueil le 12 mars », deux participants sur quatre se "
        "déplaceraient sans appeler.",
        "Résultat encourageant mais échantillon trop petit : refaire avec plus de personnes.",
    ),
    DemoTest(
        8, TUESDAY, "tour-du-batiment", VALIDATES, 6,
        "Les fiches remplies en marchant comptent deux fois moins d'erreurs (largeur de "
        "porte, hauteur du guichet).",
        "Le tour du bâtiment améliore la qualité ; reste à savoir si les mairies ont des "
        "tablettes.",
    ),
    DemoTest(
        7, THURSDAY, "date-verification", INCONCLUSIVE, 6,
        "Trois participants sur six se déplaceraient sans appeler. Ceux qui appellent veulent "
        "savoir si l'ascenseur fonctionne aujourd'hui.",
        "La question est la disponibilité du jour, pas l'ancienneté de la fiche.",
    ),
    DemoTest(
        6, TUESDAY, "falc", VALIDATES, 4,
        "Trois participants sur quatre racontent le trajet et l'entrée sans aide ; les "
        "pictogrammes de la porte et du guichet aident beaucoup.",
        "Les pictogrammes sont indispensables : les faire valider par l'atelier FALC de "
        "l'ESAT.",
    ),
    DemoTest(
        5, TUESDAY, "tour-du-batiment", INVALIDATES, 4,
        "Sans tablette prêtée, aucune mairie n'en a : les agents impriment le questionnaire, "
        "font le tour puis ressaisissent.",
        "Tester le parcours sur téléphone, que tout le monde a.",
    ),
    DemoTest(
        3, TUESDAY, "falc", INCONCLUSIVE, 5,
        "Sur une fiche plus complexe (deux bâtiments), deux participants sur cinq se perdent.",
        "Le FALC tient pour un lieu simple ; prévoir un plan simplifié pour les sites à "
        "plusieurs bâtiments.",
    ),
    DemoTest(
        3, THURSDAY, "", VALIDATES, 3,
        "Navigation au clavier complète ; un seul défaut : le focus disparaît sur le bouton "
        "de recherche.",
        "Corrigé dans la journée : la page d'accueil passe l'audit express.",
        protocol="Audit express de la nouvelle page d'accueil : navigation au clavier seul, "
        "puis avec un lecteur d'écran.",
        profile="Deux experts accessibilité d'une association et un développeur non voyant",
    ),
    DemoTest(
        2, TUESDAY, "tour-du-batiment", INCONCLUSIVE, 5,
        "Sur téléphone, trois agents sur cinq remplissent en marchant ; la saisie des "
        "mesures est pénible sur un petit écran.",
        "Prévoir un pavé numérique et des valeurs types pour les mesures.",
        protocol="Le questionnaire sur le téléphone personnel de l'agent, pendant le tour du "
        "bâtiment.",
    ),
    DemoTest(
        1, TUESDAY, "falc", INCONCLUSIVE, 4,
        "Avec le plan simplifié, l'entrée est comprise ; le nom du service (« état civil ») "
        "reste obscur pour tous.",
        "Remplacer les noms de service par ce qu'on vient y faire.",
    ),
    DemoTest(
        1, THURSDAY, "date-verification", INCONCLUSIVE, 5,
        "Les participants comprennent la date, mais demandent une information du jour : "
        "ascenseur en panne, accueil fermé.",
        "Relier cette hypothèse au signalement des pannes, en test la semaine prochaine.",
    ),
    DemoTest(0, TODAY, "pannes", PLANNED, 6),
]


def _at(day: datetime.date, hour: int, now: datetime.datetime) -> datetime.datetime:
    moment = datetime.datetime.combine(
        day, datetime.time(hour), tzinfo=timezone.get_current_timezone()
    )
    return min(moment, now)


def _sources(startup: Startup) -> tuple[dict[str, Idea], dict[str, Feedback]]:
    """The demo's ideas and feedback items the hypotheses come from, when they exist."""
    titles = [h.idea_title for h in HYPOTHESES if h.idea_title]
    ideas = {
        idea.title: idea for idea in Idea.objects.for_startup(startup).filter(title__in=titles)
    }
    feedback = {}
    for hypothesis in HYPOTHESES:
        if hypothesis.feedback_words:
            item = (
                Feedback.objects.for_startup(startup).unmerged()
                .filter(text__icontains=hypothesis.feedback_words)
                .defer("search").order_by("-date", "-pk").first()
            )
            if item is not None:
                feedback[hypothesis.key] = item
    return ideas, feedback


def seed(*, startup: Startup, people: dict[str, User]) -> None:
    writers = [people[role] for role in ("intrapreneur", "team") if people.get(role)]
    if not writers:
        return
    today = timezone.localdate()
    now = timezone.now()
    monday = week_start(today)
    ideas, feedback = _sources(startup)
    specs = {spec.key: spec for spec in HYPOTHESES}

    # What happened, in order: (when, order, kind, what).
    events: list[tuple[datetime.datetime, int, str, object]] = []
    for index, spec in enumerate(HYPOTHESES):
        written = monday - datetime.timedelta(weeks=spec.written_weeks_ago)
        events.append((_at(written, 10, now), index, "write", spec))
        if spec.abandoned_weeks_ago is not None:
            day = monday - datetime.timedelta(weeks=spec.abandoned_weeks_ago, days=-2)
            events.append((_at(day, 11, now), index, "abandon", spec))
    for index, test in enumerate(TESTS):
        day = today if test.day == TODAY else (
            monday - datetime.timedelta(weeks=test.weeks_ago) + datetime.timedelta(days=test.day)
        )
        events.append((_at(day, 16, now), 100 + index, "test", (test, day)))
    events.sort(key=lambda event: (event[0], event[1]))

    last_activity = Activity.objects.filter(startup=startup).order_by("-pk").first()
    stamps: list[datetime.datetime] = []  # one per activity the services write, in order
    hypotheses: dict[str, Hypothesis] = {}
    tests: list[tuple[UserTest, datetime.datetime]] = []
    changed_at: dict[str, datetime.datetime] = {}
    minute = datetime.timedelta(minutes=1)
    for number, (when, _order, kind, what) in enumerate(events):
        actor = writers[number % len(writers)]
        if kind == "write":
            spec = what
            hypotheses[spec.key] = hypothesis_create(
                startup=startup, actor=actor, statement=spec.statement, signal=spec.signal,
                priority=spec.priority, idea=ideas.get(spec.idea_title),
                feedback=feedback.get(spec.key),
            )
            stamps.append(when)
            changed_at[spec.key] = when
        elif kind == "abandon":
            spec = what
            if hypothesis_set_status(
                hypothesis=hypotheses[spec.key], actor=actor, status=HypothesisStatus.ABANDONED
            ):
                stamps.append(when)
                changed_at[spec.key] = when
        else:
            test, day = what
            spec = specs.get(test.hypothesis)
            hypothesis = hypotheses.get(test.hypothesis)
            before = hypothesis.status if hypothesis is not None else None
            recorded = usertest_create(
                startup=startup, actor=actor, date=day, hypothesis=hypothesis,
                protocol=test.protocol or (spec.protocol if spec else ""),
                users_count=test.users_count,
                users_profile=test.profile or (spec.profile if spec else ""),
                observations=test.observations, result=test.result, learning=test.learning,
            )
            tests.append((recorded, when))
            stamps.append(when)
            if hypothesis is not None:
                wanted = (
                    RESULT_HYPOTHESIS_STATUS[TestResult(test.result)] if test.result
                    else HypothesisStatus.TESTING if before == HypothesisStatus.TO_TEST
                    else before
                )
                if wanted != before:
                    stamps.append(when + minute)
                changed_at[test.hypothesis] = when + minute

    # Backdate the rows and their activity to when they happened.
    for key, hypothesis in hypotheses.items():
        written = next(event[0] for event in events if event[3] is specs[key])
        hypothesis.created_at, hypothesis.updated_at = written, changed_at[key]
    Hypothesis.objects.bulk_update(hypotheses.values(), ["created_at", "updated_at"])
    for test, when in tests:
        test.created_at = test.updated_at = when
    UserTest.objects.bulk_update([test for test, _when in tests], ["created_at", "updated_at"])
    activities = list(
        Activity.objects.filter(
            startup=startup, pk__gt=last_activity.pk if last_activity else 0,
            verb__in=["hypothesis.created", "hypothesis.status", "test.recorded"],
        ).order_by("pk").only("pk", "created_at")
    )
    if len(activities) == len(stamps):
        for activity, when in zip(activities, stamps, strict=True):
            activity.created_at = when
        Activity.objects.bulk_update(activities, ["created_at"])
