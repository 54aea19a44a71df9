"""Progress reviews (issue 5, §5.1): scheduled by the rule for the apprentice's start date, opened
pre-filled with everything since the last review, signed in order coach, apprentice, employer, and
locked once all three have signed."""

from django.conf import settings
from django.db import models

from carelead.core.models import VersionedModel


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", "Being written by the coach"
    AWAITING_APPRENTICE = "awaiting_apprentice", "Waiting for the apprentice's signature"
    AWAITING_EMPLOYER = "awaiting_employer", "Waiting for the employer's signature"
    SIGNED = "signed", "Signed by all three"


class ProgressReview(VersionedModel):
    apprenticeship = models.ForeignKey("apprenticeships.Apprenticeship", on_delete=models.PROTECT,
                                       related_name="progress_reviews")
    number = models.PositiveSmallIntegerField()
    due_on = models.DateField()  # rules.next_review_due from the previous review (or the start)
    held_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT)
    # What the form opened with (OTJ planned and actual, sessions, KSBs with new evidence, the last
    # review's actions), kept as it was so the signed review reads the same for ever.
    prefill = models.JSONField(default=dict)
    progress = models.TextField("Progress since the last review", blank=True)
    employer_comments = models.TextField("The employer's comments", blank=True)
    wellbeing = models.TextField("Wellbeing", blank=True)
    safeguarding_concern = models.BooleanField("A safeguarding or Prevent concern was raised", default=False)
    safeguarding_notes = models.TextField("Safeguarding check", blank=True)
    changes_of_circumstance = models.TextField("Changes of circumstance", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["apprenticeship", "-number"]
        indexes = [models.Index(fields=["apprenticeship", "status"]), models.Index(fields=["status", "apprenticeship"])]
        constraints = [models.UniqueConstraint(fields=["apprenticeship", "number"], name="progress_review_number_unique")]

    def __str__(self) -> str:
        return f"Progress review {self.number}"


class ActionOwner(models.TextChoices):
    APPRENTICE = "apprentice", "Apprentice"
    COACH = "coach", "Skills coach"
    EMPLOYER = "employer", "Employer"


class ReviewAction(models.Model):
    """A SMART action agreed at a review: what, how we will know, who, by when."""

    review = models.ForeignKey(ProgressReview, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField("What will be done")
    measure = models.TextField("How we will know it is done")
    owner = models.CharField(max_length=12, choices=ActionOwner.choices)
    due_on = models.DateField("By when")
    completed_on = models.DateField(null=True, blank=True)  # recorded at a later review
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["review", "position", "id"]
        indexes = [models.Index(fields=["review", "completed_on"])]
