"""STUB — to be written."""

from django.http import Http404


def stakeholder_list(request, *args, **kwargs):
    raise Http404


def stakeholder_create(request, *args, **kwargs):
    raise Http404


def stakeholder_detail(request, *args, **kwargs):
    raise Http404


def stakeholder_edit(request, *args, **kwargs):
    raise Http404


def stakeholder_delete(request, *args, **kwargs):
    raise Http404


def interaction_create(request, *args, **kwargs):
    raise Http404


def interaction_delete(request, *args, **kwargs):
    raise Http404

