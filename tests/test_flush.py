"""The flush after a test that committed (``transactional_db``) empties the tables by DELETE
(``tests/conftest.py``): rows pointing at each other go whatever the order of the tables."""

import pytest
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection

from intrapreneur.models import Comment, Incubator, Membership, Startup, User
from investigations.models import Insight
from tests.intrapreneur.factories import CommentFactory
from tests.investigations.factories import InsightFactory


@pytest.mark.django_db(transaction=True)
def test_the_flush_deletes_the_rows_of_every_table(world):
    insight = InsightFactory(startup=world.startup)
    CommentFactory(target=insight, author=world.people["team"])
    tables = connection.introspection.django_table_names(only_existing=True)
    statements = connection.ops.sql_flush(no_style(), tables)
    assert {statement.split(" ")[0] for statement in statements} == {"DELETE"}

    call_command("flush", interactive=False, verbosity=0)

    for model in (Incubator, Startup, Membership, User, Insight, Comment):
        assert not model.objects.exists(), model
