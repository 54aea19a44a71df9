"""Records of the assessments app: a standard tool's score, saved in a person's record."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone

from carelead.assessments.tools import TOOLS
from carelead.assessments.tools.guidance import TOOL_INFO, Guidance, ToolInfo, guidance
from carelead.core.models import PublicModel, VersionedModel

TOOL_CHOICES = [(tool, TOOL_INFO[tool].name) for tool in TOOLS]


class ToolScoreRecord(PublicModel):
    """One scoring of a standard tool (NEWS2, MUST, Waterlow...) for a person, exactly as scored.

    Never changed once saved: a wrong score is corrected by scoring again, so the record keeps
    what was seen and decided at the time (`assessments.services.record_tool_score`).
    """

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="tool_scores")
    tool = models.CharField(max_length=30, choices=TOOL_CHOICES)
    inputs = models.JSONField(help_text="The inputs exactly as scored, in the encodings of clinical-tools.md §11.1")
    total = models.DecimalField(max_digits=7, decimal_places=2)
    category = models.CharField(max_length=40, help_text="A category code of clinical-tools.md §11.1")
    tool_version = models.CharField(max_length=20, blank=True, help_text='The card scored against ("2005" for Waterlow)')
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    scored_at = models.DateTimeField(default=timezone.now)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-scored_at", "-id"]
        indexes = [models.Index(fields=["person", "tool", "scored_at"])]

    def __str__(self) -> str:
        return f"{self.info.short_name} {self.total_display} ({self.guidance.label})"

    @property
    def info(self) -> ToolInfo:
        """The tool's names, purpose, source and attribution."""
        return TOOL_INFO[self.tool]

    @property
    def guidance(self) -> Guidance:
        """What the category means and the action its source recommends."""
        return guidance(self.tool, self.category)

    @property
    def total_display(self) -> str:
        """The total as people write it: 7, not 7.00; a fraction keeps only its digits (18.5)."""
        total = Decimal(self.total)
        if total == total.to_integral_value():
            return str(int(total))
        return str(total.normalize())


# --- Holistic needs assessment (issue 4) ------------------------------------------------------


class NeedsArea(models.TextChoices):
    """The areas of a holistic needs assessment: social, physical, emotional and spiritual needs."""

    PHYSICAL_HEALTH = "physical_health", "Physical health"
    MOBILITY_AND_FALLS = "mobility_and_falls", "Mobility and falls"
    NUTRITION_AND_HYDRATION = "nutrition_and_hydration", "Nutrition and hydration"
    SKIN = "skin", "Skin"
    CONTINENCE = "continence", "Continence"
    MEDICATION_SUPPORT = "medication_support", "Medication support"
    COGNITION_AND_MEMORY = "cognition_and_memory", "Cognition and memory"
    MENTAL_HEALTH_AND_WELLBEING = "mental_health_and_wellbeing", "Mental health and emotional wellbeing"
    COMMUNICATION_AND_SENSORY = "communication_and_sensory", "Communication and sensory needs"
    SOCIAL_AND_SPIRITUAL = "social_and_spiritual", "Social and spiritual life"
    RELATIONSHIPS = "relationships", "Relationships"
    DAILY_LIVING = "daily_living", "Daily living"
    ENVIRONMENT_AND_EQUIPMENT = "environment_and_equipment", "Environment and equipment (telecare and assistive technology)"
    END_OF_LIFE_WISHES = "end_of_life_wishes", "End of life wishes"


class SupportLevel(models.TextChoices):
    INDEPENDENT = "independent", "Independent"
    PROMPTING = "prompting", "Needs prompting"
    SOME_HELP = "some_help", "Needs some help"
    FULL_HELP = "full_help", "Needs full help"


class NeedsAssessment(VersionedModel):
    """A holistic assessment of a person's needs, led by a Lead Practitioner (or registered manager).

    Contributors write its sections; each save of a section bumps `version` and keeps a snapshot
    (NeedsAssessmentVersion). Once completed it is read-only: needs that change are assessed again.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        COMPLETED = "completed", "Completed"

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="needs_assessments")
    # The person's location, copied on create (save), so the status page counts by location without
    # joining through people. People do not move location today; a move must update it too.
    location = models.ForeignKey("organisations.Location", on_delete=models.PROTECT, related_name="+",
                                 editable=False, blank=True, db_index=False)  # led by the indexes below
    led_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               help_text="The lead practitioner who led the assessment")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    started_at = models.DateTimeField(default=timezone.now)
    completed_on = models.DateField(null=True, blank=True)
    # Set when completed: the organisation's review cycle after completion (issue 4 status page).
    review_on = models.DateField("Reassess by", null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        # The location status page: completed assessments whose "reassess by" date has passed, by location.
        indexes = [models.Index(fields=["location", "status", "review_on"])]

    def __str__(self) -> str:
        return f"Needs assessment started {self.started_at:%d %b %Y}"

    def save(self, *args, **kwargs):
        if self.location_id is None:
            self.location_id = self.person.location_id
        super().save(*args, **kwargs)

    @property
    def is_completed(self) -> bool:
        return self.status == self.Status.COMPLETED


class NeedsAssessmentSection(models.Model):
    """One area of a needs assessment: the person's own view, their strengths, needs and support."""

    assessment = models.ForeignKey(NeedsAssessment, on_delete=models.CASCADE, related_name="sections")
    area = models.CharField(max_length=40, choices=NeedsArea.choices)
    persons_view = models.TextField(blank=True, help_text="The person's own view, in their words")
    strengths = models.TextField(blank=True)
    needs = models.TextField(blank=True)
    support_level = models.CharField(max_length=20, choices=SupportLevel.choices, blank=True)
    tools_used = models.CharField(max_length=200, blank=True, help_text='For example "Waterlow 18 on 22 Nov 2026"')
    contributed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    SNAPSHOT_FIELDS = ("persons_view", "strengths", "needs", "support_level", "tools_used")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "area"], name="needs_section_once_per_area")]

    def __str__(self) -> str:
        return self.get_area_display()

    def snapshot(self) -> dict:
        return {name: getattr(self, name) for name in self.SNAPSHOT_FIELDS} | {
            "contributed_by": self.contributed_by.full_name if self.contributed_by_id else "",
        }


class NeedsAssessmentVersion(models.Model):
    """What every section of an assessment said at one version, written on each save of a section."""

    assessment = models.ForeignKey(NeedsAssessment, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    saved_at = models.DateTimeField(default=timezone.now)
    sections = models.JSONField(help_text="{area: {persons_view, strengths, needs, support_level, tools_used, "
                                          "contributed_by}} for every section written so far")

    class Meta:
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["assessment", "version"], name="needs_version_once")]


# --- Mental Capacity Act 2005 (issue 4) ---------------------------------------------------------


class CapacityAssessment(PublicModel):
    """Whether a person has capacity to make one specific decision at one time (MCA 2005 s2, s3).

    Never a judgement about capacity in general. The functional questions come first (A Local
    Authority v JB [2021] UKSC 52), then the impairment, then the causal link; the outcome is
    derived by `assessments.mca.capacity_outcome`, never typed.
    """

    class Outcome(models.TextChoices):
        HAS_CAPACITY = "has_capacity", "has capacity for this decision"
        LACKS_CAPACITY = "lacks_capacity", "lacks capacity for this decision"

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="capacity_assessments")
    # The person's location, copied on create (save), so the status page counts by location without
    # joining through people. People do not move location today; a move must update it too.
    location = models.ForeignKey("organisations.Location", on_delete=models.PROTECT, related_name="+",
                                 editable=False, blank=True, db_index=False)  # led by the indexes below
    decision = models.TextField(help_text="The specific decision to be made")
    assessed_at = models.DateTimeField(default=timezone.now)
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    practicable_steps = models.TextField(help_text="What was done to help the person make the decision (s1(3))")
    can_understand = models.BooleanField()
    understand_evidence = models.TextField(blank=True)
    can_retain = models.BooleanField()
    retain_evidence = models.TextField(blank=True)
    can_use_or_weigh = models.BooleanField()
    use_or_weigh_evidence = models.TextField(blank=True)
    can_communicate = models.BooleanField()
    communicate_evidence = models.TextField(blank=True)
    impairment_present = models.BooleanField(null=True, blank=True)
    impairment_evidence = models.TextField(blank=True)
    causal_link = models.BooleanField(null=True, blank=True)
    causal_link_evidence = models.TextField(blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, editable=False)
    review_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-assessed_at", "-id"]
        indexes = [
            models.Index(fields=["person", "assessed_at"]),
            # The location status page: capacity assessments whose review date has passed, by location.
            models.Index(fields=["location", "review_on"]),
        ]

    def __str__(self) -> str:
        return f"Capacity for: {self.decision}"

    def save(self, *args, **kwargs):
        if self.location_id is None:
            self.location_id = self.person.location_id
        super().save(*args, **kwargs)

    @property
    def lacks_capacity(self) -> bool:
        return self.outcome == self.Outcome.LACKS_CAPACITY


class BestInterestsDecision(PublicModel):
    """A decision made in the best interests of a person who lacks capacity for it (MCA 2005 s4)."""

    capacity_assessment = models.OneToOneField(CapacityAssessment, on_delete=models.PROTECT,
                                               related_name="best_interests_decision")
    decided_at = models.DateTimeField(default=timezone.now)
    decision_maker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    persons_wishes_and_feelings = models.TextField()
    beliefs_and_values = models.TextField()
    consultees = models.TextField(help_text="Who was consulted and their views")
    options_considered = models.TextField()
    least_restrictive_rationale = models.TextField()
    decision = models.TextField()
    participation = models.TextField(help_text="How the person was helped to take part")

    def __str__(self) -> str:
        return f"Best interests: {self.decision}"


# --- Deprivation of Liberty Safeguards (MCA 2005 Schedule A1) -----------------------------------


class DolsApplication(VersionedModel):
    """A care home's request to its supervisory body (the local authority) to deprive a person of
    their liberty, and what became of it. Dates follow `assessments.dols` (urgent authorisation 7
    days, extendable once by 7; a standard authorisation at most a year; a further request in the
    28 days before expiry). Application and outcome are notifiable to CQC (Reg 18). Versioned: two
    people recording the outcome at once never silently overwrite each other.
    """

    class Kind(models.TextChoices):
        STANDARD = "standard", "Standard authorisation request"
        URGENT_AND_STANDARD = "urgent_and_standard", "Urgent authorisation with a standard request"
        FURTHER = "further", "Further standard authorisation (renewal)"

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested, awaiting the supervisory body"
        GRANTED = "granted", "Granted"
        NOT_GRANTED = "not_granted", "Not granted"
        WITHDRAWN = "withdrawn", "Withdrawn"
        ENDED = "ended", "Ended early"

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="dols_applications")
    # The person's location, copied on create (save), so the status page counts by location without
    # joining through people. People do not move location today; a move must update it too.
    location = models.ForeignKey("organisations.Location", on_delete=models.PROTECT, related_name="+",
                                 editable=False, blank=True, db_index=False)  # led by the indexes below
    capacity_assessment = models.ForeignKey(CapacityAssessment, on_delete=models.PROTECT, null=True, blank=True,
                                            related_name="+", help_text="The capacity assessment behind it")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    supervisory_body = models.CharField("Supervisory body (local authority)", max_length=200)
    reference = models.CharField("Supervisory body's reference", max_length=60, blank=True)
    reason = models.TextField("Why the restrictions are needed")
    applied_on = models.DateField("Date requested")
    urgent_from = models.DateField("Urgent authorisation starts", null=True, blank=True)
    urgent_extended = models.BooleanField("Urgent authorisation extended by the supervisory body", default=False)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.REQUESTED)
    decided_on = models.DateField("Date decided", null=True, blank=True)
    authorised_from = models.DateField("Authorised from", null=True, blank=True)
    authorised_until = models.DateField("Authorised until", null=True, blank=True)
    conditions = models.TextField("Conditions attached", blank=True)
    cqc_notified_on = models.DateField("CQC notified", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-applied_on", "-id"]
        indexes = [
            models.Index(fields=["person", "applied_on"]),
            # The location status page: granted authorisations by end date, by location.
            models.Index(fields=["location", "status", "authorised_until"]),
        ]

    def __str__(self) -> str:
        return f"DoLS {self.get_kind_display().lower()} requested {self.applied_on:%d %b %Y}"

    def save(self, *args, **kwargs):
        if self.location_id is None:
            self.location_id = self.person.location_id
        super().save(*args, **kwargs)
