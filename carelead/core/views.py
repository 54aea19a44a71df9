"""The home page, the health check and the error pages."""

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from carelead.core.decorators import public, requires
from carelead.core.permissions import Perm


@require_GET
@requires(Perm.OWN_ACCOUNT)
def home(request: HttpRequest) -> HttpResponse:
    """Where every signed-in member of staff lands: what their roles let them do."""
    from carelead.organisations.models import Membership

    memberships = (
        Membership.objects.current().filter(user=request.user)
        .select_related("organisation").prefetch_related("locations")
    )
    return render(request, "core/home.html", {"memberships": memberships})


@require_GET
@public
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitors: the app answers and the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception:  # any database failure means unhealthy; the monitor needs no detail
        database = "unavailable"
    status = 200 if database == "ok" else 503
    return JsonResponse({"status": "ok" if status == 200 else "error", "database": database}, status=status)


def not_found(request, exception=None):
    return render(request, "core/not_found.html", status=404)


def forbidden(request, exception=None):
    return render(request, "core/forbidden.html", status=403)


def server_error(request):
    return render(request, "core/server_error.html", status=500)
