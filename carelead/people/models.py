"""People supported and the parts of their record kept in the foundation: profile, About Me,
contacts, communication needs (Accessible Information Standard), consent and equipment."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from carelead.core.models import PublicModel, VersionedModel
from carelead.people import rules


def validate_nhs_number(value: str) -> None:
    if value and not rules.is_valid_nhs_number(value):
        raise ValidationError(rules.NHS_NUMBER_MESSAGE, code="nhs_number")


DATE_OF_BIRTH_PAST_MESSAGE = "Date of birth must be in the past"


class PersonStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    IN_HOSPITAL = "in_hospital", "In hospital"
    MOVED_ON = "moved_on", "Moved on"
    DIED = "died", "Died"


class Person(VersionedModel):
    """Someone the organisation supports, at one of its locations.

    Their care plans (and sections), risk, needs and capacity assessments and DoLS applications copy
    `location` for the status page's counts; nothing moves a person today, and a future move must
    update those records' location in the same transaction.
    """

    location = models.ForeignKey("organisations.Location", on_delete=models.PROTECT, related_name="people")
    given_name = models.CharField("First name", max_length=100)
    family_name = models.CharField("Last name", max_length=100)
    preferred_name = models.CharField("Preferred name", max_length=100, blank=True)
    pronouns = models.CharField(max_length=40, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    nhs_number = models.CharField("NHS number", max_length=10, blank=True, validators=[validate_nhs_number])
    status = models.CharField(max_length=12, choices=PersonStatus.choices, default=PersonStatus.ACTIVE)
    status_since = models.DateField("Status since", default=timezone.localdate)
    support_started_on = models.DateField("Support started", null=True, blank=True)

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        indexes = [
            models.Index(fields=["location", "family_name", "given_name"]),
            # The list's order: a wide scope (a manager of 200 locations) reads the first page
            # from this index instead of sorting every visible person.
            models.Index(fields=["family_name", "given_name", "id"], name="person_name_order_idx"),
            # Prefix search on NHS numbers; pattern ops let PostgreSQL use it for LIKE '943%'
            # whatever the collation (SQLite ignores opclasses).
            models.Index(fields=["nhs_number"], name="person_nhs_number_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["location", "status"]),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        shown = self.preferred_name or self.given_name
        return f"{shown} {self.family_name}"

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def nhs_number_display(self) -> str:
        return rules.format_nhs_number(self.nhs_number)

    @property
    def age(self) -> int | None:
        """Age today in whole years (None when the date of birth is not recorded)."""
        if self.date_of_birth is None:
            return None
        return rules.age_on(born=self.date_of_birth, today=timezone.localdate())

    def clean(self):
        if self.date_of_birth and not rules.is_in_the_past(self.date_of_birth, today=timezone.localdate()):
            raise ValidationError({"date_of_birth": DATE_OF_BIRTH_PAST_MESSAGE})


class AboutMe(VersionedModel):
    """PRSB About Me: seven optional sections in the person's own words (PRSB About Me v2)."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="about_me")
    most_important = models.TextField("What is most important to me", blank=True)
    important_people = models.TextField("People who are important to me", blank=True)
    communication = models.TextField("How I communicate and how to communicate with me", blank=True)
    wellness = models.TextField("My wellness", blank=True)
    do_and_dont = models.TextField("Please do and please don't", blank=True)
    how_to_support = models.TextField("How and when to support me", blank=True)
    also_worth_knowing = models.TextField("Also worth knowing about me", blank=True)
    supported_by = models.CharField("Supported to write this by", max_length=200, blank=True)
    supported_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_updated_on = models.DateField("Date last updated", null=True, blank=True)

    SECTIONS = (
        "most_important",
        "important_people",
        "communication",
        "wellness",
        "do_and_dont",
        "how_to_support",
        "also_worth_knowing",
    )

    def __str__(self) -> str:
        return f"About Me: {self.person}"


class ContactKind(models.TextChoices):
    NEXT_OF_KIN = "next_of_kin", "Next of kin"
    LPA_HEALTH = "lpa_health", "Lasting power of attorney: health and welfare"
    LPA_PROPERTY = "lpa_property", "Lasting power of attorney: property and financial affairs"
    DEPUTY = "deputy", "Court-appointed deputy"
    ADVOCATE = "advocate", "Advocate"
    GP_PRACTICE = "gp_practice", "GP practice"
    OTHER = "other", "Other"


LPA_KINDS = frozenset({ContactKind.LPA_HEALTH, ContactKind.LPA_PROPERTY})


class Contact(PublicModel):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField("Type of contact", max_length=16, choices=ContactKind.choices)
    name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=100, blank=True)
    phone = models.CharField("Phone number", max_length=30, blank=True)
    email = models.EmailField("Email address", blank=True)
    address = models.TextField(blank=True)
    ods_code = models.CharField("Practice ODS code", max_length=10, blank=True)
    lpa_registered_on = models.DateField("Date the LPA was registered", null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["kind", "name"]
        indexes = [models.Index(fields=["person", "kind"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    def clean(self):
        if self.kind in LPA_KINDS and not self.lpa_registered_on:
            raise ValidationError(
                {"lpa_registered_on": "Enter the date the lasting power of attorney was registered"}
            )
        if self.kind not in LPA_KINDS and self.lpa_registered_on:
            raise ValidationError({"lpa_registered_on": "Only a lasting power of attorney has a registration date"})


class InformationFormat(models.TextChoices):
    NONE = "", "No specific format"
    LARGE_PRINT = "large_print", "Large print"
    EASY_READ = "easy_read", "Easy read"
    BRAILLE = "braille", "Braille"
    AUDIO = "audio", "Audio"
    BSL_VIDEO = "bsl_video", "British Sign Language video"
    ELECTRONIC = "electronic", "Email or electronic document"
    OTHER_LANGUAGE = "other_language", "Translated into another language"


class CommunicationSupport(models.TextChoices):
    NONE = "", "No communication support"
    BSL_INTERPRETER = "bsl_interpreter", "British Sign Language interpreter"
    DEAFBLIND_INTERPRETER = "deafblind_interpreter", "Deafblind manual interpreter"
    LIPSPEAKER = "lipspeaker", "Lipspeaker"
    SPEECH_TO_TEXT = "speech_to_text", "Speech-to-text reporter"
    LANGUAGE_INTERPRETER = "language_interpreter", "Spoken language interpreter"
    ADVOCATE = "advocate", "Advocate"
    AAC = "aac", "Communication aid (AAC)"
    HEARING_LOOP = "hearing_loop", "Hearing loop"
    OTHER = "other", "Other support"


class CommunicationNeed(PublicModel):
    """A need recorded under the Accessible Information Standard (DCB1605): identify, record,
    flag, share, meet. Each row says the need, the format of information, and the support."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="communication_needs")
    need = models.CharField("Communication need", max_length=200)
    information_format = models.CharField(
        "Format of information", max_length=20, choices=InformationFormat.choices, blank=True
    )
    support = models.CharField("Communication support", max_length=24, choices=CommunicationSupport.choices, blank=True)
    preferred_contact = models.CharField("How to contact them", max_length=200, blank=True)
    details = models.TextField("More detail", blank=True)
    share_with_others = models.BooleanField(
        "Share this need when information is shared with other services", default=True
    )

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["person", "created_at"])]

    def __str__(self) -> str:
        return self.need


class ConsentGivenBy(models.TextChoices):
    PERSON = "person", "The person"
    LPA_HEALTH = "lpa_health", "Attorney (health and welfare LPA)"
    DEPUTY = "deputy", "Court-appointed deputy"
    BEST_INTERESTS = "best_interests", "Not consent: a best-interests decision was made"


class ConsentDecision(models.TextChoices):
    GIVEN = "given", "Consent given"
    REFUSED = "refused", "Consent refused"
    WITHDRAWN = "withdrawn", "Consent withdrawn"


class CapacityNoted(models.TextChoices):
    HAS_CAPACITY = "has_capacity", "Has capacity for this decision"
    LACKS_CAPACITY = "lacks_capacity", "Lacks capacity for this decision (assessment recorded)"
    NOT_ASSESSED = "not_assessed", "Not assessed: capacity is assumed (MCA principle 1)"


class ConsentRecord(PublicModel):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    subject = models.CharField("What the consent is for", max_length=200)
    decision = models.CharField(max_length=10, choices=ConsentDecision.choices, default=ConsentDecision.GIVEN)
    given_by = models.CharField("Decided by", max_length=16, choices=ConsentGivenBy.choices)
    given_by_name = models.CharField("Name of the person who decided", max_length=200, blank=True)
    capacity = models.CharField("Capacity", max_length=16, choices=CapacityNoted.choices)
    recorded_on = models.DateField("Date of the decision", default=timezone.localdate)
    review_on = models.DateField("Review date", null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-recorded_on", "-id"]
        indexes = [models.Index(fields=["person", "recorded_on"])]

    def __str__(self) -> str:
        return self.subject

    @property
    def review_overdue(self) -> bool:
        return rules.is_review_overdue(review_on=self.review_on, today=timezone.localdate())

    def clean(self):
        errors = {}
        if self.given_by != ConsentGivenBy.PERSON and not self.given_by_name:
            errors["given_by_name"] = "Enter the name of the person who decided"
        if self.given_by == ConsentGivenBy.PERSON and self.capacity == CapacityNoted.LACKS_CAPACITY:
            errors["capacity"] = "A person who lacks capacity for this decision cannot give consent to it themselves"
        if self.review_on and self.recorded_on and self.review_on < self.recorded_on:
            errors["review_on"] = "The review date must be on or after the date of the decision"
        if errors:
            raise ValidationError(errors)


class EquipmentCategory(models.TextChoices):
    TELECARE = "telecare", "Telecare"
    ASSISTIVE = "assistive", "Assistive technology"
    MOBILITY = "mobility", "Mobility and moving"
    PRESSURE = "pressure", "Pressure care"
    SENSORY = "sensory", "Sensory"
    OTHER = "other", "Other"


class EquipmentItem(PublicModel):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="equipment")
    item = models.CharField(max_length=200)
    category = models.CharField(max_length=12, choices=EquipmentCategory.choices)
    supplier = models.CharField(max_length=200, blank=True)
    installed_on = models.DateField("Date installed", null=True, blank=True)
    next_service_due = models.DateField("Next service due", null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["next_service_due", "item"]
        indexes = [models.Index(fields=["person", "next_service_due"])]

    def __str__(self) -> str:
        return self.item

    @property
    def service_overdue(self) -> bool:
        return rules.is_service_overdue(due=self.next_service_due, today=timezone.localdate())

    def clean(self):
        if self.installed_on and self.next_service_due and self.next_service_due < self.installed_on:
            raise ValidationError({"next_service_due": "The next service must be due on or after the date installed"})
