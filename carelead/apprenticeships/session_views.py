"""Session pages (issue 5, "Sessions, Teams and Zoom"): the sessions list, one session, arranging,
changing and cancelling one, an apprenticeship's Sessions tab, and the private calendar feed.

Each view: who may (`@requires`), fetch through session_selectors (404 out of reach), audit the
read, change through session_services, render. Attendance imports are in attendance_views.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from carelead.apprenticeships import calendar_feed, selectors, session_selectors, session_services, tabs
from carelead.apprenticeships.models import SessionKind
from carelead.apprenticeships.session_forms import SessionForm, session_initial
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.decorators import public, requires
from carelead.core.forms import save_through
from carelead.core.models import Action
from carelead.core.permissions import Perm

PER_PAGE = 25
require_GET_or_POST = require_http_methods(["GET", "POST"])


def join_label(url: str) -> str:
    if "teams." in url:
        return "Join on Microsoft Teams"
    return "Join on Zoom" if "zoom.us" in url else "Join the session"


def managed_session(request: HttpRequest, public_id):
    """A session the user may change: in their reach and organised by them while they coach at its
    provider; else 404 (a colleague coach is refused as if the page did not exist)."""
    session = session_selectors.session_for(request.user, public_id)
    if not session_selectors.can_manage(request.user, session):
        raise Http404
    return session


@require_GET
@requires(Perm.OWN_ACCOUNT)  # apprentices see the sessions they are invited to, with no role permission
def session_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    sessions = session_selectors.sessions_for(request.user)
    if kind in SessionKind.values:
        sessions = sessions.filter(kind=kind)
    page = Paginator(session_selectors.upcoming_first(sessions), PER_PAGE).get_page(request.GET.get("page"))
    if page.object_list:
        audit.record_list(Actor.from_request(request), page.object_list, what="apprenticeships.TrainingSession")
    return render(request, "apprenticeships/sessions/session_list.html", {
        "page": page, "sessions": page.object_list, "kinds": SessionKind.choices, "kind": kind,
        "query": f"kind={kind}" if kind in SessionKind.values else "", "now": timezone.now(),
        "can_arrange": selectors.providers_enrolling_for(request.user).exists(),
    })


@require_GET
@requires(Perm.OWN_ACCOUNT)
def session_detail(request: HttpRequest, public_id) -> HttpResponse:
    session = session_selectors.session_for(request.user, public_id)
    manager = session_selectors.can_manage(request.user, session)
    # The organiser sees everyone invited; another coach, their own apprentices; an apprentice, themselves.
    attendees = session_selectors.attendees_visible_to(request.user, session)
    audit.record(Actor.from_request(request), Action.VIEW, session)
    if session.organiser_id == request.user.pk:
        heading = "Apprentices invited"
    elif any(a.apprenticeship.apprentice_id == request.user.pk for a in attendees):
        heading = "Your attendance"
    else:
        heading = "Your apprentices invited"
    return render(request, "apprenticeships/sessions/session_detail.html", {
        "session": session, "can_manage": manager, "join_label": join_label(session.join_url),
        "attendees": attendees, "attendee_heading": heading,
        "imports": session_selectors.imports_of(session) if manager else [],
        "started": session.starts_at <= timezone.now(),
    })


@require_GET_or_POST
@requires(Perm.APPRENTICESHIP_MANAGE)
def session_new(request: HttpRequest) -> HttpResponse:
    providers = list(selectors.providers_enrolling_for(request.user).order_by("name"))
    if not providers:
        return render(request, "core/forbidden.html", status=403)
    invitable = session_selectors.invitable_apprenticeships(request.user, providers)
    form = SessionForm(request.POST if request.method == "POST" else None, apprenticeships=invitable,
                       providers=providers, initial={"kind": SessionKind.COACHING})
    if request.method == "POST" and form.is_valid() and (session := save_through(
            form, session_services.create_session, actor=Actor.from_request(request),
            **{"provider": providers[0], **form.service_kwargs()})):
        messages.success(request, f"{session.title} is arranged")
        return redirect("apprenticeships:session-detail", session.public_id)
    return render(request, "apprenticeships/sessions/session_form.html", {"form": form, "session": None})


@require_GET_or_POST
@requires(Perm.APPRENTICESHIP_MANAGE)
def session_edit(request: HttpRequest, public_id) -> HttpResponse:
    session = managed_session(request, public_id)
    if session.cancelled_at:
        messages.info(request, session_services.CANCELLED_MESSAGE)
        return redirect("apprenticeships:session-detail", session.public_id)
    choices = session_selectors.attendee_choices(request.user, session)
    form = SessionForm(request.POST if request.method == "POST" else None, apprenticeships=choices,
                       initial=session_initial(session))
    if request.method == "POST" and form.is_valid() and save_through(
            form, session_services.update_session, actor=Actor.from_request(request), session=session,
            **form.service_kwargs()):
        messages.success(request, f"{form.cleaned_data['title']} is changed: calendars that subscribe will update")
        return redirect("apprenticeships:session-detail", session.public_id)
    return render(request, "apprenticeships/sessions/session_form.html", {"form": form, "session": session})


@require_GET_or_POST
@requires(Perm.APPRENTICESHIP_MANAGE)
def session_cancel(request: HttpRequest, public_id) -> HttpResponse:
    session = managed_session(request, public_id)
    if request.method == "POST" and not session.cancelled_at:
        session_services.cancel_session(actor=Actor.from_request(request), session=session)
        messages.success(request, f"{session.title} is cancelled: it shows as cancelled in subscribed calendars")
        return redirect("apprenticeships:session-detail", session.public_id)
    if session.cancelled_at:
        return redirect("apprenticeships:session-detail", session.public_id)
    return render(request, "apprenticeships/sessions/session_cancel.html", {"session": session})


@require_GET
@requires(Perm.OWN_ACCOUNT)
def apprenticeship_sessions(request: HttpRequest, public_id) -> HttpResponse:
    apprenticeship = selectors.apprenticeship_for(request.user, public_id)
    page = Paginator(session_selectors.attendances_of(apprenticeship), PER_PAGE).get_page(request.GET.get("page"))
    audit.record(Actor.from_request(request), Action.VIEW, apprenticeship, details={
        "tab": "sessions", "sessions": [str(a.session.public_id) for a in page.object_list]})
    return render(request, "apprenticeships/sessions/apprenticeship_sessions.html", {
        "apprenticeship": apprenticeship, "tabs": tabs.programme_tabs(apprenticeship, "sessions"),
        "page": page, "attendances": page.object_list, "now": timezone.now(),
        "total_minutes": session_selectors.attended_minutes_total(apprenticeship),
        "can_open": {a.session_id for a in page.object_list} & set(
            session_selectors.sessions_for(request.user).filter(
                pk__in=[a.session_id for a in page.object_list]).values_list("pk", flat=True)),
    })


@never_cache
@require_GET_or_POST
@requires(Perm.OWN_ACCOUNT)
def calendar_page(request: HttpRequest) -> HttpResponse:
    """Make, replace or turn off the user's private calendar feed; a new link is shown only once."""
    actor, feed_url = Actor.from_request(request), None
    if request.method == "POST" and request.POST.get("action") == "off":
        if calendar_feed.turn_off_feed(actor=actor):
            messages.success(request, "Your calendar feed is turned off: calendars that subscribed stop updating")
        return redirect("apprenticeships:calendar-feed")
    if request.method == "POST":
        _, token = calendar_feed.make_feed(actor=actor)
        feed_url = request.build_absolute_uri(reverse("apprenticeships:calendar-ics", args=[token]))
    return render(request, "apprenticeships/sessions/calendar_feed.html", {
        "feed": calendar_feed.live_feed_of(request.user), "feed_url": feed_url,
        "webcal_url": feed_url.replace("https://", "webcal://").replace("http://", "webcal://") if feed_url else None,
    })


@never_cache
@require_GET
@public  # the secret in the URL is the credential: calendar apps cannot sign in
def calendar_ics(request: HttpRequest, token: str) -> HttpResponse:
    feed = calendar_feed.feed_for_token(token)
    if feed is None:
        raise Http404
    sessions = calendar_feed.feed_sessions(feed.user)
    calendar_feed.mark_used(feed)
    audit.record_list(Actor(user=feed.user, ip_address=Actor.from_request(request).ip_address, via="feed"),
                      sessions, what="apprenticeships.TrainingSession", action=Action.EXPORT)
    response = HttpResponse(calendar_feed.calendar_bytes(sessions), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="carelead-sessions.ics"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
