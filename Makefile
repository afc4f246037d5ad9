# Intrapreneur — one-command entry points: `make run` (demo on SQLite), `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := run

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8000
PYTEST_ARGS ?=
# Three workers on two cores: the browser, Celery, SMTP and fault tests spend much of their
# time waiting on other processes (the 2-worker run used 62 % of the two cores).
TEST_WORKERS ?= 3
TEST_ENV := DATABASE_URL=postgres://intrapreneur:intrapreneur@127.0.0.1:5432/intrapreneur \
	TEST_REDIS_URL=redis://127.0.0.1:6379/15
IS_PY312 := -c 'import sys; sys.exit(sys.version_info < (3, 12))'
# Rebuild the virtualenv when its interpreter is missing or older than 3.12.
VENV_OK := $(shell $(PY) $(IS_PY312) 2>/dev/null && echo yes)

.PHONY: venv run test lint messages clean FORCE

# venv: .venv with Python >= 3.12 and the project installed with its dev extras.
venv: $(STAMP)

# The stamp: pip re-runs only when pyproject.toml changed (or the venv was rebuilt).
$(STAMP): pyproject.toml $(if $(VENV_OK),,FORCE)
	@if ! $(PY) $(IS_PY312) 2>/dev/null; then \
		python=$$(bash scripts/find-python); \
		echo "Creating $(VENV) with $$python"; \
		rm -rf $(VENV); "$$python" -m venv $(VENV); \
	fi
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[dev]'
	@touch $@

# run: the demo on SQLite (db.sqlite3) with DEBUG on, at http://127.0.0.1:$(PORT)/.
run: venv
	unset DATABASE_URL; export DEBUG=1; \
	$(PY) manage.py migrate --noinput; \
	$(PY) manage.py seed_demo; \
	exec $(PY) manage.py runserver 127.0.0.1:$(PORT)

# test: starts PostgreSQL and Redis (scripts/services), then lint, migrations check, pytest.
test: venv
	bash scripts/services
	$(VENV)/bin/ruff check .
	env -u REDIS_URL $(TEST_ENV) DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	env -u REDIS_URL $(TEST_ENV) $(PY) -m pytest -n $(TEST_WORKERS) --durations=15 $(PYTEST_ARGS)

# lint: ruff's checks (formatting is not enforced).
lint: venv
	$(VENV)/bin/ruff check .

# messages: refreshes locale/fr (the .po) and compiles the .mo; commit both.
messages: venv
	DEBUG=1 $(PY) manage.py makemessages -l fr --ignore=.venv --ignore=tests --ignore=staticfiles --no-obsolete
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv

# clean: forgets the install stamp, the SQLite demo database and collected static files.
clean:
	rm -rf $(STAMP) db.sqlite3 staticfiles

FORCE:
