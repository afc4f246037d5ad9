from django import template
from django.utils.safestring import SafeString, mark_safe

from intrapreneur.enums import PHASE_BADGE
from intrapreneur.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    """``{{ startup.problem|markdown }}``: Markdown rendered and sanitised (nh3)."""
    return mark_safe(render_markdown(text))  # noqa: S308 - sanitised by nh3 just above


@register.filter
def phase_badge_class(phase: str) -> str:
    return PHASE_BADGE.get(phase, "")


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key)
