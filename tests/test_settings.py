import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PRODUCTION = {
    "EMAIL_HOST": "smtp.example.gouv.fr",
    "SECRET_KEY": "k3!f9-production-like-secret-" + "x7Qp2" * 10,
    "ALLOWED_HOSTS": "intrapreneur.example.gouv.fr",
    "DEBUG": "0",
}


def run(env_overrides, *args):
    env = {k: v for k, v in os.environ.items() if k not in {"PYTEST_VERSION", "DEBUG"}}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_check_deploy_passes_with_production_values():
    result = run(PRODUCTION, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr


def test_secret_key_is_required_without_debug():
    result = run({"DEBUG": "0", "SECRET_KEY": ""}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY is required when DEBUG is off" in result.stderr


def test_csp_forbids_inline_scripts(client, db):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert "'unsafe-inline'" not in directives["script-src"]
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"


def test_pages_need_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_healthz_answers_without_login(client, db):
    response = client.get("/healthz")
    assert response.json() == {"status": "ok", "database": "ok", "outbox_oldest_seconds": None}


def test_french_by_default(client, db):
    response = client.get("/accounts/login/")
    assert response["Content-Language"] == "fr"
    assert '<html lang="fr"' in response.content.decode()


def test_every_periodic_task_names_a_task_the_worker_knows():
    from django.conf import settings

    from intrapreneur.celery import app

    app.loader.import_default_modules()  # what a worker imports at start: every tasks.py
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "intrapreneur.tasks.outbox_sweep_task", "products.tasks.teams_nudge_task",
        "governance.tasks.reports_monthly_task", "governance.tasks.committee_reminders_task",
    } <= scheduled
    assert scheduled <= set(app.tasks), scheduled - set(app.tasks)


def test_uploaded_files_go_to_s3_when_a_bucket_is_configured():
    """The storage is chosen by the environment; building it needs no network."""
    check = (
        "from django.core.files.storage import storages; s = storages[\"default\"];"
        "print(type(s).__module__, type(s).__name__, s.bucket_name, s.endpoint_url,"
        " s.location, s.default_acl, s.file_overwrite)"
    )
    s3 = {
        "AWS_STORAGE_BUCKET_NAME": "intrapreneur-fichiers",
        "AWS_S3_ENDPOINT_URL": "https://s3.fr-par.scw.cloud",
        "AWS_S3_REGION_NAME": "fr-par",
        "AWS_ACCESS_KEY_ID": "key-id",
        "AWS_SECRET_ACCESS_KEY": "secret",
        "AWS_LOCATION": "media",
    }
    result = run({**PRODUCTION, **s3}, "shell", "--no-imports", "-c", check)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "storages.backends.s3", "S3Storage", "intrapreneur-fichiers",
        "https://s3.fr-par.scw.cloud", "media", "private", "False",
    ]

    result = run({**PRODUCTION, "AWS_STORAGE_BUCKET_NAME": ""}, "shell", "--no-imports", "-c",
                 "from django.core.files.storage import storages; s = storages[\"default\"];"
                 "print(type(s).__name__)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["FileSystemStorage"]
