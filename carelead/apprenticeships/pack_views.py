"""The gateway evidence pack page of an apprenticeship: what the pack holds, the packs this person
made before, and a button that starts a new one as a background job (core.jobs) and opens its
progress page. The apprentice, their coach and the employer may make one; anyone else who cannot
see the apprenticeship gets a 404 (selectors.apprenticeship_for), and someone who sees it without
being one of its parties gets the 403 page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from carelead.apprenticeships import pack_builder, selectors
from carelead.apprenticeships.parties import require_party
from carelead.apprenticeships.tabs import programme_tabs
from carelead.core import audit, jobs
from carelead.core.actor import Actor
from carelead.core.decorators import requires
from carelead.core.job_models import Job, JobStatus
from carelead.core.models import Action
from carelead.core.permissions import Perm

UNFINISHED = (JobStatus.QUEUED, JobStatus.RUNNING)
EARLIER_PACKS = 5  # the latest few this person made: a pack is remade, not browsed


def packs_made_by(user, apprenticeship) -> list[Job]:
    """The latest gateway packs this user asked for for this apprenticeship (one query)."""
    return list(Job.objects.filter(requested_by=user, kind=pack_builder.KIND,
                                   params__apprenticeship_id=str(apprenticeship.public_id))
                .order_by("-created_at", "-id")[:EARLIER_PACKS])


def pack_in_progress(user, apprenticeship) -> Job | None:
    """This user's pack of this apprenticeship still being made (not one that has stopped), or None."""
    job = (Job.objects.filter(requested_by=user, kind=pack_builder.KIND, status__in=UNFINISHED,
                              params__apprenticeship_id=str(apprenticeship.public_id))
           .order_by("-created_at", "-id").first())
    return None if job is None or job.given_up else job


@require_http_methods(["GET", "POST"])
@requires(Perm.OWN_ACCOUNT)  # the parties reach it by relationship: the selector and require_party decide
def gateway_pack(request: HttpRequest, public_id) -> HttpResponse:
    """GET: the page; POST: start making a pack and go to its progress page."""
    apprenticeship = selectors.apprenticeship_for(request.user, public_id)
    actor = Actor.from_request(request)
    require_party(actor, apprenticeship, *pack_builder.PACK_PARTIES)  # NotAllowed: the 403 page
    here = reverse("apprenticeships:gateway-pack", args=[apprenticeship.public_id])
    if request.method == "POST":
        if (running := pack_in_progress(request.user, apprenticeship)) is not None:
            return redirect("jobs:job-detail", running.public_id)  # one at a time: asking again opens it
        job = jobs.start(pack_builder.KIND, actor=actor, link=here,
                         label=f"Gateway evidence pack: {apprenticeship.apprentice.full_name}",
                         apprenticeship_id=str(apprenticeship.public_id))
        return redirect("jobs:job-detail", job.public_id)
    audit.record(actor, Action.VIEW, apprenticeship, details={"page": "gateway pack"})
    return render(request, "apprenticeships/pack/pack.html", {
        "apprenticeship": apprenticeship, "tabs": programme_tabs(apprenticeship, "gateway"),
        "earlier": packs_made_by(request.user, apprenticeship), "summary_name": pack_builder.SUMMARY_NAME})
