"""Sessions (issue 5): coaching on Microsoft Teams, taught sessions on Zoom, study days and reviews,
with their attendees, private calendar feeds, and imported attendance reports."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from carelead.apprenticeships.models.training_plan import ACTIVITY_CHOICES
from carelead.core.models import PublicModel


class SessionKind(models.TextChoices):
    COACHING = "coaching", "Coaching session"
    TAUGHT = "taught", "Taught session"
    STUDY_DAY = "study_day", "Study day"
    REVIEW = "review", "Progress review"


class TrainingSession(PublicModel):
    """One session a training provider runs. `activity_type` is what attended minutes count as in
    the off-the-job record (a review never counts, §4)."""

    provider = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="training_sessions")
    kind = models.CharField(max_length=10, choices=SessionKind.choices)
    activity_type = models.CharField(max_length=24, choices=ACTIVITY_CHOICES)
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    join_url = models.URLField("Join link (Teams or Zoom)", max_length=1000, blank=True)
    venue = models.CharField("Where, if in person", max_length=200, blank=True)
    description = models.TextField(blank=True)
    organiser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="organised_sessions")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cancelled_at = models.DateTimeField(null=True, blank=True)
    sequence = models.PositiveIntegerField(default=0)  # iCalendar SEQUENCE: raised on every change

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["provider", "starts_at"]), models.Index(fields=["organiser", "starts_at"])]
        constraints = [models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                              name="training_session_ends_after_start")]

    def __str__(self) -> str:
        return self.title


class SessionAttendee(models.Model):
    """An apprentice invited to a session; `attended_minutes` once an attendance report is confirmed."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendees")
    apprenticeship = models.ForeignKey("apprenticeships.Apprenticeship", on_delete=models.PROTECT,
                                       related_name="session_attendances")
    attended_minutes = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["session", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "apprenticeship"], name="session_attendee_once")]
        indexes = [models.Index(fields=["apprenticeship", "session"])]


class CalendarFeed(models.Model):
    """A private iCalendar feed URL for one user. Only the SHA-256 of the secret is stored: the URL
    is shown once when made; making a new one revokes the old."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["user", "-created_at"]
        constraints = [models.UniqueConstraint(fields=["user"], condition=models.Q(revoked_at__isnull=True),
                                               name="calendar_feed_one_live_per_user")]


class AttendanceSource(models.TextChoices):
    TEAMS = "teams", "Microsoft Teams attendance report"
    ZOOM = "zoom", "Zoom participants report"


class ImportStatus(models.TextChoices):
    PROPOSED = "proposed", "Checked, not yet saved"
    CONFIRMED = "confirmed", "Saved"
    DISCARDED = "discarded", "Discarded"


class AttendanceImport(PublicModel):
    """An uploaded attendance report: parsed and checked into `report` (one entry per row, with its
    outcome) before anything is saved; confirming saves every proposed entry or none."""

    session = models.ForeignKey(TrainingSession, on_delete=models.PROTECT, related_name="attendance_imports")
    source = models.CharField(max_length=8, choices=AttendanceSource.choices)
    filename = models.CharField(max_length=255)
    report = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.PROPOSED)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["session", "-created_at"]
