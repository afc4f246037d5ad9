"""Celery tasks of the products app: thin wrappers that load by id and call a service."""

import logging

from celery import shared_task

from products.models import Metric
from products.services import metrics as metric_services
from products.services import nudge as nudge_services

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, ignore_result=True)
def metric_pull_task(metric_id: int) -> bool:
    """Read one metric's JSON address; True when a value was recorded. Never raises."""
    try:
        metric = Metric.objects.select_related("startup").filter(pk=metric_id).first()
        if metric is None:
            return False
        return metric_services.metric_pull(metric=metric) is not None
    except Exception:  # noqa: BLE001 - a failed pull is stored on the metric, never raised
        logger.exception("metric %s: the pull task failed", metric_id)
        return False


@shared_task(acks_late=True, ignore_result=True)
def metrics_pull_daily_task() -> int:
    """Every day (beat): queue the pull of each metric that names a JSON address."""
    return metric_services.metrics_pull_queue()


@shared_task(acks_late=True, ignore_result=True)
def teams_nudge_task() -> int:
    """Every Monday (beat): remind the teams that met no user last week."""
    return nudge_services.teams_nudge()
