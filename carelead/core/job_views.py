"""A background job's page and its result: only for the person who asked for it (anyone else, and a
job that does not exist, is a 404). The page polls itself with htmx every second while the job runs,
and refreshes itself without JavaScript; the result is streamed, never served from storage directly,
and every download is audited as an export."""

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.decorators import requires
from carelead.core.job_models import Job, JobStatus
from carelead.core.models import Action
from carelead.core.permissions import Perm

REFRESH_SECONDS = 5  # the page without JavaScript; with it, htmx asks every second


def job_for(user, job_id) -> Job:
    """One job this user asked for; 404 whether it does not exist or is someone else's."""
    return get_object_or_404(Job.objects.filter(requested_by=user), public_id=job_id)


@require_GET
@requires(Perm.OWN_ACCOUNT)  # the job's requester only: job_for decides
@vary_on_headers("HX-Request")
def job_detail(request: HttpRequest, job_id) -> HttpResponse:
    """How far the job has got, and its result once ready."""
    job = job_for(request.user, job_id)
    seen = f"{job.status}-{job.done}-{job.total}"
    if request.htmx and request.GET.get("seen") == seen:
        return HttpResponse(status=204)  # nothing changed: htmx swaps nothing
    template = "core/job.html#progress" if request.htmx else "core/job.html"
    response = render(request, template, {
        "job": job, "statuses": JobStatus, "seen": seen, "refresh_seconds": REFRESH_SECONDS,
        "announce": announcement(job, request.GET.get("seen", "")) if request.htmx else ""})
    response["Cache-Control"] = "no-store"
    return response


def _quarter(status: str, done: int, total: int) -> tuple[str, int]:
    return status, (100 if status == JobStatus.DONE else done * 100 // total if total else 0) // 25


def announcement(job: Job, seen: str) -> str:
    """What a screen reader is told after a poll: a short line when the job has finished, failed or passed a
    quarter since `seen` (the state the page showed), else nothing, so a running job is not read out every
    second. The visible block is not a live region; this line goes into one (job.html)."""
    try:
        status, done, total = seen.rsplit("-", 2)
        before = _quarter(status, int(done), int(total))
    except ValueError:
        before = None
    if before == _quarter(job.status, job.done, job.total):
        return ""
    if job.status == JobStatus.DONE:
        return f"Ready: download {job.result_name}"
    if job.status == JobStatus.FAILED:
        return f"This did not work: {job.message}"
    return f"{job.percent}% done" if job.status == JobStatus.RUNNING else ""


@require_GET
@requires(Perm.OWN_ACCOUNT)
def job_download(request: HttpRequest, job_id) -> FileResponse:
    """The job's result file, to its requester, audited as an export."""
    job = job_for(request.user, job_id)
    if job.status != JobStatus.DONE or not job.result:
        raise Http404("This job has no result")
    try:
        handle = job.result.open("rb")
    except FileNotFoundError:
        raise Http404("The result file is missing") from None
    audit.record(Actor.from_request(request), Action.EXPORT, job, details={
        "kind": job.kind, "file": job.result_name, **{key: str(value) for key, value in job.params.items()}})
    response = FileResponse(handle, as_attachment=True, filename=job.result_name,
                            content_type="application/zip" if job.result_name.endswith(".zip")
                            else "application/octet-stream")
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
