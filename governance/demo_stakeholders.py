"""Demo stakeholders of Accueil Accessible: ten people and organisations over the four
quadrants of the grid, each with one to four interactions over the last months.

``seed(*, startup, people)`` runs once, when the demo startup is created; everything goes
through the services, dated relative to today. The current next steps (those of each
stakeholder's latest interaction) are upcoming for most, overdue for the DGCL's office head,
and some stakeholders have none. Nothing is sent.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from governance.enums import Level, StakeholderKind
from governance.services.stakeholders import interaction_create, stakeholder_create
from intrapreneur.models import Startup, User

HIGH, LOW = Level.HIGH, Level.LOW
PERSON, ORGANISATION = StakeholderKind.PERSON, StakeholderKind.ORGANISATION


@dataclass(frozen=True)
class DemoInteraction:
    days_ago: int
    subject: str
    outcome: str
    next_step: str = ""
    # Days from today; None: no date.
    next_step_in: int | None = None


@dataclass(frozen=True)
class DemoStakeholder:
    name: str
    kind: str
    organisation: str
    role: str
    influence: str
    interest: str
    contact: str
    notes: str
    interactions: tuple[DemoInteraction, ...]


STAKEHOLDERS = [
    # Manage closely: high influence, high interest.
    DemoStakeholder(
        "Hélène Marchetti", PERSON, "Délégation ministérielle à l'accessibilité",
        "Déléguée ministérielle à l'accessibilité", HIGH, HIGH,
        "secretariat.dma@example.gouv.fr",
        "Porte le sujet de l'accueil en mairie au comité interministériel du handicap. "
        "Attend des **chiffres de déploiement** avant chaque comité.",
        (
            DemoInteraction(
                120, "Présentation du service au cabinet",
                "Intérêt marqué ; demande un point tous les deux mois.",
                "Envoyer les chiffres du trimestre", -95,
            ),
            DemoInteraction(
                60, "Point d'étape bimestriel",
                "Les 212 accueils décrits en Creuse l'ont convaincue : elle cite le service "
                "dans sa note au comité interministériel.",
                "Préparer une démonstration pour le comité interministériel", -30,
            ),
            DemoInteraction(
                12, "Répétition de la démonstration",
                "Démonstration validée ; garder le parcours sur mobile, plus parlant.",
                "Démonstration au comité interministériel du handicap", 18,
            ),
        ),
    ),
    DemoStakeholder(
        "Bureau des services publics locaux (DGCL)", ORGANISATION,
        "Direction générale des collectivités locales", "Cheffe de bureau", HIGH, HIGH,
        "bureau-spl@example.gouv.fr",
        "Peut relayer le service dans la circulaire annuelle aux préfectures.",
        (
            DemoInteraction(
                75, "Premier rendez-vous avec la cheffe de bureau",
                "D'accord pour une mention dans la circulaire si trois départements "
                "l'utilisent.",
                "Transmettre la liste des départements pilotes", -50,
            ),
            DemoInteraction(
                40, "Envoi de la liste des départements pilotes",
                "Bien reçu ; elle attend une proposition de paragraphe pour la circulaire.",
                "Rédiger le paragraphe de la circulaire aux préfectures", -6,
            ),
        ),
    ),
    DemoStakeholder(
        "APF France handicap", ORGANISATION, "APF France handicap",
        "Direction du plaidoyer", HIGH, HIGH, "plaidoyer@example.org",
        "Partenaire des ateliers de relecture ; son avis compte pour les associations "
        "locales.",
        (
            DemoInteraction(
                90, "Atelier de relecture des fiches à Lille",
                "Huit adhérents ont relu 40 fiches : trois erreurs de hauteur de guichet.",
            ),
            DemoInteraction(
                21, "Bilan des ateliers",
                "Ils proposent d'étendre les ateliers à deux autres délégations.",
                "Caler les dates des ateliers de Bordeaux et de Clermont-Ferrand", 10,
            ),
        ),
    ),
    # Keep satisfied: high influence, low interest.
    DemoStakeholder(
        "DINUM — direction", ORGANISATION, "Direction interministérielle du numérique",
        "Directrice adjointe", HIGH, LOW, "contact-incubateur@example.gouv.fr",
        "Décide du financement au comité d'investissement ; peu de temps, des messages "
        "courts.",
        (
            DemoInteraction(
                45, "Revue du portefeuille de l'incubateur",
                "Le service est cité parmi ceux à accélérer si l'usage se confirme.",
                "Envoyer une synthèse d'une page avant le comité", 25,
            ),
        ),
    ),
    DemoStakeholder(
        "Préfecture de la Creuse", ORGANISATION, "Préfecture de la Creuse",
        "Secrétaire général", HIGH, LOW, "sg@creuse.example.gouv.fr",
        "Soutien institutionnel du premier département ; à tenir au courant sans le "
        "solliciter.",
        (
            DemoInteraction(
                100, "Courrier de présentation", "Accusé de réception, soutien de principe.",
            ),
            DemoInteraction(
                30, "Réunion des sous-préfets",
                "Cinq minutes de présentation ; questions sur la charge des agents.",
            ),
        ),
    ),
    # Keep informed: low influence, high interest.
    DemoStakeholder(
        "Nadia Benali", PERSON, "Mairie de Guéret", "Maire pilote", LOW, HIGH,
        "cabinet@gueret.example.fr",
        "Première mairie pilote ; témoigne volontiers auprès d'autres élus.",
        (
            DemoInteraction(
                150, "Lancement du pilote en mairie",
                "Les agentes d'accueil ont décrit l'hôtel de ville en une matinée.",
                "Retour d'expérience après un mois", -120,
            ),
            DemoInteraction(
                115, "Retour d'expérience après un mois",
                "Le questionnaire est trop long sur mobile : à raccourcir.",
            ),
            DemoInteraction(
                55, "Visite de l'équipe à Guéret",
                "Nouveau questionnaire adopté ; elle propose de parler au congrès "
                "départemental des maires.",
            ),
            DemoInteraction(
                9, "Préparation du congrès des maires",
                "Intervention de dix minutes acceptée.",
                "Intervention au congrès départemental des maires", 16,
            ),
        ),
    ),
    DemoStakeholder(
        "Collectif Handi-Accueil Creuse", ORGANISATION, "Association locale",
        "Président", LOW, HIGH, "contact@handi-accueil.example.org",
        "Signale les accueils mal décrits ; très attentif au service.",
        (
            DemoInteraction(
                35, "Réunion publique à Aubusson",
                "Douze signalements d'accueils à revoir, transmis aux mairies.",
                "Lui envoyer le suivi des douze signalements", 7,
            ),
        ),
    ),
    DemoStakeholder(
        "Référents accessibilité des départements", ORGANISATION,
        "Réseau des référents départementaux", "Réseau professionnel", LOW, HIGH,
        "reseau-referents@example.fr",
        "Relais naturels du déploiement ; une liste de diffusion.",
        (
            DemoInteraction(
                70, "Webinaire de présentation",
                "Quarante participants, six départements intéressés.",
            ),
            DemoInteraction(
                14, "Lettre d'information de printemps",
                "Deux nouveaux départements demandent un rendez-vous.",
                "Programmer les rendez-vous avec le Cantal et la Corrèze", 12,
            ),
        ),
    ),
    # Monitor: low influence, low interest.
    DemoStakeholder(
        "Association des maires ruraux", ORGANISATION, "Association des maires ruraux",
        "Chargé de mission", LOW, LOW, "mission@example.org",
        "À informer au moment d'un déploiement national.",
        (
            DemoInteraction(
                80, "Échange téléphonique", "Pas de sujet commun pour l'instant.",
            ),
        ),
    ),
    DemoStakeholder(
        "Éditeur du logiciel d'accueil municipal", ORGANISATION, "Éditeur privé",
        "Responsable produit", LOW, LOW, "produit@editeur.example.com",
        "Pourrait afficher les fiches dans son logiciel ; à suivre.",
        (
            DemoInteraction(
                65, "Démonstration croisée",
                "Intérêt pour l'API publique, pas avant l'an prochain.",
            ),
            DemoInteraction(
                20, "Relance sur l'API",
                "Toujours intéressés ; ils attendent la documentation.",
                "Leur envoyer la documentation de l'API", 30,
            ),
        ),
    ),
]


def seed(*, startup: Startup, people: dict[str, User]) -> None:
    today = timezone.localdate()
    actor = people.get("intrapreneur") or people.get("team")
    authors = [person for person in (actor, people.get("team")) if person is not None]
    for spec in STAKEHOLDERS:
        stakeholder = stakeholder_create(
            startup=startup, actor=actor, name=spec.name, kind=spec.kind,
            organisation=spec.organisation, role=spec.role, interest=spec.interest,
            influence=spec.influence, contact=spec.contact, notes=spec.notes,
        )
        for index, step in enumerate(sorted(spec.interactions, key=lambda i: -i.days_ago)):
            interaction_create(
                stakeholder=stakeholder,
                actor=authors[index % len(authors)] if authors else None,
                date=today - datetime.timedelta(days=step.days_ago),
                subject=step.subject,
                outcome=step.outcome,
                next_step=step.next_step,
                next_step_on=(
                    today + datetime.timedelta(days=step.next_step_in)
                    if step.next_step_in is not None else None
                ),
            )
