"""Fixtures of the security tests."""

import pytest

from intrapreneur.enums import Role
from tests.conftest import World
from tests.intrapreneur.factories import (
    IncubatorFactory,
    MembershipFactory,
    StartupFactory,
    UserFactory,
)


@pytest.fixture
def other_world(db) -> World:
    """A second startup, in another incubator, with its own people: nobody is shared."""
    incubator = IncubatorFactory()
    startup = StartupFactory(incubator=incubator)
    people: dict = {"anonymous": None, "outsider": UserFactory()}
    for role in (Role.SPONSOR, Role.COACH, Role.TEAM, Role.INTRAPRENEUR):
        people[str(role)] = MembershipFactory(startup=startup, role=role).user
    staff = UserFactory(staff=True)
    incubator.staff.add(staff)
    people["staff"] = staff
    return World(startup=startup, people=people)
