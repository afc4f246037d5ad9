"""The token-authenticated JSON API: /api/v1/…

``POST /api/v1/startups/<slug>/metrics/<key>/values/`` with ``Authorization: Bearer <token>``
(a token of that startup) records ``{"date": "2026-11-01", "value": 12.5}`` or
``{"values": [{…}, …]}``. Every answer is JSON, errors included: 401 (no, wrong or revoked
token, or a token of another startup), 404 (unknown startup or metric, after
authentication), 400 (malformed JSON, wrong types, bad or repeated dates — nothing is
written), 413 (body over ``API_MAX_BODY``), 405 (another method). A value sent again for
the same date replaces it; the answer lists the values as stored: 201 when one was
created, 200 otherwise.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from intrapreneur.models import Startup
from products.models import Metric
from products.services import metrics as services

API_MAX_BODY = 64 * 1024


def api_error(status: int, message: str, **extra) -> JsonResponse:
    response = JsonResponse(
        {"error": message, **extra}, status=status, json_dumps_params={"ensure_ascii": False}
    )
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="intrapreneur"'
    return response


def _bearer(request: HttpRequest) -> str:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _sep, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _read_body(request: HttpRequest) -> bytes | None:
    """The body, read from the stream within the limit (None when over it).

    ``request.body`` would refuse a body over DATA_UPLOAD_MAX_MEMORY_SIZE with an HTML 400:
    the stream is read here, at most one byte past the limit."""
    length = request.META.get("CONTENT_LENGTH") or ""
    if length.isdigit() and int(length) > API_MAX_BODY:
        return None
    data = request.read(API_MAX_BODY + 1)
    return None if len(data) > API_MAX_BODY else data


def _too_large() -> JsonResponse:
    return api_error(
        413, _("The body is larger than %(size)d KB.") % {"size": API_MAX_BODY // 1024}
    )


@csrf_exempt
@login_not_required
@never_cache
def metric_values(request: HttpRequest, slug: str, key: str) -> JsonResponse:
    if request.method != "POST":
        response = api_error(405, _("Only POST is accepted here."))
        response["Allow"] = "POST"
        return response
    length = request.META.get("CONTENT_LENGTH") or ""
    if length.isdigit() and int(length) > API_MAX_BODY:
        return _too_large()
    raw = _bearer(request)
    if not raw:
        return api_error(401, _("Send a token: the header “Authorization: Bearer <token>”."))
    token = services.token_authenticate(raw)
    if token is None:
        return api_error(401, _("This token is unknown or revoked."))
    startup = Startup.objects.filter(slug=slug).only("pk", "slug").first()
    if startup is None:
        return api_error(404, _("No startup has the address “%(slug)s”.") % {"slug": slug})
    if startup.pk != token.startup_id:
        return api_error(401, _("This token belongs to another startup."))
    services.token_touch(token=token)
    metric = (
        Metric.objects.for_startup(token.startup).select_related("startup").filter(key=key)
        .first()
    )
    if metric is None:
        return api_error(
            404, _("The startup has no metric with the key “%(key)s”.") % {"key": key}
        )
    body = _read_body(request)
    if body is None:
        return _too_large()
    try:
        values = services.api_payload_parse(body)
    except services.PayloadError as error:
        return api_error(400, error.message, details=error.details)
    recorded = services.metric_values_record(
        metric=metric, actor=None, values=values, source=_("API, token %(name)s")
        % {"name": token.name},
    )
    return JsonResponse(
        {
            "metric": metric.key,
            "values": [
                {
                    "date": item.value.date.isoformat(),
                    "value": services.value_json(item.value.value),
                    "created": item.created,
                }
                for item in recorded
            ],
        },
        status=201 if any(item.created for item in recorded) else 200,
        json_dumps_params={"ensure_ascii": False},
    )
