"""The apprentice's portfolio (issue 6, "Evidence"): items of evidence of six kinds, mapped in two
stages to KSBs and Diploma units (the apprentice claims, the coach assesses and may add or remove),
locked once accepted; every change is an event, so nothing about an item is ever lost.

A practice record (a needs assessment the apprentice led, a care plan review they held...) comes
from the evidence registry (`core.evidence`) as a SNAPSHOT of its redacted summary: editing or
deleting the practice record later never changes submitted evidence, and no care record is linked.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from carelead.core.models import VersionedModel


class EvidenceKind(models.TextChoices):
    FILE = "file", "Uploaded file"
    REFLECTIVE_ACCOUNT = "reflective_account", "Reflective account"
    WITNESS_TESTIMONY = "witness_testimony", "Witness testimony"
    OBSERVATION = "observation", "Observation of practice"
    PROFESSIONAL_DISCUSSION = "professional_discussion", "Professional discussion"
    PRACTICE_RECORD = "practice_record", "Practice record"


# Written by the coach (the assessor's own record of what they saw or discussed), not the apprentice.
COACH_KINDS = frozenset({EvidenceKind.OBSERVATION, EvidenceKind.PROFESSIONAL_DISCUSSION})


class EvidenceStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Waiting for the coach"
    NEEDS_MORE_WORK = "needs_more_work", "Needs more work"
    ACCEPTED = "accepted", "Accepted"


class ReflectionModel(models.TextChoices):
    FREE = "", "Free text"
    GIBBS = "gibbs", "Gibbs' reflective cycle"


def portfolio_path(evidence: "PortfolioEvidence", filename: str) -> str:
    # A random directory per item: names never collide and are never guessable from the record.
    return f"portfolio/{evidence.public_id}/{filename}"


class PortfolioEvidence(VersionedModel):
    """One item of evidence in an apprentice's portfolio.

    Which fields an item uses depends on its kind: `file` for an upload; `body` for a reflective
    account, an observation, professional discussion notes or a testimony; `reflection` for a
    reflective account written in a structured model (Gibbs: one entry per stage); `source_*` for a
    practice record; `witness_*` for a witness testimony (the witness writes or confirms it through a
    one-time link; only the SHA-256 of the link's secret is stored).
    """

    apprenticeship = models.ForeignKey("apprenticeships.Apprenticeship", on_delete=models.PROTECT,
                                       related_name="evidence")
    kind = models.CharField(max_length=24, choices=EvidenceKind.choices)
    title = models.CharField(max_length=200)
    occurred_on = models.DateField("Date")
    body = models.TextField(blank=True)
    reflection_model = models.CharField(max_length=10, choices=ReflectionModel.choices, default=ReflectionModel.FREE,
                                        blank=True)
    reflection = models.JSONField(default=dict, blank=True)
    file = models.FileField(upload_to=portfolio_path, blank=True, max_length=300)
    file_name = models.CharField(max_length=200, blank=True)  # the name as uploaded, shown to people
    # A practice record: the registry key and record id, and the redacted item as it was when attached.
    source_key = models.CharField(max_length=60, blank=True)
    source_record_id = models.CharField(max_length=64, blank=True)
    source_snapshot = models.JSONField(default=dict, blank=True)
    # A witness testimony: who the witness is and the state of their one-time link.
    witness_name = models.CharField(max_length=200, blank=True)
    witness_role = models.CharField("Witness's job title", max_length=200, blank=True)
    witness_email = models.EmailField(blank=True)
    witness_token_hash = models.CharField(max_length=64, blank=True)
    witness_link_expires_at = models.DateTimeField(null=True, blank=True)
    witness_confirmed_at = models.DateTimeField(null=True, blank=True)

    status = models.CharField(max_length=16, choices=EvidenceStatus.choices, default=EvidenceStatus.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    assessed_at = models.DateTimeField(null=True, blank=True)
    feedback = models.TextField(blank=True)
    # Accepted evidence is locked; unlocking needs a reason (an EvidenceEvent) and clears this.
    locked_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["apprenticeship", "-occurred_on", "-id"]
        verbose_name_plural = "portfolio evidence"
        indexes = [
            # Each apprentice's portfolio by date and by status; the coach's queue across apprentices.
            models.Index(fields=["apprenticeship", "occurred_on"], name="evidence_apprenticeship_date"),
            models.Index(fields=["apprenticeship", "status"], name="evidence_apprenticeship_status"),
            models.Index(fields=["status", "apprenticeship"], name="evidence_status_apprenticeship"),
            # The IQA's plan draws a provider's items assessed in a period (iqa_selectors).
            models.Index(fields=["status", "assessed_at"], name="evidence_status_assessed_at"),
            models.Index(fields=["witness_token_hash"], name="evidence_witness_token",
                         condition=~models.Q(witness_token_hash="")),
        ]
        constraints = [
            # A practice record is attached to a portfolio once.
            models.UniqueConstraint(fields=["apprenticeship", "source_key", "source_record_id"],
                                    condition=~models.Q(source_key=""), name="evidence_practice_record_once"),
            models.CheckConstraint(
                condition=~models.Q(kind="practice_record") | ~models.Q(source_key=""),
                name="evidence_practice_record_has_source"),
            models.CheckConstraint(condition=~models.Q(status="accepted") | models.Q(assessed_by__isnull=False),
                                   name="evidence_accepted_has_assessor"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    def snapshot(self, mappings: list[str]) -> dict:
        """The item as an event keeps it; the mapping labels are passed in, so no query is made."""
        return {"kind": self.kind, "title": self.title, "occurred_on": self.occurred_on.isoformat(),
                "body": self.body, "reflection_model": self.reflection_model, "reflection": self.reflection,
                "file": self.file.name or "", "source_key": self.source_key,
                "source_record_id": self.source_record_id, "witness_name": self.witness_name,
                "witness_role": self.witness_role, "status": self.status, "feedback": self.feedback,
                "mappings": sorted(mappings)}


class MappingStage(models.TextChoices):
    """Two-stage mapping (eportfolio-anchors: "working towards" then the assessor's decision)."""

    CLAIMED = "claimed", "Claimed by the apprentice"
    ADDED_BY_COACH = "added_by_coach", "Added by the coach"


class EvidenceMapping(models.Model):
    """One KSB or one Diploma unit an item of evidence is mapped to. Whether the mapping counts as
    accepted follows the item's status: coverage reads both."""

    evidence = models.ForeignKey(PortfolioEvidence, on_delete=models.CASCADE, related_name="mappings")
    ksb = models.ForeignKey("apprenticeships.Ksb", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("apprenticeships.QualificationUnit", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    stage = models.CharField(max_length=16, choices=MappingStage.choices, default=MappingStage.CLAIMED)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["evidence", "id"]
        indexes = [models.Index(fields=["ksb", "evidence"], name="evidence_mapping_ksb"),
                   models.Index(fields=["unit", "evidence"], name="evidence_mapping_unit")]
        constraints = [
            models.CheckConstraint(condition=models.Q(ksb__isnull=True, unit__isnull=False)
                                   | models.Q(ksb__isnull=False, unit__isnull=True),
                                   name="evidence_mapping_ksb_or_unit"),
            models.UniqueConstraint(fields=["evidence", "ksb"], condition=models.Q(ksb__isnull=False),
                                    name="evidence_mapping_ksb_once"),
            models.UniqueConstraint(fields=["evidence", "unit"], condition=models.Q(unit__isnull=False),
                                    name="evidence_mapping_unit_once"),
        ]

    @property
    def label(self) -> str:
        return self.ksb.code if self.ksb_id else f"Unit {self.unit.position}"


class EvidenceEventKind(models.TextChoices):
    CREATED = "created", "Added"
    EDITED = "edited", "Changed"
    SUBMITTED = "submitted", "Sent to the coach"
    MAPPED = "mapped", "Mapping changed"
    ACCEPTED = "accepted", "Accepted"
    NEEDS_MORE_WORK = "needs_more_work", "Needs more work"
    UNLOCKED = "unlocked", "Unlocked"
    WITNESS_LINK_SENT = "witness_link_sent", "Link sent to the witness"
    WITNESS_CONFIRMED = "witness_confirmed", "Confirmed by the witness"
    IQA_AGREED = "iqa_agreed", "Internal quality assurer agreed"
    IQA_DISAGREED = "iqa_disagreed", "Internal quality assurer disagreed"
    IQA_LOCK_RELEASED = "iqa_lock_released", "Internal quality assurance lock released"


class EvidenceEvent(models.Model):
    """Every change to an item, as it was after the change (the snapshot), who made it and why."""

    evidence = models.ForeignKey(PortfolioEvidence, on_delete=models.CASCADE, related_name="events")
    number = models.PositiveIntegerField()
    event = models.CharField(max_length=20, choices=EvidenceEventKind.choices)
    snapshot = models.JSONField()
    comment = models.TextField(blank=True)  # feedback, or the reason for unlocking
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")  # None: the witness, through their one-time link
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["evidence", "number"]
        constraints = [
            models.UniqueConstraint(fields=["evidence", "number"], name="evidence_event_number_unique"),
            models.CheckConstraint(condition=~models.Q(event="unlocked") | ~models.Q(comment=""),
                                   name="evidence_unlock_has_reason"),
        ]
