"""End-point assessment attempts (issue 6 "End-point assessment", reference/apprenticeship-standard.md
§2.2–2.4): each attempt at one of the two methods, planned then graded, first or a resit or retake.

The overall grade is not stored: it is computed from the latest attempt of each method by the rule in
`epa.py` (`epa_selectors.epa_result`), so correcting the rule as data corrects every result shown.
Achievement, certificate and withdrawal come later (issue 6 "Completion").
"""

from django.conf import settings
from django.db import models

from carelead.core.models import PublicModel


class EpaMethod(models.TextChoices):
    OBSERVATION = "observation", "Observation of practice"
    DISCUSSION = "discussion", "Professional discussion"


class EpaGrade(models.TextChoices):
    FAIL = "fail", "Fail"
    PASS = "pass", "Pass"
    DISTINCTION = "distinction", "Distinction"


class EpaAttemptKind(models.TextChoices):
    FIRST = "first", "First attempt"
    RESIT = "resit", "Resit"  # no further learning needed (§2.4)
    RETAKE = "retake", "Retake"  # further learning needed first (§2.4)


class EpaAttempt(PublicModel):
    """One attempt at one end-point assessment method: planned, then held and graded by the assessor."""

    apprenticeship = models.ForeignKey("apprenticeships.Apprenticeship", on_delete=models.PROTECT,
                                       related_name="epa_attempts")
    method = models.CharField(max_length=12, choices=EpaMethod.choices)
    kind = models.CharField(max_length=8, choices=EpaAttemptKind.choices, default=EpaAttemptKind.FIRST)
    planned_on = models.DateField("Planned date")
    held_on = models.DateField("Date held", null=True, blank=True)
    grade = models.CharField(max_length=12, choices=EpaGrade.choices, blank=True)  # blank: not yet graded
    fail_notified_on = models.DateField("Date the fail was notified", null=True, blank=True)
    assessor_name = models.CharField("Independent assessor", max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["apprenticeship", "method", "planned_on", "id"]
        indexes = [models.Index(fields=["apprenticeship", "method", "planned_on"])]
        constraints = [
            # §2.3 [I]: the observation is Fail or Pass only (the rule in epa.py says the same as data).
            models.CheckConstraint(condition=~models.Q(method="observation", grade="distinction"),
                                   name="epa_observation_never_distinction"),
            models.CheckConstraint(condition=models.Q(grade="") | models.Q(held_on__isnull=False),
                                   name="epa_graded_attempt_was_held"),
            models.CheckConstraint(condition=models.Q(fail_notified_on__isnull=True) | models.Q(grade="fail"),
                                   name="epa_fail_notified_only_on_a_fail"),
        ]

    def __str__(self) -> str:
        return f"{self.get_method_display()} ({self.get_kind_display().lower()})"
