"""Background jobs: plain functions run outside the request (DESIGN.md "background work").

An app registers a function under a kind (`register`), and a view starts it (`start`), which writes a
`Job` row and hands it to `_dispatch`. By default the function runs in a daemon thread of the web
process; with `settings.JOBS_RUN_INLINE` (the tests) it runs before `start` returns. A real queue
(Celery with Redis when CELERY_BROKER_URL is set) replaces `_dispatch` only: the job row carries
everything the function needs (its kind and JSON params), and `run(job_id)` is what a worker calls.

The function is called as `function(job, actor=..., progress=..., **params)` and returns the result
as a `django.core.files.File` (named), stored by the default storage and never served directly;
`progress(done, total, message)` updates the row cheaply (one UPDATE, at most every PROGRESS_EVERY
seconds; always for the first and last step, and with `force=True` before a long step). Anything it
raises marks the job failed with a plain-English message and is logged; `JobFailed` carries a
message meant for the person.
"""

import logging
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import close_old_connections, connection, transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone

from carelead.core.actor import Actor
from carelead.core.job_models import FINISHED, Job, JobStatus

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 0.5  # seconds between progress writes: a 1,000-item pack makes a few dozen, not 1,000
FAILED_MESSAGE = ("Something went wrong and nothing was made. Try again; if it happens again, tell your "
                  "administrator and give them this reference: {reference}.")
NOT_ALLOWED_MESSAGE = "You can no longer see what this was about, so nothing was made."
UNKNOWN_KIND = "No background job is registered as {kind!r}"

_REGISTRY: dict[str, Callable] = {}


class JobFailed(Exception):
    """Raised by a job function to stop with a message meant for the person who asked."""


def register(kind: str, function: Callable) -> Callable:
    """Name a job function so `start` and a queue's worker can find it; a kind is registered once."""
    if kind in _REGISTRY and _REGISTRY[kind] is not function:
        raise ValueError(f"A background job called {kind!r} is already registered")
    _REGISTRY[kind] = function
    return function


def start(kind: str, *, actor: Actor, label: str, link: str = "", **params) -> Job:
    """Record a job for `actor` and set it running; `params` must be JSON (ids, not objects)."""
    if kind not in _REGISTRY:
        raise ValueError(UNKNOWN_KIND.format(kind=kind))
    job = Job.objects.create(kind=kind, requested_by=actor.user, requested_from=actor.ip_address, label=label[:200],
                             link=link[:300], params=params)
    _dispatch(job)
    return job


def _dispatch(job: Job) -> None:
    """Run the job: now (JOBS_RUN_INLINE), or in a daemon thread once the row is committed. A queue's
    client replaces this function (e.g. `run_job.delay(job.pk)` with a Celery task calling `run`)."""
    if getattr(settings, "JOBS_RUN_INLINE", False):
        run(job.pk)
        return
    transaction.on_commit(lambda: threading.Thread(target=_run_in_thread, args=(job.pk,), daemon=True,
                                                   name=f"job-{job.public_id}").start())


def _run_in_thread(job_id: int) -> None:
    close_old_connections()
    try:
        run(job_id)
    except Exception as error:  # recording the outcome failed, so the connection is broken: again on a new one
        logger.exception("Background job %s could not record how it ended", job_id)
        connection.close()
        try:
            Job.objects.filter(pk=job_id).exclude(status__in=FINISHED).update(
                status=JobStatus.FAILED, message=FAILED_MESSAGE.format(reference=_reference(job_id))[:300],
                error=f"{type(error).__name__}: {error}", finished_at=timezone.now())
        except Exception:  # the database is unreachable: the page says it has stopped once GIVEN_UP_AFTER passes
            logger.exception("Background job %s could not be marked failed", job_id)
    finally:
        connection.close()  # the thread's own connection: never left open for the database to time out


def _reference(job_id: int) -> str:
    return str(Job.objects.filter(pk=job_id).values_list("public_id", flat=True).first() or job_id)


def run(job_id: int) -> None:
    """Run a queued job to the end, recording its result or why it failed (never raises)."""
    job = Job.objects.select_related("requested_by").get(pk=job_id)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=timezone.now())
    actor = Actor(user=job.requested_by, ip_address=job.requested_from, via="job")
    try:
        stored = _call(job, actor)
    except Exception as error:  # a job never takes the worker down: it fails, is logged and says why
        _fail(job, error)
        return
    Job.objects.filter(pk=job.pk).update(status=JobStatus.DONE, result=stored, done=F("total"), message="Ready",
                                         finished_at=timezone.now())


def _call(job: Job, actor: Actor) -> str:
    """Call the job's function and store the File it returns; the stored name."""
    result = _REGISTRY[job.kind](job, actor=actor, progress=Progress(job.pk), **job.params)
    try:
        job.result.save(result.name.rsplit("/", 1)[-1], result, save=False)
    finally:
        result.close()
    return job.result.name


def _fail(job: Job, error: Exception) -> None:
    if isinstance(error, JobFailed):
        message = str(error)
    elif isinstance(error, PermissionDenied | Http404):
        message = NOT_ALLOWED_MESSAGE
    else:
        message = FAILED_MESSAGE.format(reference=job.public_id)
    logger.exception("Background job %s (%s) failed", job.public_id, job.kind)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, message=message[:300],
                                         error=f"{type(error).__name__}: {error}", finished_at=timezone.now())


class Progress:
    """The `progress(done, total, message)` callback a job function receives."""

    def __init__(self, job_id: int, *, every: float | None = None):
        self.job_id = job_id
        self.every = PROGRESS_EVERY if every is None else every
        self.written_at: float | None = None

    def __call__(self, done: int, total: int, message: str = "", *, force: bool = False) -> None:
        """Record progress; `force` writes now whatever the interval (before a long step)."""
        now = time.monotonic()
        last = done >= total
        if self.written_at is not None and not (last or force) and now - self.written_at < self.every:
            return
        self.written_at = now
        Job.objects.filter(pk=self.job_id).update(done=min(done, total), total=total, message=message[:300])
