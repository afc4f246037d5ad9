"""STUB — to be written."""

from django.http import Http404


def budget_home(request, *args, **kwargs):
    raise Http404


def budget_export(request, *args, **kwargs):
    raise Http404


def funding_create(request, *args, **kwargs):
    raise Http404


def funding_edit(request, *args, **kwargs):
    raise Http404


def funding_delete(request, *args, **kwargs):
    raise Http404


def expense_list(request, *args, **kwargs):
    raise Http404


def expense_create(request, *args, **kwargs):
    raise Http404


def expense_import(request, *args, **kwargs):
    raise Http404


def expense_export(request, *args, **kwargs):
    raise Http404


def expense_edit(request, *args, **kwargs):
    raise Http404


def expense_delete(request, *args, **kwargs):
    raise Http404


def staffing_create(request, *args, **kwargs):
    raise Http404


def staffing_edit(request, *args, **kwargs):
    raise Http404


def staffing_delete(request, *args, **kwargs):
    raise Http404


def public_budget(request, *args, **kwargs):
    raise Http404

