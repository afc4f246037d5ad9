"""Demo ideas: 30 ideas in French, proposed and supported by the demo people.

``seed(startup=…, people=…)`` is called once, when the demo startup is created.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from intrapreneur.enums import Role
from intrapreneur.models import Membership, Startup, User
from products.models import Idea
from products.services.ideas import idea_create, idea_vote

# (title, description in Markdown)
IDEAS: list[tuple[str, str]] = [
    ("Se connecter avec FranceConnect",
     "Beaucoup d'usagers oublient leur mot de passe. **FranceConnect** leur éviterait un "
     "compte de plus et nous donnerait une identité vérifiée."),
    ("Envoyer un rappel par SMS la veille du rendez-vous",
     "Les usagers qui n'ont pas de courriel consulté régulièrement manquent les rendez-vous. "
     "Un SMS la veille, avec l'adresse et l'horaire, réduirait les absences."),
    ("Proposer une version en FALC",
     "Une version **Facile à lire et à comprendre** des pages principales, relue par des "
     "personnes concernées."),
    ("Exporter les demandes au format tableur",
     "Les agents recopient aujourd'hui les demandes dans leur propre tableur. Un export CSV "
     "filtré par période leur ferait gagner une demi-journée par mois."),
    ("Afficher le délai moyen de traitement",
     "Savoir qu'une demande est traitée en 12 jours en moyenne rassure et évite les appels "
     "de relance."),
    ("Traduire le parcours en anglais et en arabe",
     "Les associations d'accompagnement nous le demandent à chaque atelier."),
    ("Un mode hors connexion pour les agents en déplacement",
     "Sur le terrain, le réseau est souvent absent : pouvoir saisir puis synchroniser au "
     "retour."),
    ("Joindre une photo depuis le téléphone",
     "Prendre la photo directement depuis le formulaire, sans passer par la galerie."),
    ("Tableau de bord pour les responsables de service",
     "Une page qui résume le nombre de demandes, leur état et les retards, par semaine."),
    ("Notifier l'usager à chaque changement d'état",
     "Un courriel court : *votre demande est en cours d'instruction*, *votre demande est "
     "acceptée*, avec un lien vers le suivi."),
    ("Pré-remplir l'adresse avec la Base Adresse Nationale",
     "L'autocomplétion de la BAN éviterait les adresses mal orthographiées."),
    ("Page d'aide avec les questions fréquentes",
     "Les dix questions qui reviennent le plus au téléphone, avec leur réponse."),
    ("Permettre de reprendre une démarche commencée",
     "Sauvegarder le brouillon et envoyer un lien pour terminer plus tard."),
    ("Accessibilité : contraste renforcé et taille de texte",
     "Suite aux tests avec des personnes malvoyantes : un réglage d'affichage visible dès "
     "l'accueil."),
    ("Signature électronique des documents",
     "Éviter l'impression, la signature et le scan des attestations."),
    ("Carte des points d'accueil physiques",
     "Pour les usagers qui préfèrent être accompagnés : où aller, quels horaires."),
    ("Messagerie entre l'usager et l'agent",
     "Échanger sur une demande sans multiplier les courriels perdus dans les boîtes "
     "génériques."),
    ("Connexion des agents avec ProConnect",
     "Les agents ont déjà un compte ProConnect : inutile de leur créer un mot de passe."),
    ("Statistiques publiques mises à jour chaque semaine",
     "Publier le nombre d'usagers, de demandes traitées et la satisfaction, comme le "
     "demande le programme beta.gouv.fr."),
    ("Questionnaire de satisfaction en fin de parcours",
     "Trois questions maximum, dont une ouverte."),
    ("Import des dossiers existants depuis l'ancien logiciel",
     "Pour que les communes pilotes ne perdent pas leur historique en basculant."),
    ("Rappel automatique des dossiers sans réponse depuis 15 jours",
     "Un courriel aux agents pour les demandes qui attendent, avant que l'usager ne "
     "relance."),
    ("Télécharger un récapitulatif PDF de la demande",
     "Utile pour les usagers qui doivent le présenter à un travailleur social."),
    ("Guide de prise en main pour les nouveaux agents",
     "Une vidéo de trois minutes et une fiche imprimable."),
    ("Vérifier automatiquement les pièces justificatives",
     "Détecter les pièces illisibles ou expirées avant l'envoi."),
    ("API pour les éditeurs de logiciels métier",
     "Plusieurs éditeurs veulent intégrer nos données : une API documentée éviterait les "
     "doubles saisies."),
    ("Ateliers mensuels avec les usagers",
     "Montrer les nouveautés et recueillir les retours en direct, avec les associations "
     "partenaires."),
    ("Afficher les horaires d'ouverture en temps réel",
     "Indiquer les fermetures exceptionnelles et les jours fériés."),
    ("Simplifier le formulaire d'inscription",
     "Passer de 14 à 6 champs : la moitié ne sert jamais à l'instruction."),
    ("Relance par courrier pour les usagers sans numérique",
     "Certains usagers n'ont ni courriel ni téléphone portable : une lettre reste "
     "indispensable."),
]

# How many of the voters support each idea, in the order above: varied on purpose.
VOTES = [4, 3, 4, 2, 1, 0, 2, 3, 1, 4, 2, 0, 3, 4, 1, 2, 0, 1, 3, 2,
         0, 1, 2, 1, 0, 3, 1, 0, 4, 2]
PROPOSING_ROLES = (Role.INTRAPRENEUR, Role.TEAM, Role.COACH, Role.SPONSOR)


def _voters(startup: Startup, people: dict[str, User]) -> list[User]:
    """The people who may propose: the roles given, then the startup's other members."""
    voters = [people[key] for key in ("intrapreneur", "team", "coach", "sponsor") if key in people]
    members = Membership.objects.filter(startup=startup, role__in=PROPOSING_ROLES)
    for membership in members.select_related("user").order_by("pk"):
        if membership.user not in voters:
            voters.append(membership.user)
    return voters


def seed(*, startup: Startup, people: dict[str, User]) -> list[Idea]:
    voters = _voters(startup, people)
    if not voters:
        return []
    now = timezone.now()
    ideas = []
    for index, (title, description) in enumerate(IDEAS):
        author = voters[index % len(voters)]
        idea = idea_create(startup=startup, actor=author, title=title, description=description)
        # Proposed over the last months, the first ones longest ago.
        when = now - datetime.timedelta(days=3 * (len(IDEAS) - index), hours=index % 7)
        Idea.objects.filter(pk=idea.pk).update(created_at=when)
        count = min(VOTES[index % len(VOTES)], len(voters))
        for voter in voters[(index % len(voters)):] + voters[: (index % len(voters))]:
            if count == 0:
                break
            idea_vote(idea=idea, user=voter, vote=True)
            count -= 1
        ideas.append(idea)
    return ideas
