"""Records of the careplans app. For now: risk assessments in a person's record (issue 4)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from carelead.careplans import rules
from carelead.core.models import VersionedModel

LIKELIHOOD_CHOICES = [(value, f"{value} – {word}") for value, word in rules.LIKELIHOODS.items()]
SEVERITY_CHOICES = [(value, f"{value} – {word}") for value, word in rules.SEVERITIES.items()]
PERSON_VIEWS_MESSAGE = "Enter the person's views on taking this risk"
_ONE_TO_FIVE = [MinValueValidator(1), MaxValueValidator(5)]


class RiskActivity(models.TextChoices):
    FALLS = "falls", "Falls"
    CHOKING = "choking", "Choking"
    PRESSURE_DAMAGE = "pressure_damage", "Pressure damage"
    MOVING_AND_HANDLING = "moving_and_handling", "Moving and handling"
    POSITIVE_RISK_TAKING = "positive_risk_taking", "Positive risk-taking agreed with the person"
    OTHER = "other", "Other"


class RiskStatus(models.TextChoices):
    CURRENT = "current", "Current"
    ARCHIVED = "archived", "Archived"


def _score_field(label: str, choices) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(label, choices=choices, validators=_ONE_TO_FIVE)


class RiskAssessment(VersionedModel):
    """One risk to a person: the hazard, its initial risk, the controls and the risk left after them.

    Scored on the 5 x 5 likelihood x severity matrix of `careplans.rules` (NPSA 2008).
    """

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="risk_assessments")
    activity = models.CharField("Activity", max_length=30, choices=RiskActivity.choices)
    title = models.CharField("Title", max_length=200)
    hazard = models.TextField("Hazard")
    who_is_at_risk = models.TextField("Who is at risk")
    likelihood = _score_field("Likelihood", LIKELIHOOD_CHOICES)
    severity = _score_field("Severity", SEVERITY_CHOICES)
    controls = models.TextField("Controls")
    residual_likelihood = _score_field("Likelihood with the controls in place", LIKELIHOOD_CHOICES)
    residual_severity = _score_field("Severity with the controls in place", SEVERITY_CHOICES)
    agreed_with_person = models.BooleanField("Agreed with the person", default=False)
    person_views = models.TextField("The person's views", blank=True)
    review_on = models.DateField("Review date")
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=RiskStatus.choices, default=RiskStatus.CURRENT)

    class Meta:
        ordering = ["review_on", "id"]
        indexes = [models.Index(fields=["person", "status", "review_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def score(self) -> int:
        return rules.risk_score(self.likelihood, self.severity)

    @property
    def review_overdue(self) -> bool:
        """Overdue from the day after the review date (rules.is_review_overdue)."""
        return rules.is_review_overdue(self.review_on, timezone.localdate())

    @property
    def rating(self) -> str:
        return rules.risk_rating(self.score)

    @property
    def residual_score(self) -> int:
        return rules.risk_score(self.residual_likelihood, self.residual_severity)

    @property
    def residual_rating(self) -> str:
        return rules.risk_rating(self.residual_score)

    @property
    def rating_label(self) -> str:
        return rules.RATING_LABELS[self.rating]

    @property
    def rating_colour(self) -> str:
        return rules.RATING_COLOURS[self.rating]

    @property
    def residual_rating_label(self) -> str:
        return rules.RATING_LABELS[self.residual_rating]

    @property
    def residual_rating_colour(self) -> str:
        return rules.RATING_COLOURS[self.residual_rating]

    def clean(self) -> None:
        """The person's own views are recorded whenever a risk is taken positively with them."""
        if self.activity == RiskActivity.POSITIVE_RISK_TAKING and not self.person_views.strip():
            raise ValidationError({"person_views": [PERSON_VIEWS_MESSAGE]})
