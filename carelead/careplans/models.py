"""Records of the careplans app: risk assessments, and care and support plans built from a needs
assessment (sections, support actions, versions, approval, reviews). Issue 4."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from carelead.assessments.models import NeedsArea
from carelead.careplans import rules
from carelead.core.models import PublicModel, VersionedModel

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
    # The person's location, copied on create (save), so the status page counts by location without
    # joining through people. People do not move location today; a move must update it too.
    location = models.ForeignKey("organisations.Location", on_delete=models.PROTECT, related_name="+",
                                 editable=False, blank=True, db_index=False)  # led by the indexes below
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
        indexes = [
            models.Index(fields=["person", "status", "review_on"]),
            # The location status page: current risks whose review date has passed, by location.
            models.Index(fields=["location", "status", "review_on"]),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if self.location_id is None:
            self.location_id = self.person.location_id
        super().save(*args, **kwargs)

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


# --- Care and support plans -------------------------------------------------------------------


class PlanStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    ARCHIVED = "archived", "Archived"


class PersonAgreement(models.TextChoices):
    """How the person took part in agreeing their plan (Care Act 2014 s25(3): involve the person)."""

    AGREED = "agreed", "The person agreed the plan"
    AGREED_WITH_SUPPORT = "agreed_with_support", "The person agreed the plan with support"
    REPRESENTATIVE_AGREED = "representative_agreed", "Agreed with the person's representative"
    NOT_AGREED = "not_agreed", "The person did not agree"
    NOT_YET = "not_yet", "Not yet discussed with the person"


class CarePlan(VersionedModel):
    """A person's care and support plan: one per person while active.

    Every save of the plan or any of its sections and actions bumps `version` (the lock two editors
    compare) and writes a CarePlanVersion snapshot, so any two versions can be compared. Approval
    names the version approved; a later change leaves the plan awaiting approval again.
    """

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="care_plans")
    # The person's location, copied on create (save), so the status page counts by location without
    # joining through people. People do not move location today; a move must update it too.
    location = models.ForeignKey("organisations.Location", on_delete=models.PROTECT, related_name="+",
                                 editable=False, blank=True, db_index=False)  # led by the indexes below
    needs_assessment = models.ForeignKey(
        "assessments.NeedsAssessment", on_delete=models.PROTECT, null=True, blank=True, related_name="care_plans",
        help_text="The assessment the plan was built from",
    )
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.ACTIVE)
    summary = models.TextField("What matters most to the person", blank=True)
    person_involvement = models.TextField("How the person was involved", blank=True)
    agreement = models.CharField("The person's agreement", max_length=30, choices=PersonAgreement.choices,
                                 default=PersonAgreement.NOT_YET)
    agreement_notes = models.TextField("Why, or who agreed on the person's behalf", blank=True)
    review_interval_days = models.PositiveSmallIntegerField(
        "Review every (days)", validators=[MinValueValidator(1), MaxValueValidator(366)],
        help_text="Defaults to the organisation's review cycle",
    )
    resident_of_the_day = models.PositiveSmallIntegerField(
        "Resident of the day", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text="Day of the month (1 to 28) the plan is reviewed on, instead of a fixed interval",
    )
    review_on = models.DateField("Plan review date")
    last_reviewed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_version = models.PositiveIntegerField(null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", editable=False)
    approved_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["person", "status"]),
            # The location status page: active plans whose review date has passed or is near, by location.
            models.Index(fields=["location", "status", "review_on"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=models.Q(status="active"),
                                    name="one_active_care_plan_per_person"),
        ]

    def __str__(self) -> str:
        return f"Care and support plan for {self.person}"

    def save(self, *args, **kwargs):
        if self.location_id is None:
            self.location_id = self.person.location_id
        super().save(*args, **kwargs)

    @property
    def is_approved(self) -> bool:
        """The current version is the one approved; any later change needs approving again."""
        return self.approved_version is not None and self.approved_version == self.version

    @property
    def review_state(self) -> str:
        return rules.review_state(self.review_on, timezone.localdate())


class CarePlanSection(PublicModel):
    """One need from the assessment, with the outcome the person wants and how they are supported."""

    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="sections")
    # The person's location, copied from the plan on create (save), so the status page counts by
    # location without joining through people. People do not move location today; a move must update it too.
    location = models.ForeignKey("organisations.Location", on_delete=models.PROTECT, related_name="+",
                                 editable=False, blank=True, db_index=False)  # led by the indexes below
    area = models.CharField("Area", max_length=40, choices=NeedsArea.choices)
    title = models.CharField("Title", max_length=200)
    assessed_need = models.TextField("Assessed need", help_text="What the assessment found")
    strengths = models.TextField("Strengths", blank=True)
    outcome = models.TextField("The outcome the person wants, in their words")
    source_section = models.ForeignKey(
        "assessments.NeedsAssessmentSection", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text="The assessment section this plan section was built from",
    )
    risks = models.ManyToManyField(RiskAssessment, blank=True, related_name="plan_sections")
    review_on = models.DateField("Section review date")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        # The location status page: sections whose review date has passed, by location.
        indexes = [models.Index(fields=["location", "review_on"])]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if self.location_id is None:
            self.location_id = self.plan.location_id
        super().save(*args, **kwargs)

    @property
    def review_state(self) -> str:
        return rules.review_state(self.review_on, timezone.localdate())


class SupportAction(PublicModel):
    """One thing staff do to support the person towards the outcome: what, who, when, how."""

    section = models.ForeignKey(CarePlanSection, on_delete=models.CASCADE, related_name="actions")
    what = models.TextField("What support is given")
    who = models.CharField("Who gives it", max_length=200)
    when = models.CharField("When", max_length=200)
    how = models.TextField("How, in the way the person prefers", blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.what[:80]


class CarePlanVersion(models.Model):
    """What the whole plan said at one version: written on every save, compared by careplans.diff."""

    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    saved_at = models.DateTimeField(default=timezone.now)
    change = models.CharField(max_length=200, help_text='What was saved, e.g. "Changed section Skin"')
    snapshot = models.JSONField(help_text="The plan's fields, and its sections with their actions and risk titles")

    class Meta:
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["plan", "version"], name="care_plan_version_once")]

    def __str__(self) -> str:
        return f"Version {self.version}"


class CarePlanReview(PublicModel):
    """A review of the whole plan or of one section: who reviewed it, what they found, what changed."""

    plan = models.ForeignKey(CarePlan, on_delete=models.PROTECT, related_name="reviews")
    section = models.ForeignKey(CarePlanSection, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="reviews", help_text="Empty for a review of the whole plan")
    section_title = models.CharField(max_length=200, blank=True, help_text="Kept if the section is removed")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_on = models.DateField("Date of review", default=timezone.localdate)
    person_involved = models.BooleanField("The person took part in the review", default=False)
    person_views = models.TextField("The person's views", blank=True)
    findings = models.TextField("What the review found")
    changes_made = models.TextField("Changes made to the plan", blank=True)
    next_review_on = models.DateField("Next review date")
    plan_version = models.PositiveIntegerField(help_text="The plan version after the review")

    class Meta:
        ordering = ["-reviewed_on", "-id"]
        indexes = [
            models.Index(fields=["plan", "reviewed_on"]),
            models.Index(fields=["reviewed_by", "reviewed_on"]),
        ]

    def __str__(self) -> str:
        return f"Review on {self.reviewed_on:%d %b %Y}"

