"""Panels the apps add to a startup's overview: the core imports no app, so each app
registers, from its AppConfig.ready, a template and the function giving its context."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    template: str
    context: Callable[[HttpRequest], dict]


_OVERVIEW_PANELS: list[Panel] = []


def register_overview_panel(template: str, context: Callable[[HttpRequest], dict]) -> None:
    if all(panel.template != template for panel in _OVERVIEW_PANELS):
        _OVERVIEW_PANELS.append(Panel(template, context))


def overview_panels(request: HttpRequest) -> list[dict]:
    """Each panel's template and context, in the order the apps registered them."""
    return [
        {"template": panel.template, **panel.context(request)} for panel in _OVERVIEW_PANELS
    ]
