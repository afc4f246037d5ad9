import pytest
from django.core import mail

from intrapreneur.models import OutboxMessage
from products.enums import FeedbackStatus
from products.services.feedback import feedback_bulk_set_status, feedback_notify_answered
from tests.products.factories import FeedbackFactory

pytestmark = pytest.mark.django_db


def test_the_author_who_asked_is_told_once_when_the_item_is_done(
    world, django_capture_on_commit_callbacks
):
    FeedbackFactory(
        startup=world.startup, author_email="usager@example.fr", author_consents=True,
        text="La page <b>plante</b> quand je valide.",
    )
    FeedbackFactory(startup=world.startup, author_email="discret@example.fr",
                    author_consents=False)
    FeedbackFactory(startup=world.startup)
    ids = list(world.startup.feedback.values_list("pk", flat=True))
    actor = world.people["team"]
    with django_capture_on_commit_callbacks(execute=True):
        feedback_bulk_set_status(startup=world.startup, actor=actor, ids=ids,
                                 status=FeedbackStatus.DONE)
        # Reopened, then done again: the author is not told a second time.
        feedback_bulk_set_status(startup=world.startup, actor=actor, ids=ids,
                                 status=FeedbackStatus.TRIAGED)
        feedback_bulk_set_status(startup=world.startup, actor=actor, ids=ids,
                                 status=FeedbackStatus.DONE)
    assert [message.to for message in mail.outbox] == [["usager@example.fr"]]
    assert world.startup.name in mail.outbox[0].subject
    assert "La page <b>plante</b>" in mail.outbox[0].body
    assert "&lt;b&gt;plante" in mail.outbox[0].alternatives[0].content
    assert OutboxMessage.objects.filter(kind="feedback-answered").count() == 1


def test_items_not_done_tell_nobody(world):
    FeedbackFactory(startup=world.startup, author_email="usager@example.fr",
                    author_consents=True, status=FeedbackStatus.PLANNED)
    assert feedback_notify_answered(world.startup.feedback.all()) == 0
    assert not OutboxMessage.objects.exists()
