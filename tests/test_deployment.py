"""The deployment files say what the application needs: read them, no Docker required.

docker-compose.yml, Procfile, Dockerfile and .dockerignore are parsed and checked against
the facts of the project: the WSGI application, the Celery app, the services they talk to.
"""

import fnmatch
import re
import shlex
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
APP_SERVICES = ("web", "worker", "beat")


# --- helpers ------------------------------------------------------------------------------


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def _service(name: str) -> dict:
    services = _compose()["services"]
    assert name in services, f"docker-compose.yml has no service {name!r}"
    return services[name]


def _command_text(command: str | list[str] | None) -> str:
    """The command as one shell line ("sh -c SCRIPT" gives SCRIPT)."""
    assert command, "the service has no command"
    if isinstance(command, str):
        return command
    if len(command) >= 3 and command[0] in {"sh", "bash", "/bin/sh", "/bin/bash"}:
        if command[1] == "-c":
            return command[2]
    return shlex.join(command)


def _tokens(command: str | list[str] | None) -> list[str]:
    """The command as words: an exec-form list as is, a string or "sh -c SCRIPT" split."""
    text = _command_text(command)
    if isinstance(command, list) and text == shlex.join(command):
        return list(command)
    return shlex.split(text)


def _option(tokens: list[str], *names: str) -> str | None:
    """The value of an option given as `-A x`, `--app x` or `--app=x`."""
    for index, token in enumerate(tokens):
        if token in names and index + 1 < len(tokens):
            return tokens[index + 1]
        for name in names:
            if name.startswith("--") and token.startswith(name + "="):
                return token.split("=", 1)[1]
    return None


# celery's global options that take a value (given before the sub-command).
CELERY_VALUE_OPTIONS = {
    "-A",
    "--app",
    "-b",
    "--broker",
    "--result-backend",
    "--loader",
    "--config",
    "--workdir",
}


def _celery(tokens: list[str]) -> tuple[str | None, str | None]:
    """(the -A app, the sub-command) of a `celery …` command."""
    assert tokens and Path(tokens[0]).name == "celery", f"not a celery command: {tokens}"
    app = _option(tokens, "-A", "--app")
    words = iter(tokens[1:])
    for token in words:
        if token in CELERY_VALUE_OPTIONS:
            next(words, None)
        elif not token.startswith("-"):
            return app, token
    return app, None


def _environment(service: dict) -> dict[str, str]:
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) for item in environment)
    return {key: str(value) for key, value in environment.items()}


def _procfile() -> dict[str, str]:
    processes = {}
    for line in (ROOT / "Procfile").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, separator, command = line.partition(":")
        assert separator and re.fullmatch(r"[a-z0-9_-]+", name), f"bad Procfile line: {line!r}"
        assert name not in processes, f"process {name!r} declared twice in the Procfile"
        processes[name] = command.strip()
    return processes


def _dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for raw in (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if pending and line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line = pending + line
        pending = ""
        keyword, _, arguments = line.partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
    assert not pending, "the Dockerfile ends with a line continuation"
    return instructions


def _instruction_words(arguments: str) -> list[str]:
    """Exec form (a JSON array) or shell form, as words."""
    if arguments.startswith("["):
        return yaml.safe_load(arguments)  # a JSON array is YAML too
    return shlex.split(arguments)


# --- docker-compose.yml -------------------------------------------------------------------


def test_compose_declares_the_five_services():
    services = _compose()["services"]
    assert {"db", "redis", "web", "worker", "beat"} <= set(services)


def test_compose_database_is_postgres_17_with_a_healthcheck_and_a_named_volume():
    db = _service("db")
    assert re.fullmatch(r"(docker\.io/)?(library/)?postgres:17([.\-].*)?", db["image"])
    assert "pg_isready" in str(db["healthcheck"]["test"])
    named_volumes = set(_compose().get("volumes") or {})
    sources = {str(volume).split(":", 1)[0] for volume in db.get("volumes", [])}
    assert sources & named_volumes, "the database data must live in a named volume"


def test_compose_redis_has_a_healthcheck():
    redis = _service("redis")
    assert redis["image"].startswith("redis:")
    assert redis["healthcheck"]["test"]


def test_compose_web_migrates_then_serves_the_wsgi_application():
    web = _service("web")
    script = _command_text(web.get("command"))
    assert re.search(
        r"manage\.py\s+migrate\b.*--noinput.*&&.*\bgunicorn\s+intrapreneur\.wsgi:application\b",
        script,
        flags=re.DOTALL,
    ), f"web must run the migrations, then gunicorn (only if they succeed): {script!r}"
    assert "0.0.0.0:8000" in script
    assert any(str(port).startswith("8000:8000") for port in web.get("ports", []))


def test_compose_web_runs_production_settings_over_plain_http():
    environment = _environment(_service("web"))
    assert environment["DEBUG"].lower() in {"0", "false", "no", "off"}
    assert environment["SECURE_SSL_REDIRECT"].lower() in {"0", "false", "no", "off"}
    assert environment["SECRET_KEY"]
    assert "localhost" in environment["ALLOWED_HOSTS"].split(",")


def test_compose_worker_is_a_celery_worker_of_the_project():
    app, subcommand = _celery(_tokens(_service("worker").get("command")))
    assert app == "intrapreneur"
    assert subcommand == "worker"


def test_compose_beat_is_celery_beat_with_a_writable_schedule_file():
    tokens = _tokens(_service("beat").get("command"))
    app, subcommand = _celery(tokens)
    assert app == "intrapreneur"
    assert subcommand == "beat"
    schedule = _option(tokens, "-s", "--schedule")
    assert schedule and schedule.startswith("/"), "beat needs a schedule file outside /app"
    assert not schedule.startswith("/app/"), "/app is not writable by the image's user"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_compose_application_services_share_the_image_and_the_backing_services(name):
    service = _service(name)
    assert service.get("build") == _service("web").get("build")
    assert service.get("image") == _service("web").get("image")
    environment = _environment(service)

    database = urlsplit(environment["DATABASE_URL"])
    assert database.scheme in {"postgres", "postgresql"}
    assert database.hostname == "db"
    db_environment = _environment(_service("db"))
    assert database.username == db_environment["POSTGRES_USER"]
    assert database.password == db_environment["POSTGRES_PASSWORD"]
    assert database.path.lstrip("/") == db_environment["POSTGRES_DB"]

    redis = urlsplit(environment["REDIS_URL"])
    assert redis.scheme == "redis"
    assert redis.hostname == "redis"


def test_compose_web_waits_for_healthy_db_and_redis():
    depends_on = _service("web")["depends_on"]
    assert isinstance(depends_on, dict), "depends_on needs conditions, not a plain list"
    for backing in ("db", "redis"):
        assert depends_on[backing]["condition"] == "service_healthy"


def test_compose_media_is_a_named_volume_at_media_root():
    web = _service("web")
    media_root = _environment(web).get("MEDIA_ROOT", "/app/media")
    named_volumes = set(_compose().get("volumes") or {})
    mounts = dict(str(volume).split(":", 1) for volume in web.get("volumes", []))
    assert any(
        source in named_volumes and target.split(":")[0] == media_root
        for source, target in mounts.items()
    ), f"web must keep {media_root} in a named volume"


# --- Procfile -----------------------------------------------------------------------------


def test_procfile_web_serves_the_wsgi_application_on_port():
    tokens = shlex.split(_procfile()["web"])
    assert tokens[0] == "gunicorn"
    assert "intrapreneur.wsgi:application" in tokens
    bind = _option(tokens, "-b", "--bind")
    assert bind and bind.endswith(":$PORT"), f"web must bind $PORT, not {bind!r}"


def test_procfile_worker_runs_celery_with_embedded_beat():
    tokens = shlex.split(_procfile()["worker"])
    app, subcommand = _celery(tokens)
    assert app == "intrapreneur"
    assert subcommand == "worker"
    assert "--beat" in tokens or "-B" in tokens


def test_procfile_postdeploy_migrates():
    tokens = shlex.split(_procfile()["postdeploy"])
    assert tokens[:3] == ["python", "manage.py", "migrate"]
    assert "--noinput" in tokens


# --- Dockerfile ---------------------------------------------------------------------------


def test_dockerfile_builds_from_python_3_12_or_later():
    froms = [arguments for keyword, arguments in _dockerfile() if keyword == "FROM"]
    assert froms, "the Dockerfile has no FROM"
    image = [word for word in froms[-1].split() if not word.startswith("--")][0]
    match = re.fullmatch(r"(?:docker\.io/)?(?:library/)?python:(\d+)\.(\d+)[\w.\-]*", image)
    assert match, f"the final image is not an official python image: {image!r}"
    assert (int(match[1]), int(match[2])) >= (3, 12)


def test_dockerfile_installs_the_project_and_collects_static_files():
    runs = [arguments for keyword, arguments in _dockerfile() if keyword == "RUN"]
    assert any(re.search(r"pip install\b.*\s\.(\s|$)", run) for run in runs)
    collect = [run for run in runs if "collectstatic" in run]
    assert collect and "--noinput" in collect[0]
    assert "manage.py" in collect[0]


def test_dockerfile_runs_as_a_non_root_user():
    users = [arguments for keyword, arguments in _dockerfile() if keyword == "USER"]
    assert users, "the image runs as root"
    assert users[-1].split(":")[0] not in {"root", "0"}


def test_dockerfile_serves_with_gunicorn_and_checks_healthz():
    instructions = _dockerfile()
    commands = [arguments for keyword, arguments in instructions if keyword == "CMD"]
    words = _instruction_words(commands[-1])
    assert words[0] == "gunicorn"
    assert "intrapreneur.wsgi:application" in words
    assert _option(words, "-b", "--bind") == "0.0.0.0:8000"
    assert ("EXPOSE", "8000") in instructions
    healthchecks = [arguments for keyword, arguments in instructions if keyword == "HEALTHCHECK"]
    assert healthchecks and "/healthz" in healthchecks[-1]


def test_dockerignore_keeps_secrets_and_local_data_out_but_not_the_sources():
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for excluded in (".git", ".venv", "media", "staticfiles", "*.sqlite3"):
        assert excluded in patterns, f".dockerignore should exclude {excluded}"
    # The build needs these: pip reads the readme, settings read templates/static/locale.
    needed = ("pyproject.toml", "README.md", "manage.py", "intrapreneur", "templates", "static")
    for name in (*needed, "locale"):
        for pattern in patterns:
            if pattern.startswith("!"):
                continue
            assert not fnmatch.fnmatch(name, pattern.lstrip("/").removeprefix("**/")), (
                f".dockerignore pattern {pattern!r} would drop {name}"
            )
