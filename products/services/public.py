"""What the public pages write: feedback from the public form, and its rate limit."""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.db import transaction

from intrapreneur.activity import activity_record
from intrapreneur.models import Startup
from products.enums import FeedbackChannel, FeedbackSource, FeedbackStatus
from products.models import Feedback
from products.services.feedback import feedback_index, feedback_notify_members

logger = logging.getLogger(__name__)

# At most this many posts of the public form per client address and window.
FEEDBACK_RATE_LIMIT = 5
FEEDBACK_RATE_WINDOW = 60  # seconds


@transaction.atomic
def feedback_receive(
    *, startup: Startup, text: str, author_email: str = "", consents: bool = False
) -> Feedback:
    """A message of the public form: in the inbox as new, from a user, by the form.

    The address is kept only with the author's consent to be answered.
    """
    email = author_email.strip() if consents else ""
    feedback = Feedback.objects.create(
        startup=startup,
        source=FeedbackSource.USER,
        channel=FeedbackChannel.FORM,
        status=FeedbackStatus.NEW,
        text=text.strip(),
        author_email=email,
        author_consents=bool(email),
    )
    feedback_index(Feedback.objects.filter(pk=feedback.pk))
    activity_record(startup=startup, actor=None, verb="feedback.received", target=feedback)
    feedback_notify_members(feedback, None)
    return feedback


def feedback_rate_exceeded(*, client: str) -> bool:
    """Count one post of the public form from ``client``; True past the limit.

    A fixed window starting at the client's first post. Without a working cache the post is
    let through (logged): the form must keep working when the cache is down.
    """
    key = f"public-feedback-posts:{client}"
    try:
        if cache.add(key, 1, timeout=FEEDBACK_RATE_WINDOW):
            return False
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, timeout=FEEDBACK_RATE_WINDOW)
            return False
    except Exception:  # noqa: BLE001 - a broken cache must not break the form
        logger.warning("feedback rate limit: cache unavailable", exc_info=True)
        return False
    return count > FEEDBACK_RATE_LIMIT
