"""Apprenticeship reference data and the apprenticeship itself (issue 5, reference/apprenticeship-standard.md §1, §3).

Standards, their versions and their knowledge, skills and behaviours (KSBs), and qualifications with
their units, as DATA: loaded only by the import commands (`import_standard`, `import_qualification`)
from JSON in the official Skills England shape (§1.4) or carelead's checked-in snapshots. Nothing
else writes them, and no code holds a list of KSBs or units (§3 design consequence).

A KSB row is never deleted: when the official coded list replaces carelead's own codes, each row is
updated in place (same primary key, so evidence mapped to it stays mapped), and a KSB no longer in
the list is marked retired.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from carelead.apprenticeships import rules
from carelead.core.models import PublicModel, VersionedModel


class FundingStatus(models.TextChoices):
    FUNDED = "funded", "Funded for new starts"
    CLOSED_TO_NEW_FUNDED_STARTS = (
        "closed_to_new_funded_starts", "Closed to new funded starts (existing apprentices continue)")
    WITHDRAWN = "withdrawn", "Withdrawn"


class KsbKind(models.TextChoices):
    KNOWLEDGE = "knowledge", "Knowledge"
    SKILL = "skill", "Skill"
    BEHAVIOUR = "behaviour", "Behaviour"


# The prefix of an official code by kind (K1, S1, B1), and of carelead's own (CL-K1...).
KIND_PREFIX = {KsbKind.KNOWLEDGE: "K", KsbKind.SKILL: "S", KsbKind.BEHAVIOUR: "B"}
CARELEAD_CODE_PREFIX = "CL-"


class Theme(models.TextChoices):
    """The six themes of the original ST0007 layout (§1.2), and the behaviours. The official API's
    lists carry no theme, so an imported KSB may have none (blank)."""

    TASKS_AND_RESPONSIBILITIES = "tasks_and_responsibilities", "Tasks and responsibilities"
    DIGNITY_AND_HUMAN_RIGHTS = "dignity_and_human_rights", "Dignity and human rights"
    COMMUNICATION = "communication", "Communication"
    SAFEGUARDING = "safeguarding", "Safeguarding"
    HEALTH_AND_WELLBEING = "health_and_wellbeing", "Health and wellbeing"
    PROFESSIONAL_DEVELOPMENT = "professional_development", "Professional development"
    BEHAVIOURS = "behaviours", "Behaviours"


class Standard(PublicModel):
    reference = models.CharField(max_length=10, unique=True)  # "ST0007"
    title = models.CharField(max_length=200)
    level = models.PositiveSmallIntegerField()
    route = models.CharField(max_length=100, blank=True)  # "Care services"
    occupation = models.CharField(max_length=200, blank=True)  # "OCC0007"; SOC code as text

    class Meta:
        ordering = ["reference"]

    def __str__(self) -> str:
        return f"{self.reference} {self.title} (level {self.level})"


class StandardVersion(PublicModel):
    """One version of a standard: the unit an apprentice is enrolled on and their KSBs belong to."""

    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="versions")
    version = models.CharField(max_length=10)  # "1.0", "1.1"
    typical_duration_months = models.PositiveSmallIntegerField(null=True, blank=True)
    epa_length_months = models.PositiveSmallIntegerField(null=True, blank=True)  # ePALength
    funding_status = models.CharField(max_length=30, choices=FundingStatus.choices, default=FundingStatus.FUNDED)
    funding_note = models.TextField(blank=True)
    # Unknown dates stay empty (§8): an empty earliest or latest start leaves that end open.
    earliest_start_date = models.DateField(null=True, blank=True)
    latest_start_date = models.DateField(null=True, blank=True)
    latest_end_date = models.DateField(null=True, blank=True)
    # minimumHoursForCompliance (§4, starts from 1 Aug 2025). Never estimated: empty until published.
    minimum_otj_hours = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    source_url = models.URLField(max_length=500, blank=True)
    notes = models.TextField(blank=True)  # what is unknown or inferred about this version, in words
    imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["standard__reference", "version"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "version"], name="standard_version_unique"),
            models.CheckConstraint(
                condition=models.Q(earliest_start_date__isnull=True) | models.Q(latest_start_date__isnull=True)
                | models.Q(latest_start_date__gte=models.F("earliest_start_date")),
                name="standard_version_start_dates_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(minimum_otj_hours__isnull=True) | models.Q(minimum_otj_hours__gt=0),
                name="standard_version_minimum_otj_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.standard.reference} v{self.version}"

    @property
    def open_to_new_funded_starts(self) -> bool:
        return self.funding_status == FundingStatus.FUNDED

    def as_rule(self) -> rules.StandardVersion:
        """The version as the pure rules see it, for `rules.standard_version_for(start, versions)`."""
        return rules.StandardVersion(
            reference=self.standard.reference,
            version=self.version,
            earliest_start=self.earliest_start_date,
            latest_start=self.latest_start_date,
            published_minimum_otj=self.minimum_otj_hours,
        )


class Ksb(models.Model):
    """A knowledge, skill or behaviour statement of one standard version.

    `carelead_code` is True while the code is carelead's own ("CL-K1"), False once the official coded
    list has been imported. `retired` marks a KSB no longer in the imported list; it is kept, never
    deleted, so whatever points at it still does.
    """

    version = models.ForeignKey(StandardVersion, on_delete=models.PROTECT, related_name="ksbs")
    kind = models.CharField(max_length=10, choices=KsbKind.choices)
    theme = models.CharField(max_length=30, choices=Theme.choices, blank=True)
    code = models.CharField(max_length=20)
    text = models.TextField()
    carelead_code = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField()  # 1, 2, ... within its kind, as listed
    retired = models.BooleanField(default=False)

    class Meta:
        ordering = ["version", "kind", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="ksb_code_unique_in_version")]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:60]}"


class Qualification(PublicModel):
    """A qualification as one awarding organisation specifies it (§3.1): units differ by AO."""

    title = models.CharField(max_length=200)
    awarding_organisation = models.CharField(max_length=100)
    specification_number = models.CharField(max_length=20, unique=True)  # Ofqual number, "603/2614/1"
    level = models.PositiveSmallIntegerField()
    credits = models.PositiveSmallIntegerField(null=True, blank=True)
    glh = models.PositiveSmallIntegerField(null=True, blank=True)  # guided learning hours
    tqt = models.PositiveSmallIntegerField(null=True, blank=True)  # total qualification time
    rule_of_combination = models.TextField(blank=True)
    source_url = models.URLField(max_length=500, blank=True)
    notes = models.TextField(blank=True)
    imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["title", "awarding_organisation"]

    def __str__(self) -> str:
        return f"{self.title} ({self.specification_number})"


class QualificationUnit(models.Model):
    """A unit of a qualification. `loaded` is False for a unit the source lists but whose title or
    credits could not be read: it is shown as missing, never given an invented title."""

    qualification = models.ForeignKey(Qualification, on_delete=models.PROTECT, related_name="units")
    title = models.CharField(max_length=300, blank=True)
    credits = models.PositiveSmallIntegerField(null=True, blank=True)
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    mandatory = models.BooleanField()
    position = models.PositiveSmallIntegerField()
    loaded = models.BooleanField(default=True)
    retired = models.BooleanField(default=False)  # no longer in the imported list; kept, never deleted

    class Meta:
        ordering = ["qualification", "position"]
        constraints = [
            models.UniqueConstraint(fields=["qualification", "position"], name="qualification_unit_position_unique"),
            models.CheckConstraint(condition=~models.Q(loaded=True, title=""), name="qualification_unit_loaded_has_title"),
        ]

    def __str__(self) -> str:
        return self.title or f"Unit {self.position} (not loaded)"


# --- The programme: an apprentice enrolled on a standard version (issue 5, "Parties and access") ---


class ApprenticeshipStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    BREAK_IN_LEARNING = "break_in_learning", "Break in learning"
    WITHDRAWN = "withdrawn", "Withdrawn"
    COMPLETED = "completed", "Completed"


class EnglishMaths(models.TextChoices):
    """English and maths at the start (§5.2): a 19+ apprentice may not need them, and then the
    discussion and its outcome must be recorded (`english_maths_decision`)."""

    HELD = "held", "Already held"
    IN_PROGRESS = "in_progress", "Working towards"
    NOT_REQUIRED_19_PLUS = "not_required_19_plus", "Not required (aged 19 or over, decision recorded)"


class Apprenticeship(VersionedModel):
    """An apprentice of an employer, trained by a provider's skills coach on one standard version.

    Programme records only: nothing here opens a care record, and no care role opens it.
    """

    apprentice = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="apprenticeships")
    employer = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT,
                                 related_name="apprenticeships_employed")
    provider = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT,
                                 related_name="apprenticeships_provided")
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="coached_apprenticeships")
    employer_contacts = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    standard_version = models.ForeignKey(StandardVersion, on_delete=models.PROTECT, related_name="apprenticeships")
    # The Diploma the apprentice is registered for (§3.1): its units are what portfolio evidence maps to.
    qualification = models.ForeignKey(Qualification, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="apprenticeships")
    start_date = models.DateField()
    practical_period_end = models.DateField("Planned end of the practical period")
    gateway_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=ApprenticeshipStatus.choices, default=ApprenticeshipStatus.ACTIVE)
    english_maths = models.CharField("English and maths", max_length=24, choices=EnglishMaths.choices)
    english_maths_decision = models.TextField("The recorded decision on English and maths", blank=True)
    rpl_hours = models.DecimalField("Recognised prior learning (hours)", max_digits=7, decimal_places=2,
                                    default=Decimal(0), validators=[MinValueValidator(Decimal(0))])
    epao_name = models.CharField("End-point assessment organisation", max_length=200, blank=True)
    epao_named_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["apprentice__full_name", "start_date"]
        indexes = [
            models.Index(fields=["coach", "status"]),
            models.Index(fields=["employer", "status"]),
            models.Index(fields=["apprentice"]),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(practical_period_end__gt=models.F("start_date")),
                                   name="apprenticeship_end_after_start"),
            models.CheckConstraint(condition=models.Q(rpl_hours__gte=0), name="apprenticeship_rpl_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.apprentice} on {self.standard_version}"

    def clean(self) -> None:
        errors = {}
        if self.start_date and self.practical_period_end and self.practical_period_end <= self.start_date:
            errors["practical_period_end"] = ["Enter a planned end after the start date."]
        if self.english_maths == EnglishMaths.NOT_REQUIRED_19_PLUS and not self.english_maths_decision.strip():
            errors["english_maths_decision"] = [
                "Record the decision and why: for an apprentice aged 19 or over it must be documented."]
        if self.gateway_date and self.start_date and self.gateway_date < self.start_date:
            errors["gateway_date"] = ["Enter a gateway date on or after the start date."]
        if errors:
            raise ValidationError(errors)


class WeeklyHours(models.Model):
    """Contracted weekly hours, with history: the current figure is the latest from_date <= today."""

    apprenticeship = models.ForeignKey(Apprenticeship, on_delete=models.CASCADE, related_name="weekly_hours")
    hours = models.DecimalField(max_digits=5, decimal_places=2,
                                validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal(168))])
    from_date = models.DateField()

    class Meta:
        ordering = ["apprenticeship", "-from_date"]
        constraints = [models.UniqueConstraint(fields=["apprenticeship", "from_date"], name="weekly_hours_one_per_date")]

    def __str__(self) -> str:
        return f"{self.hours} h a week from {self.from_date}"
