"""Off-the-job (OTJ) training entries (issue 5, §4): logged by the apprentice or proposed by an
attendance import, approved or returned by the coach with a comment; every change is a revision."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from carelead.apprenticeships.models.training_plan import ACTIVITY_CHOICES
from carelead.core.models import VersionedModel


class OtjStatus(models.TextChoices):
    SUBMITTED = "submitted", "Waiting for the coach"
    APPROVED = "approved", "Approved"
    RETURNED = "returned", "Returned to the apprentice"


class OtjSource(models.TextChoices):
    APPRENTICE = "apprentice", "Logged by the apprentice"
    ATTENDANCE_IMPORT = "attendance_import", "From an attendance report"


def evidence_path(entry: "OffTheJobEntry", filename: str) -> str:
    # Random directory per entry: file names never collide and are never guessable from the record.
    return f"otj/{entry.public_id}/{filename}"


class OffTheJobEntry(VersionedModel):
    apprenticeship = models.ForeignKey("apprenticeships.Apprenticeship", on_delete=models.PROTECT,
                                       related_name="otj_entries")
    entry_date = models.DateField("Date")
    minutes = models.PositiveIntegerField()
    activity_type = models.CharField(max_length=24, choices=ACTIVITY_CHOICES)
    what_learned = models.TextField("What you learned")
    ksbs = models.ManyToManyField("apprenticeships.Ksb", blank=True, related_name="+")
    evidence = models.FileField(upload_to=evidence_path, blank=True, max_length=300)
    status = models.CharField(max_length=10, choices=OtjStatus.choices, default=OtjStatus.SUBMITTED)
    source = models.CharField(max_length=20, choices=OtjSource.choices, default=OtjSource.APPRENTICE)
    session = models.ForeignKey("apprenticeships.TrainingSession", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="otj_entries")
    attendance_import = models.ForeignKey("apprenticeships.AttendanceImport", null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="otj_entries")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(blank=True)

    class Meta:
        ordering = ["apprenticeship", "-entry_date", "-id"]
        verbose_name_plural = "off-the-job entries"
        indexes = [
            # Totals per apprenticeship (SUM of minutes by status) and each apprentice's list by date.
            models.Index(fields=["apprenticeship", "status", "entry_date"], name="otj_apprenticeship_status_date"),
            models.Index(fields=["apprenticeship", "entry_date"], name="otj_apprenticeship_date"),
            models.Index(fields=["status", "apprenticeship"], name="otj_status_apprenticeship"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(minutes__gte=1, minutes__lte=1440), name="otj_entry_minutes_in_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.minutes} minutes on {self.entry_date}"

    def snapshot(self, ksb_codes: list[str]) -> dict:
        """The entry as a revision keeps it (OffTheJobRevision.snapshot); the KSB codes are passed in,
        so making a revision never queries."""
        return {"entry_date": self.entry_date.isoformat(), "minutes": self.minutes,
                "activity_type": self.activity_type, "what_learned": self.what_learned,
                "ksbs": sorted(ksb_codes), "evidence": self.evidence.name or "", "status": self.status,
                "decision_comment": self.decision_comment}


class OtjEvent(models.TextChoices):
    CREATED = "created", "Logged"
    EDITED = "edited", "Changed"
    APPROVED = "approved", "Approved"
    RETURNED = "returned", "Returned"


class OffTheJobRevision(models.Model):
    """Every change to an entry, as it was after the change: nothing about an entry is ever lost."""

    entry = models.ForeignKey(OffTheJobEntry, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    event = models.CharField(max_length=10, choices=OtjEvent.choices)
    snapshot = models.JSONField()
    comment = models.TextField(blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["entry", "number"]
        constraints = [models.UniqueConstraint(fields=["entry", "number"], name="otj_revision_number_unique")]
