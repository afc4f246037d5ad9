"""What the benchmark measures: each page as a name, a request and its target.

No Django import here: the load generator (locust, under gevent) reads it too.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

STARTUP = "bench-001"  # a typical startup of the incubator
LARGE = "bench-large"  # the one with 200,000 feedback items
SEARCH = "formulaire erreur"  # full text: about one item in fifteen matches both words
METRIC = "indicateur-1"

# The targets, reported by the run (never asserted).
MEMBER_P95_MS = 100
SEARCH_P95_MS = 150
WORKER_RSS_MB = 200


@dataclass(frozen=True)
class Scenario:
    name: str
    path: str
    # "member": signed in as the startup's intrapreneur; "public": no account; "api": token.
    auth: str = "member"
    method: str = "GET"
    target_ms: int | None = MEMBER_P95_MS
    expected_status: int = 200

    def body(self) -> str | None:
        if self.method != "POST":
            return None
        today = datetime.datetime.now(datetime.UTC).date()
        return f'{{"date": "{today.isoformat()}", "value": 42}}'


def feedback(query: str = "") -> str:
    return f"/startups/{LARGE}/product/feedback/{query}"


SCENARIOS = [
    Scenario("healthz", "/healthz", auth="public", target_ms=None),
    Scenario("overview", f"/startups/{STARTUP}/"),
    Scenario("dashboard", f"/startups/{STARTUP}/dashboard/"),
    Scenario("feedback_first_page", feedback()),
    Scenario("feedback_filtered", feedback("?status=new&kind=problem")),
    Scenario("feedback_search", feedback(f"?q={SEARCH.replace(' ', '+')}"),
             target_ms=SEARCH_P95_MS),
    Scenario("interviews", f"/startups/{STARTUP}/investigation/interviews/"),
    Scenario("insights_board", f"/startups/{STARTUP}/investigation/insights/"),
    Scenario("metrics", f"/startups/{STARTUP}/product/metrics/"),
    Scenario("public_stats", f"/public/{STARTUP}/stats/", auth="public", target_ms=None),
    Scenario(
        "metrics_api", f"/api/v1/startups/{STARTUP}/metrics/{METRIC}/values/", auth="api",
        method="POST", target_ms=None,
    ),
]

# The first load of these pages, with everything they pull (page weight).
WEIGHED = {
    "member_page": f"/startups/{STARTUP}/",
    "public_stats": f"/public/{STARTUP}/stats/",
}
