"""Breaks in learning, returns and withdrawals (issue 5): requested, approved by someone other than
the requester, then processed, which changes the apprenticeship's status. A withdrawn or completed
apprenticeship is locked: the services refuse any further change to its programme records."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from carelead.core.models import PublicModel


class ChangeKind(models.TextChoices):
    BREAK_IN_LEARNING = "break_in_learning", "Break in learning"
    RETURN_TO_LEARNING = "return_to_learning", "Return from a break in learning"
    WITHDRAWAL = "withdrawal", "Withdrawal"


class ChangeStatus(models.TextChoices):
    REQUESTED = "requested", "Waiting for approval"
    APPROVED = "approved", "Approved, not yet processed"
    REJECTED = "rejected", "Not approved"
    PROCESSED = "processed", "Processed"


class ProgrammeChange(PublicModel):
    apprenticeship = models.ForeignKey("apprenticeships.Apprenticeship", on_delete=models.PROTECT,
                                       related_name="programme_changes")
    kind = models.CharField(max_length=20, choices=ChangeKind.choices)
    status = models.CharField(max_length=10, choices=ChangeStatus.choices, default=ChangeStatus.REQUESTED)
    effective_date = models.DateField("From")
    expected_return = models.DateField("Expected return", null=True, blank=True)  # a break only
    # A return re-plans the end of the practical period (the break's length is added by default).
    new_practical_period_end = models.DateField("New planned end of the practical period", null=True, blank=True)
    reason = models.TextField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(blank=True)
    processed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["apprenticeship", "-requested_at", "-id"]
        indexes = [models.Index(fields=["apprenticeship", "status"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(decided_by__isnull=True) | ~models.Q(decided_by=models.F("requested_by")),
                                   name="programme_change_approved_by_another"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.effective_date}"
