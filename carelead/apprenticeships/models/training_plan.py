"""The training plan (issue 5, §5.2): versions of planned activities, each signed by three parties.

A version is written while it has no signature; the first signature freezes its content, and once
the provider, the apprentice and the employer have all signed (in that order) it is the agreed plan
and is locked. A change after that is a new version, copied from the last one.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from carelead.apprenticeships.otj import ACTIVITY_LABELS
from carelead.core.models import PublicModel

ACTIVITY_CHOICES = [(kind.value, label) for kind, label in ACTIVITY_LABELS.items()]


class ResponsibleParty(models.TextChoices):
    PROVIDER = "provider", "Training provider"
    EMPLOYER = "employer", "Employer"
    APPRENTICE = "apprentice", "Apprentice"


class TrainingPlanVersion(PublicModel):
    apprenticeship = models.ForeignKey("apprenticeships.Apprenticeship", on_delete=models.PROTECT,
                                       related_name="training_plans")
    number = models.PositiveSmallIntegerField()  # 1, 2, ... per apprenticeship
    change_summary = models.TextField("What changed", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["apprenticeship", "-number"]
        constraints = [models.UniqueConstraint(fields=["apprenticeship", "number"],
                                               name="training_plan_version_number_unique")]

    def __str__(self) -> str:
        return f"Training plan version {self.number}"


class TrainingPlanActivity(models.Model):
    """One planned activity. `counts_as_otj` is set from rules.counts_as_otj (§4) when saved by the
    service: reviews, English and maths, onboarding and normal work never count."""

    plan = models.ForeignKey(TrainingPlanVersion, on_delete=models.CASCADE, related_name="activities")
    activity_type = models.CharField(max_length=24, choices=ACTIVITY_CHOICES)
    title = models.CharField(max_length=200)
    planned_hours = models.DecimalField(max_digits=6, decimal_places=2,
                                        validators=[MinValueValidator(Decimal("0.25"))])
    # When it is delivered: the planned hours are spread evenly from `planned_from` to `planned_to`.
    planned_from = models.DateField()
    planned_to = models.DateField()
    counts_as_otj = models.BooleanField()
    responsible = models.CharField(max_length=12, choices=ResponsibleParty.choices)
    ksbs = models.ManyToManyField("apprenticeships.Ksb", blank=True, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "position", "planned_from", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(planned_to__gte=models.F("planned_from")),
                                   name="training_plan_activity_dates_in_order"),
            models.CheckConstraint(condition=models.Q(planned_hours__gt=0), name="training_plan_activity_hours_positive"),
        ]

    def __str__(self) -> str:
        return self.title
