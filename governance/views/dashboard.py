"""STUB — to be written."""

from django.http import Http404


def governance_home(request, *args, **kwargs):
    raise Http404


def dashboard(request, *args, **kwargs):
    raise Http404


def health_set(request, *args, **kwargs):
    raise Http404

