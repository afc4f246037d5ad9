"""Factories of the products app (shared: append, never rewrite)."""

import datetime

import factory
from django.utils import timezone

from products.models import Idea, IdeaVote
from tests.intrapreneur.factories import StartupFactory, UserFactory


class IdeaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Idea

    startup = factory.SubFactory(StartupFactory)
    title = factory.Sequence(lambda n: f"Idée {n} : rappeler les usagers par SMS")
    description = "Un rappel la veille du rendez-vous réduirait les absences."
    author = factory.SubFactory(UserFactory)


class IdeaVoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IdeaVote

    idea = factory.SubFactory(IdeaFactory)
    user = factory.SubFactory(UserFactory)


class FeedbackFactory(factory.django.DjangoModelFactory):
    """A feedback item, written directly: its full-text index is left empty (call
    ``products.services.feedback.feedback_index`` when a test searches on PostgreSQL)."""

    class Meta:
        model = "products.Feedback"
        skip_postgeneration_save = True

    startup = factory.SubFactory(StartupFactory)
    text = factory.Sequence(
        lambda n: f"Retour {n} : la secrétaire de mairie ne trouve pas le bouton d'export."
    )
    kind = "problem"
    source = "user"
    channel = "email"
    status = "new"

    @factory.post_generation
    def tags(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.tags.set(extracted)


class MetricFactory(factory.django.DjangoModelFactory):
    """A metric of the impact matrix, written directly (the services record activity)."""

    class Meta:
        model = "products.Metric"

    startup = factory.SubFactory(StartupFactory)
    name = factory.Sequence(lambda n: f"Indicateur {n} : démarches déposées en ligne")
    key = factory.Sequence(lambda n: f"indicateur-{n}")
    unit = "démarches"
    direction = "up"
    impact_level = "utilise"
    aarri_step = "activation"
    is_public = False


class MetricValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "products.MetricValue"

    metric = factory.SubFactory(MetricFactory)
    date = factory.Sequence(lambda n: datetime.date(2025, 1, 1) + datetime.timedelta(weeks=n))
    value = factory.Sequence(lambda n: 100 + 10 * n)


class ApiTokenFactory(factory.django.DjangoModelFactory):
    """An API token whose clear value is unknown (``services.metrics.token_create`` gives
    one with its value)."""

    class Meta:
        model = "products.ApiToken"

    startup = factory.SubFactory(StartupFactory)
    name = factory.Sequence(lambda n: f"Script d'export {n}")
    prefix = factory.Sequence(lambda n: f"itp_{n:08d}")
    token_hash = factory.Sequence(lambda n: f"{n:064x}")


class HypothesisFactory(factory.django.DjangoModelFactory):
    """A hypothesis written directly (the services record activity)."""

    class Meta:
        model = "products.Hypothesis"

    startup = factory.SubFactory(StartupFactory)
    statement = factory.Sequence(
        lambda n: f"Hypothèse {n} : les secrétaires de mairie déclareront en ligne si le "
        "formulaire tient sur une page."
    )
    signal = "Plus de la moitié des mairies testées déclarent sans appeler le support."
    status = "to_test"
    priority = 2


class UserTestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "products.UserTest"

    startup = factory.SubFactory(StartupFactory)
    date = factory.LazyFunction(timezone.localdate)
    hypothesis = factory.SubFactory(
        HypothesisFactory, startup=factory.SelfAttribute("..startup")
    )
    protocol = "Test du parcours de déclaration sur un prototype cliquable, 30 minutes."
    users_count = 5
    users_profile = "Secrétaires de mairie de communes rurales"
    observations = "Trois personnes sur cinq ont trouvé le bouton « Déclarer »."
    result = ""
    learning = ""


class ReleaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "products.Release"
        skip_postgeneration_save = True

    startup = factory.SubFactory(StartupFactory)
    version = factory.Sequence(lambda n: f"v1.{n}")
    date = factory.Sequence(lambda n: datetime.date(2026, 1, 5) + datetime.timedelta(weeks=n))
    notes = "- Le formulaire se sauvegarde à chaque étape.\n- **Nouveau** : export PDF."
    is_published = False

    @factory.post_generation
    def answers(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.answers.set(extracted)


class LearningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "products.Learning"

    startup = factory.SubFactory(StartupFactory)
    date = factory.Sequence(lambda n: datetime.date(2026, 1, 5) + datetime.timedelta(weeks=n))
    learned = factory.Sequence(
        lambda n: f"Apprentissage {n} : les mairies rurales déclarent le soir, depuis un "
        "téléphone."
    )
    changes = "Nous passons le formulaire en mobile d'abord."
    stops = "Nous arrêtons l'application de bureau."


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "products.Partner"

    startup = factory.SubFactory(StartupFactory)
    organisation = factory.Sequence(lambda n: f"Communauté de communes n° {n}")
    kind = "collectivite"
    territory = "Creuse"
    contact = "Mme la directrice générale des services"
    stage = "identified"
