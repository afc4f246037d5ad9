"""Demo coaching log: four sessions with the coach over the last months, on different
topics, with action items done, open and one overdue.

``seed(*, startup, people)`` runs once, when the demo startup is created; everything goes
through the services, dated relative to today.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from governance.enums import CoachingTopic
from governance.services.coaching import (
    action_item_create,
    action_item_toggle,
    coaches_of,
    coaching_session_create,
    owners_of,
)
from intrapreneur.models import Startup, User

# (days ago, topic, summary, notes, [(action, owner key, due in days, done)])
SESSIONS = [
    (
        84, CoachingTopic.USER_RESEARCH, "Recruter des agents hors des grandes villes",
        "Les entretiens se concentrent sur les mairies de plus de 10 000 habitants.\n\n"
        "- passer par les associations de maires ruraux ;\n- proposer des créneaux le soir.",
        [("Écrire à l'association des maires ruraux", "intrapreneur", -70, True),
         ("Mener cinq entretiens en mairie rurale", "team", -40, True)],
    ),
    (
        56, CoachingTopic.PRODUCT_MANAGEMENT, "Prioriser le parcours de dépôt",
        "Le tableau de bord attendra : **le dépôt en ligne** est ce que les agents "
        "demandent.",
        [("Réécrire la feuille de route sur une page", "intrapreneur", -30, True),
         ("Retirer le tableau de bord du prochain sprint", "team", -20, False)],
    ),
    (
        28, CoachingTopic.DIGITAL_SECURITY, "Préparer l'homologation",
        "Lancer l'analyse de risques avec MonServiceSécurisé avant l'ouverture nationale.",
        [("Créer le service sur MonServiceSécurisé", "team", 10, False)],
    ),
    (
        7, CoachingTopic.MANAGEMENT, "Le rôle de la chargée de déploiement",
        "Clarifier qui suit les partenaires : un tableau partagé, un point hebdomadaire.",
        [("Proposer un rituel hebdomadaire à l'équipe", "intrapreneur", 14, False)],
    ),
]


def seed(*, startup: Startup, people: dict[str, User]) -> None:
    today = timezone.localdate()
    actor = people.get("intrapreneur") or people.get("team")
    coach = coaches_of(startup).first()
    owners = set(owners_of(startup))
    for days_ago, topic, summary, notes, actions in SESSIONS:
        session = coaching_session_create(
            startup=startup, actor=actor, date=today - datetime.timedelta(days=days_ago),
            topic=topic, coach=coach, coach_name="" if coach else "Julien Moreau",
            summary=summary, notes=notes,
        )
        for text, owner_key, due_in, done in actions:
            owner = people.get(owner_key)
            item = action_item_create(
                session=session, actor=actor, text=text,
                owner=owner if owner in owners else None,
                due_on=today + datetime.timedelta(days=due_in),
            )
            if done:
                action_item_toggle(item=item, actor=actor, done=True)
