"""STUB — to be written."""

from django.http import Http404


def committee_list(request, *args, **kwargs):
    raise Http404


def committee_create(request, *args, **kwargs):
    raise Http404


def committee_detail(request, *args, **kwargs):
    raise Http404


def committee_edit(request, *args, **kwargs):
    raise Http404


def committee_delete(request, *args, **kwargs):
    raise Http404


def committee_snapshot(request, *args, **kwargs):
    raise Http404


def committee_pdf(request, *args, **kwargs):
    raise Http404


def committee_decide(request, *args, **kwargs):
    raise Http404


def committee_file_add(request, *args, **kwargs):
    raise Http404


def condition_toggle(request, *args, **kwargs):
    raise Http404

