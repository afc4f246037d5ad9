"""Factories of the investigations app (shared: append, never rewrite)."""

import datetime

import factory
from django.utils import timezone

from intrapreneur.enums import Role
from investigations.enums import InsightStatus, InterviewKind, UserType
from investigations.models import (
    Evidence,
    Insight,
    Interview,
    LaunchCommittee,
    Participant,
    ParticipantContact,
    Scenario,
)
from investigations.services.participants import next_number
from tests.intrapreneur.factories import MembershipFactory, StartupFactory


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    startup = factory.SubFactory(StartupFactory)
    # The next free number of its startup, as the service gives it.
    number = factory.LazyAttribute(lambda o: next_number(o.startup))
    usertype = UserType.COLLECTIVITE
    profile = "Secrétaire de mairie, commune de 800 habitants"
    territory = "Creuse"


class ParticipantContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParticipantContact

    participant = factory.SubFactory(ParticipantFactory)
    name = factory.Faker("name", locale="fr_FR")
    email = factory.Sequence(lambda n: f"participant{n}@example.fr")
    consent_date = factory.LazyFunction(timezone.localdate)


class InterviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interview
        skip_postgeneration_save = True

    startup = factory.SubFactory(StartupFactory)
    kind = InterviewKind.USER
    date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=3))
    place = "Mairie de Guéret"
    participant = factory.SubFactory(
        ParticipantFactory, startup=factory.SelfAttribute("..startup")
    )
    notes = "La secrétaire de mairie tient le registre **à la main**."


class InsightFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Insight

    startup = factory.SubFactory(StartupFactory)
    statement = factory.Sequence(lambda n: f"Les mairies ne repèrent pas les échéances ({n})")
    status = InsightStatus.TO_CONFIRM

    class Params:
        confirmed = factory.Trait(status=InsightStatus.CONFIRMED)
        refuted = factory.Trait(status=InsightStatus.REFUTED)


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evidence

    insight = factory.SubFactory(InsightFactory)
    interview = factory.SubFactory(
        InterviewFactory, startup=factory.SelfAttribute("..insight.startup")
    )
    quote = "« On découvre les concessions échues quand une famille appelle. »"


class ScenarioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scenario

    startup = factory.SubFactory(StartupFactory)
    title = factory.Sequence(lambda n: f"Registre numérique {n}")
    description = "La mairie photographie ses registres ; le service en tire les échéances."


class LaunchCommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LaunchCommittee
        skip_postgeneration_save = True

    startup = factory.SubFactory(StartupFactory)
    date = factory.LazyFunction(timezone.localdate)
    problem = "Les petites communes ne suivent pas les échéances des concessions."
    first_six_months = "Tester la numérisation du registre dans trois communes."
    outside_attendees = "Jeanne Dupont, DGCL\nPaul Martin, incubateur"

    @factory.post_generation
    def attendees(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.attendees.set(extracted)


def member(startup, role=Role.TEAM):
    """A new person holding ``role`` in the startup."""
    return MembershipFactory(startup=startup, role=role).user
