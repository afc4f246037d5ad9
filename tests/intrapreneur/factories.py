import datetime

import factory
from django.utils import timezone

from intrapreneur.enums import NotificationKind, Phase, Role
from intrapreneur.models import (
    Comment,
    Event,
    Incubator,
    Membership,
    Notification,
    PhaseChange,
    Startup,
    Tag,
    User,
)

PASSWORD = "mot-de-passe-de-test-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@example.gouv.fr")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.django.Password(PASSWORD)

    class Params:
        staff = factory.Trait(is_staff=True)
        superuser = factory.Trait(is_staff=True, is_superuser=True)


class IncubatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Incubator
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Incubateur {n}")
    slug = factory.Sequence(lambda n: f"incubateur-{n}")


class StartupFactory(factory.django.DjangoModelFactory):
    """A startup with its first PhaseChange, as the service creates it.

    Traits put it in a later phase, as if the phase service had moved it there.
    """

    class Meta:
        model = Startup
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Startup {n}")
    slug = factory.Sequence(lambda n: f"startup-{n}")
    mission = "Aider les agents publics à mieux servir les usagers."
    incubator = factory.SubFactory(IncubatorFactory)
    sponsor_organisation = "Direction interministérielle du numérique"
    phase = Phase.INVESTIGATION

    class Params:
        in_construction = factory.Trait(phase=Phase.CONSTRUCTION)
        in_acceleration = factory.Trait(phase=Phase.ACCELERATION)

    @factory.post_generation
    def history(obj, create, extracted, **kwargs):
        if create:
            PhaseChange.objects.create(
                startup=obj, phase=obj.phase,
                date=timezone.localdate() - datetime.timedelta(days=30), reason="Création",
            )


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    startup = factory.SubFactory(StartupFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.TEAM
    job_title = "Développeuse"
    week_share = 100


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    startup = factory.SubFactory(StartupFactory)
    name = factory.Sequence(lambda n: f"étiquette {n}")


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    startup = factory.SubFactory(StartupFactory)
    kind = "product_launch"
    date = factory.LazyFunction(timezone.localdate)
    comment = "Ouverture aux premiers usagers"


class NotificationFactory(factory.django.DjangoModelFactory):
    """A release notification of the recipient's startup (give a recipient who is a member)."""

    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    startup = factory.SubFactory(StartupFactory)
    kind = NotificationKind.RELEASE
    actor = factory.SubFactory(UserFactory)
    label = factory.Sequence(lambda n: f"v1.{n}")
    url = factory.LazyAttribute(lambda o: f"/startups/{o.startup.slug}/product/releases/")


class CommentFactory(factory.django.DjangoModelFactory):
    """A comment on ``target`` (give it: an insight, a hypothesis…), in its startup."""

    class Meta:
        model = Comment

    target = None
    startup = factory.LazyAttribute(lambda o: o.target.startup)
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"Remarque n° {n} : à **creuser**.")


def comment_threads(target, size: int, author=None) -> list:
    """``size`` comments on ``target``, each with more replies as ``size`` grows."""
    extra = {"author": author} if author else {}
    threads = CommentFactory.create_batch(size, target=target, **extra)
    for thread in threads:
        CommentFactory.create_batch(1 + size // 10, target=target, parent=thread)
    return threads
