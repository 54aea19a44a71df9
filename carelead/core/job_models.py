"""A background job someone asked for (an export, a pack of evidence): what it is about, how far it
has got and its result file. Written only by `core.jobs`; read only by the person who asked for it."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from carelead.core.models import PublicModel


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "In progress"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"


FINISHED = frozenset({JobStatus.DONE, JobStatus.FAILED})
# A job still unfinished this long after it was asked for has stopped (its process was restarted):
# the page stops polling and says so, rather than showing progress for ever.
GIVEN_UP_AFTER = timedelta(minutes=30)


def job_result_path(job: "Job", filename: str) -> str:
    # A random directory per job: never guessable; the file is streamed only by a checked view.
    return f"jobs/{job.public_id}/{filename}"


class Job(PublicModel):
    """One run of a registered job function (`core.jobs.register`), started by one member of staff.

    `params` holds the ids the function is called with (JSON, so a queue can carry them); `label`
    says in plain words what the job is about; `link` is the page it was started from. `result` is
    stored by the default storage and never served directly.
    """

    kind = models.CharField(max_length=60)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_from = models.GenericIPAddressField(null=True, blank=True)  # for the audit trail of the run
    label = models.CharField(max_length=200)
    link = models.CharField(max_length=300, blank=True)
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    result = models.FileField(upload_to=job_result_path, blank=True, max_length=300)
    error = models.TextField(blank=True)  # the technical detail, for support; people see `message`
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["requested_by", "created_at"], name="job_requested_by_created")]

    def __str__(self) -> str:
        return f"{self.kind} {self.public_id} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def given_up(self) -> bool:
        return not self.finished and timezone.now() - self.created_at > GIVEN_UP_AFTER

    @property
    def percent(self) -> int:
        """Whole percent done, rounded down (100 only when every step is done)."""
        if self.status == JobStatus.DONE:
            return 100
        return self.done * 100 // self.total if self.total else 0

    @property
    def result_name(self) -> str:
        return self.result.name.rsplit("/", 1)[-1] if self.result else ""
