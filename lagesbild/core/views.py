import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.defaults import server_error as django_server_error

from lagesbild.meetings.services import start_panel
from lagesbild.plan.rounds import open_contributions
from lagesbild.policy.models import Policy
from lagesbild.public.sites import mapped_slug, visible_sites


def home(request):
    """The start page: the policies, and the public sites of the municipalities that publish.
    On a host mapped to one municipality (LAGESBILD_PUBLIC_HOSTS) a resident goes straight to
    its public pages."""
    sites = visible_sites(request)
    if mapped_slug(request) and sites and not request.user.is_authenticated:
        return redirect("public:calendar", kommun=sites[0].slug)
    policies = Policy.objects.all()
    context = {
        "policies": policies,
        "sites": sites,
        "action_points": start_panel(request.user),
        "partner_parts": open_contributions(request.user),
    }
    return render(request, "core/home.html", context)


def server_error(request):
    """handler500. A database that does not answer (PostgreSQL restarting, a dropped
    connection) is not a bug in the page: the reader gets "try again shortly" (503 with
    Retry-After) and the next request reconnects. Everything else is Django's own 500 page.

    Django calls this for an exception from a view or any middleware (e.g. the session), with
    the exception still being handled, so sys.exc_info() tells which it was."""
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        # Rendered without the request: the context processors would ask the database again.
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "10"
        response["Cache-Control"] = "no-store"
        return response
    return django_server_error(request)
