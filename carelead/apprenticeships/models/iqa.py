"""Internal quality assurance (issue 6, "Internal quality assurance"; reference/eportfolio-anchors.md §5):
policy -> plan -> sample decision.

A training provider's internal quality assurer (IQA) writes a sampling POLICY (the percentage of each
coach's assessed evidence to sample, per evidence kind and per stage, interim or summative), generates
a sampling PLAN from it for a period (the planned samples, drawn by `iqa_sampling.sample_plan` with a
stored seed, so the same plan can be drawn again), and records a signed DECISION on each sampled item
(agree, or disagree with feedback to the coach).

Stage: an item is SUMMATIVE when its coach assessed it on or after the apprenticeship's gateway date,
else INTERIM (assessed while the apprentice was working towards gateway).

A signed decision locks the item for the IQA (`locks_evidence`): the coach cannot unlock it (OneFile:
"IQA-signed work only a centre manager can unlock"); only an IQA of the provider can release the lock,
giving a reason (`iqa_services.release_iqa_lock`). evidence_services.unlock_evidence refuses while any
decision on the item still has `locks_evidence` set.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from carelead.apprenticeships.models.portfolio import EvidenceKind
from carelead.core.models import PublicModel


class SamplingStage(models.TextChoices):
    INTERIM = "interim", "Interim"
    SUMMATIVE = "summative", "Summative"


class SampleVerdict(models.TextChoices):
    AGREE = "agree", "Agree with the coach's decision"
    DISAGREE = "disagree", "Disagree with the coach's decision"


PERCENT_VALIDATORS = [MinValueValidator(0), MaxValueValidator(100)]


class SamplingPolicy(PublicModel):
    """How much of each coach's assessed evidence a provider's IQA samples. A kind and stage without a
    rate of its own uses `default_percent`."""

    provider = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=120)
    active = models.BooleanField(default=True)
    default_percent = models.DecimalField(max_digits=5, decimal_places=2, default=0, validators=PERCENT_VALIDATORS)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["provider", "name", "id"]
        verbose_name_plural = "sampling policies"
        indexes = [models.Index(fields=["provider", "active"], name="iqa_policy_provider")]

    def __str__(self) -> str:
        return self.name


class SamplingRate(models.Model):
    """One row of a policy: the percentage of one kind of evidence sampled at one stage."""

    policy = models.ForeignKey(SamplingPolicy, on_delete=models.CASCADE, related_name="rates")
    kind = models.CharField(max_length=24, choices=EvidenceKind.choices)
    stage = models.CharField(max_length=10, choices=SamplingStage.choices)
    percent = models.DecimalField(max_digits=5, decimal_places=2, validators=PERCENT_VALIDATORS)

    class Meta:
        ordering = ["policy", "kind", "stage"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "kind", "stage"], name="iqa_rate_once"),
            models.CheckConstraint(condition=models.Q(percent__gte=0, percent__lte=100), name="iqa_rate_percent_range"),
        ]


class SamplingPlan(PublicModel):
    """The samples a policy asks for among the items assessed from `period_from` to `period_to`
    (inclusive), drawn with `seed`."""

    policy = models.ForeignKey(SamplingPolicy, on_delete=models.PROTECT, related_name="plans")
    period_from = models.DateField("From")
    period_to = models.DateField("To")
    seed = models.CharField(max_length=40)
    generated_at = models.DateTimeField(default=timezone.now)
    generated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-period_to", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(period_to__gte=models.F("period_from")),
                                              name="iqa_plan_period_order")]

    def __str__(self) -> str:
        return f"{self.policy}: {self.period_from:%-d %b %Y} to {self.period_to:%-d %b %Y}"


class PlannedSample(models.Model):
    """One item of evidence the plan samples, with the coach who assessed it, its kind and stage as
    they were when the plan was drawn."""

    plan = models.ForeignKey(SamplingPlan, on_delete=models.CASCADE, related_name="samples")
    evidence = models.ForeignKey("apprenticeships.PortfolioEvidence", on_delete=models.PROTECT, related_name="+")
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=24, choices=EvidenceKind.choices)
    stage = models.CharField(max_length=10, choices=SamplingStage.choices)

    class Meta:
        ordering = ["plan", "id"]
        indexes = [models.Index(fields=["plan", "coach", "kind", "stage"], name="iqa_sample_plan_filters"),
                   models.Index(fields=["evidence"], name="iqa_sample_evidence")]
        constraints = [models.UniqueConstraint(fields=["plan", "evidence"], name="iqa_sample_once_per_plan")]


class SampleDecision(PublicModel):
    """The IQA's signed decision on a sampled item: agree, or disagree with feedback to the coach.
    Signed means final: it is never edited. While `locks_evidence` is set, only an IQA of the provider
    can release the item (`lock_released_*` keep who, when and why)."""

    sample = models.OneToOneField(PlannedSample, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="decision")
    evidence = models.ForeignKey("apprenticeships.PortfolioEvidence", on_delete=models.PROTECT,
                                 related_name="iqa_decisions")
    verdict = models.CharField("Decision", max_length=10, choices=SampleVerdict.choices)
    feedback = models.TextField("Feedback to the coach", blank=True)
    iqa = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(default=timezone.now)
    locks_evidence = models.BooleanField(default=True)
    lock_released_at = models.DateTimeField(null=True, blank=True)
    lock_released_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="+")
    lock_release_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-signed_at", "-id"]
        indexes = [models.Index(fields=["evidence", "locks_evidence"], name="iqa_decision_lock")]
        constraints = [
            models.CheckConstraint(condition=~models.Q(verdict="disagree") | ~models.Q(feedback=""),
                                   name="iqa_disagree_has_feedback"),
            models.CheckConstraint(condition=models.Q(locks_evidence=True) | ~models.Q(lock_release_reason=""),
                                   name="iqa_release_has_reason"),
        ]
