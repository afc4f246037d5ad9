"""Ideas: proposed by the members who may ``propose``, voted once per person.

A vote is not an Activity: the log would drown in them; the count and the voters are on
the idea itself.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from intrapreneur.activity import activity_record
from intrapreneur.models import Startup, User
from products.models import Idea, IdeaVote

# ---------------------------------------------------------------- reads


def ideas_for(*, startup: Startup, user: User) -> QuerySet[Idea]:
    """The startup's ideas with their vote count and whether ``user`` voted for each."""
    return (
        Idea.objects.for_startup(startup)
        .with_votes()
        .annotate(
            has_voted=Exists(IdeaVote.objects.filter(idea=OuterRef("pk"), user_id=user.pk))
        )
        .select_related("author")
    )


# ---------------------------------------------------------------- writes


def _clean_title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise ValidationError(_("Give the idea a title."))
    return title


@transaction.atomic
def idea_create(*, startup: Startup, actor: User, title: str, description: str = "") -> Idea:
    idea = Idea.objects.create(
        startup=startup, title=_clean_title(title), description=description.strip(),
        author=actor,
    )
    activity_record(startup=startup, actor=actor, verb="idea.proposed", target=idea)
    return idea


@transaction.atomic
def idea_update(*, idea: Idea, actor: User, title: str, description: str = "") -> Idea:
    idea.title, idea.description = _clean_title(title), description.strip()
    idea.save(update_fields=["title", "description"])
    activity_record(startup=idea.startup, actor=actor, verb="idea.updated", target=idea)
    return idea


@transaction.atomic
def idea_delete(*, idea: Idea, actor: User) -> None:
    activity_record(startup=idea.startup, actor=actor, verb="idea.deleted", label=str(idea))
    idea.delete()


@transaction.atomic
def idea_vote(*, idea: Idea, user: User, vote: bool | None = None) -> bool:
    """Give or withdraw ``user``'s one vote; ``vote=None`` toggles. Returns: voted now?

    The idea's row is locked so that two clicks at once cannot both add (or remove) a vote;
    the unique constraint keeps a person to one vote whatever happens.
    """
    Idea.objects.select_for_update().filter(pk=idea.pk).first()
    existing = IdeaVote.objects.filter(idea=idea, user=user)
    has_voted = existing.exists()
    wanted = (not has_voted) if vote is None else vote
    if wanted and not has_voted:
        IdeaVote.objects.create(idea=idea, user=user)
    elif not wanted and has_voted:
        existing.delete()
    return wanted
