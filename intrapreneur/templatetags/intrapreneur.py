from urllib.parse import urlsplit

from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

from intrapreneur.enums import PHASE_BADGE
from intrapreneur.markdown import URL_SCHEMES, render_markdown

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


@register.simple_tag
def html_attrs(attrs: dict, *names: str) -> SafeString:
    """` name="value"` for each of ``names`` present in ``attrs`` (allauth's elements)."""
    return format_html_join(
        "", ' {}="{}"', ((name, attrs[name]) for name in names if attrs.get(name))
    )


@register.filter
def safe_url(url: str) -> str:
    """The address when it is http(s) or mailto, else nothing: no javascript: link ever."""
    scheme = urlsplit(str(url or "")).scheme.lower()
    return url if scheme in URL_SCHEMES else ""


@register.simple_tag(takes_context=True)
def comment_block(context, target) -> SafeString:
    """``{% comment_block insight %}``: the discussion of an object, for those who may
    ``comment`` (nothing for the others)."""
    from intrapreneur.notification_views import comments_context

    request = context["request"]
    can = getattr(request, "can", None)
    if can is None or not can.comment:
        return mark_safe("")
    return render_to_string(
        "intrapreneur/includes/comments.html",
        {**comments_context(request, target), "oob_messages": False},
        request=request,
    )
