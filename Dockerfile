# syntax=docker/dockerfile:1
# Intrapreneur: one image for the web process (default CMD), the Celery worker and beat.
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=intrapreneur.settings \
    MEDIA_ROOT=/app/media \
    WEB_CONCURRENCY=3

# Pango (and HarfBuzz's subsetter) for WeasyPrint's PDF rendering.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --create-home --home-dir /home/app \
        --shell /usr/sbin/nologin app

WORKDIR /app

# Dependencies first, in their own layer: it is rebuilt only when pyproject.toml changes.
# With only these two files the project itself installs empty; the code runs from /app
# (PYTHONPATH above), where settings.BASE_DIR finds templates/, static/ and locale/.
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir . \
    && rm -rf build ./*.egg-info

COPY . .

# Static files are collected (and compressed, hashed by whitenoise) at build time. The key
# below exists for this step only: settings refuse to load without one when DEBUG is off.
RUN SECRET_KEY=collectstatic-build-step-only-not-a-secret \
        python manage.py collectstatic --noinput \
    && mkdir -p /app/media \
    && chown app:app /app/media

USER app

EXPOSE 8000

# No curl in slim images: Python's urllib asks /healthz (exempt from the SSL redirect), with
# a Host header taken from ALLOWED_HOSTS so that Django does not answer 400.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; host = os.environ.get('ALLOWED_HOSTS', '').split(',')[0].strip().lstrip('*.') or 'localhost'; urllib.request.urlopen(urllib.request.Request('http://127.0.0.1:8000/healthz', headers={'Host': host}), timeout=4)"]

# Gunicorn reads its worker count from WEB_CONCURRENCY (default 3 above).
CMD ["gunicorn", "intrapreneur.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "--worker-tmp-dir", "/dev/shm"]
