"""STUB — to be written."""

from django.http import Http404


def report_list(request, *args, **kwargs):
    raise Http404


def report_create(request, *args, **kwargs):
    raise Http404


def report_detail(request, *args, **kwargs):
    raise Http404


def report_edit(request, *args, **kwargs):
    raise Http404


def report_delete(request, *args, **kwargs):
    raise Http404


def report_send(request, *args, **kwargs):
    raise Http404


def report_pdf(request, *args, **kwargs):
    raise Http404

