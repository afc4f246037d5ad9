"""Demo partners of Accueil Accessible: 10 organisations over every stage of the pipeline.

``seed(*, startup, people)`` is called once, when the demo startup is created; the partners
go through the services, their next steps dated around today (two of them overdue).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from intrapreneur.models import Startup, User
from products.enums import PartnerKind, PartnerStage
from products.services.partners import partner_create


@dataclass(frozen=True)
class DemoPartner:
    organisation: str
    kind: str
    territory: str
    contact: str
    stage: str
    next_step: str
    # Days from today; None: no date.
    next_step_in: int | None
    notes: str = ""


PARTNERS = [
    DemoPartner(
        "Département de la Creuse", PartnerKind.COLLECTIVITE, "Creuse",
        "Référente accessibilité, direction de l'autonomie", PartnerStage.DEPLOYED,
        "Bilan des six mois avec la référente accessibilité", 20,
        "Premier département déployé : **212 accueils** décrits, relus par la référente. "
        "Elle souhaite présenter le bilan aux autres départements de la région.",
    ),
    DemoPartner(
        "Mairie de Guéret", PartnerKind.COLLECTIVITE, "Creuse",
        "Responsable de l'accueil de l'hôtel de ville", PartnerStage.DEPLOYED,
        "Former les deux nouvelles agentes d'accueil au questionnaire", -5,
        "Mairie pilote depuis le début ; ses retours ont fait naître le questionnaire mobile.",
    ),
    DemoPartner(
        "Région Hauts-de-France", PartnerKind.COLLECTIVITE, "Hauts-de-France",
        "Chargé de mission inclusion, cabinet du vice-président", PartnerStage.DISCUSSION,
        "Présenter le service au vice-président chargé du handicap", 12,
        "Intérêt pour décrire les accueils des lycées ; budget possible sur le plan "
        "régional d'inclusion.",
    ),
    DemoPartner(
        "Métropole européenne de Lille", PartnerKind.COLLECTIVITE, "Nord",
        "Direction de la relation aux usagers", PartnerStage.SIGNED,
        "Réunion de lancement avec les communes volontaires", 7,
        "Convention signée pour un an : 30 communes volontaires, une par une.",
    ),
    DemoPartner(
        "Préfecture du Cantal", PartnerKind.ADMINISTRATION, "Cantal",
        "Secrétaire générale adjointe", PartnerStage.ONBOARDING,
        "Décrire l'accueil des trois sous-préfectures", -3,
        "La préfecture est décrite ; les sous-préfectures attendent le passage du référent.",
    ),
    DemoPartner(
        "Caisse d'allocations familiales de la Gironde", PartnerKind.OPERATEUR, "Gironde",
        "Responsable de la stratégie d'accueil", PartnerStage.ONBOARDING,
        "Ouvrir les comptes des douze points d'accueil", 3,
        "Ils veulent afficher les fiches sur caf.fr : à prévoir avec l'API.",
    ),
    DemoPartner(
        "France Travail, direction régionale Occitanie", PartnerKind.OPERATEUR, "Occitanie",
        "Mission handicap de la direction régionale", PartnerStage.IDENTIFIED,
        "Trouver le bon interlocuteur à la direction régionale", 30,
    ),
    DemoPartner(
        "APF France handicap, délégation du Nord", PartnerKind.ASSOCIATION, "Nord",
        "Chargée de développement associatif", PartnerStage.DISCUSSION,
        "Atelier de relecture des fiches avec huit adhérents", 15,
        "Prêts à relire les fiches de la métropole lilloise et à signaler les erreurs.",
    ),
    DemoPartner(
        "Union nationale des aveugles et déficients visuels", PartnerKind.ASSOCIATION,
        "National", "Responsable accessibilité numérique", PartnerStage.IDENTIFIED,
        "Premier rendez-vous : tester les fiches au lecteur d'écran", None,
    ),
    DemoPartner(
        "Communauté de communes Creuse Sud Ouest", PartnerKind.COLLECTIVITE, "Creuse",
        "Directeur général des services", PartnerStage.LOST,
        "Reprendre contact après le renouvellement du conseil communautaire", 90,
        "Pas de moyens humains pour décrire les accueils cette année.",
    ),
]


def seed(*, startup: Startup, people: dict[str, User]) -> None:
    today = timezone.localdate()
    actor = people.get("intrapreneur") or people.get("team")
    for spec in PARTNERS:
        partner_create(
            startup=startup,
            actor=actor,
            organisation=spec.organisation,
            kind=spec.kind,
            territory=spec.territory,
            contact=spec.contact,
            stage=spec.stage,
            next_step=spec.next_step,
            next_step_date=(
                today + datetime.timedelta(days=spec.next_step_in)
                if spec.next_step_in is not None else None
            ),
            notes=spec.notes,
        )
