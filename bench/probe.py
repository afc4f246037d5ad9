"""Before the load: signs the intrapreneur in, makes an API token, and requests each page
once through Django's test client against the same database, counting its SQL queries.

Prints a JSON object: the session cookie, the token, and per scenario its status, queries
and size. Run with the bench's environment (bench/run sets it).
"""

from __future__ import annotations

import json
import os
import sys

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intrapreneur.settings")
    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.scenarios import SCENARIOS, STARTUP
    from intrapreneur.management.commands.bench_data import bench_email
    from intrapreneur.models import Startup, User
    from products.services.metrics import token_create

    user = User.objects.get(email=bench_email("intrapreneur"))
    member = Client()
    member.force_login(user)
    session = member.cookies[settings.SESSION_COOKIE_NAME].value
    _token, raw = token_create(
        startup=Startup.objects.get(slug=STARTUP), actor=user, name="bench"
    )
    public = Client()
    pages = {}
    for scenario in SCENARIOS:
        client = member if scenario.auth == "member" else public
        extra = {"HTTP_AUTHORIZATION": f"Bearer {raw}"} if scenario.auth == "api" else {}
        with CaptureQueriesContext(connection) as queries:
            if scenario.method == "POST":
                response = client.post(
                    scenario.path, scenario.body(), content_type="application/json", **extra
                )
            else:
                response = client.get(scenario.path, **extra)
        pages[scenario.name] = {
            "status": response.status_code,
            "queries": len(queries),
            "bytes": len(response.content),
        }
    json.dump(
        {"session_cookie": settings.SESSION_COOKIE_NAME, "session": session, "token": raw,
         "pages": pages},
        sys.stdout,
    )


if __name__ == "__main__":
    main()
