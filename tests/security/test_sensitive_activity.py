"""Sensitive actions leave a line in the startup's activity: who did it, and when.

Each action is made as a person would, through its page's form (the harness's ``fill``
gives every field a valid value; a case overrides what must differ), then the activity row
is read: its verb, its actor, its time — and the activity page shows it to the team, with
the person's name.
"""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone, translation

from intrapreneur.activity import verb_label
from intrapreneur.enums import Phase
from intrapreneur.models import Activity, Startup
from tests.security.test_authorization_matrix import url_for
from tests.security.test_markup_injection import fill, target_of

# URL name of the page whose form does it -> (the values that matter, the verb recorded).
SENSITIVE = {
    "role change": ("member-edit", {"role": "coach"}, "member.role_changed"),
    "budget: a funding": ("governance:funding-create", {"amount": "120 000"}, "funding.created"),
    "budget: an expense": ("governance:expense-edit", {"amount": "1 500", "ends_on": ""},
                           "expense.updated"),
    "investment committee decision": ("governance:committee-decide", {"decision": "continue"},
                                      "investment.decided"),
    "launch committee decision": ("investigations:committee-decide", {"decision": "go"},
                                  "committee.decided"),
    "participant erasure": ("investigations:participant-erase", {}, "participant.erased"),
    "API token creation": ("products:token-list", {"name": "Export Matomo"}, "token.created"),
}


@pytest.mark.parametrize("case", SENSITIVE)
def test_a_sensitive_action_is_in_the_activity_with_who_and_when(world, case):
    name, values, verb = SENSITIVE[case]
    if name == "governance:committee-decide":  # decided for a startup past investigation
        Startup.objects.filter(pk=world.startup.pk).update(phase=Phase.CONSTRUCTION)
    intrapreneur = world.people["intrapreneur"]
    client = world.client_for("intrapreneur")
    page = url_for(name, world)
    forms = [
        form for form in BeautifulSoup(client.get(page).content, "html.parser").find_all("form")
        if form.get("method", "").lower() == "post" and target_of(form, page) == page
    ]
    assert forms, f"no form posting to {page}"
    before = timezone.now()

    response = client.post(page, {**fill(forms[0], "Texte ordinaire"), **values})

    # Done: a redirect, or (a token) the page showing the new token once.
    form = response.context.get("form") if response.context else None
    assert response.status_code in (200, 302) and not (form and form.errors), form and form.errors
    after = timezone.now()
    [line] = Activity.objects.filter(startup=world.startup, verb=verb)
    assert line.actor == intrapreneur
    assert before <= line.created_at <= after
    activity = world.client_for("team").get(
        reverse("activity-list", kwargs={"slug": world.startup.slug})
    )
    text = " ".join(BeautifulSoup(activity.content, "html.parser").get_text().split())
    with translation.override("fr"):
        label = str(verb_label(verb))
    assert intrapreneur.get_full_name() in text and label in text
