"""STUB — to be written."""

from django.http import Http404


def portfolio(request, *args, **kwargs):
    raise Http404


def portfolio_export(request, *args, **kwargs):
    raise Http404

