"""Organisations, their locations, and the memberships that give staff a role at locations."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from carelead.core.models import PublicModel
from carelead.core.permissions import Role

# CQC location IDs are "1-" then digits, e.g. 1-101614546 or 1-10000302982 (CQC's public
# directory and API). The digit count is 9 to 11 in every published ID seen [I].
CQC_LOCATION_ID = re.compile(r"^1-\d{9,11}$")
CQC_LOCATION_ID_MESSAGE = "Enter a CQC location ID in the format 1- then 9 to 11 digits, like 1-101614546"


def validate_cqc_location_id(value: str) -> None:
    if value and not CQC_LOCATION_ID.match(value):
        raise ValidationError(CQC_LOCATION_ID_MESSAGE, code="cqc_location_id")


class OrganisationKind(models.TextChoices):
    CARE_PROVIDER = "care_provider", "Care provider"
    INDIVIDUAL_EMPLOYER = "individual_employer", "Individual employer (a person who employs a Lead PA)"
    TRAINING_PROVIDER = "training_provider", "Training provider"


class Organisation(PublicModel):
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=24, choices=OrganisationKind.choices, default=OrganisationKind.CARE_PROVIDER)
    cqc_provider_id = models.CharField("CQC provider ID", max_length=20, blank=True)
    # Care plans are reviewed every 28 days unless the organisation sets its own cycle (issue 4).
    plan_review_interval_days = models.PositiveSmallIntegerField(
        "Review care plans every (days)", default=28, validators=[MinValueValidator(1), MaxValueValidator(366)],
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def supports_one_person(self) -> bool:
        """A Lead Personal Assistant's employer supports exactly one person, in their own home."""
        return self.kind == OrganisationKind.INDIVIDUAL_EMPLOYER


class SettingType(models.TextChoices):
    CARE_HOME = "care_home", "Care home"
    CARE_HOME_NURSING = "care_home_nursing", "Care home with nursing"
    HOME_CARE = "home_care", "Home care"
    DAY_CENTRE = "day_centre", "Day centre"
    SUPPORTED_LIVING = "supported_living", "Supported living"
    OWN_HOME = "own_home", "Person's own home"


class Location(PublicModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="locations")
    name = models.CharField(max_length=200)
    setting_type = models.CharField(max_length=24, choices=SettingType.choices)
    cqc_location_id = models.CharField(
        "CQC location ID", max_length=14, blank=True, validators=[validate_cqc_location_id]
    )
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["organisation", "name"])]

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(models.QuerySet):
    def current(self):
        return self.filter(ended_at__isnull=True)


class Membership(PublicModel):
    """A user's role in an organisation, at the locations it names. Ending it stops access at once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=24, choices=Role.choices)
    locations = models.ManyToManyField(Location, related_name="memberships", blank=True)
    all_locations = models.BooleanField(
        "Every location, now and future", default=False,
        help_text="For roles that cover the whole organisation, such as an organisation admin",
    )
    audit_access = models.BooleanField(
        default=False, help_text="Lets an organisation admin see who has seen people's records"
    )
    job_title = models.CharField(max_length=120, blank=True)
    started_on = models.DateField(default=timezone.localdate)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["user__full_name"]
        indexes = [
            models.Index(fields=["user", "ended_at"]),
            models.Index(fields=["organisation", "ended_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.organisation}"

    @property
    def is_current(self) -> bool:
        return self.ended_at is None


class Invitation(PublicModel):
    """A one-time link inviting someone by email to join with a role at locations."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    full_name = models.CharField(max_length=150)
    role = models.CharField(max_length=24, choices=Role.choices)
    locations = models.ManyToManyField(Location, related_name="+", blank=True)
    all_locations = models.BooleanField(default=False)
    audit_access = models.BooleanField(default=False)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "accepted_at"])]

    def __str__(self) -> str:
        return f"Invitation for {self.email}"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.accepted_at is None and self.cancelled_at is None and now < self.expires_at
