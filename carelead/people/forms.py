"""Input for the people pages: parsing and field-level messages. Services do the saving."""

from django import forms

from carelead.core.forms import NHSDateField, NHSFormMixin
from carelead.people import rules
from carelead.people.models import (
    AboutMe, CommunicationNeed, ConsentRecord, Contact, EquipmentItem, Person, PersonStatus,
)

DATE_RANGE_MESSAGE = "The end date must be the same as or after the start date"
VERSION_MESSAGE = "This page is out of date. Open the record again and make your changes."


class RecordForm(NHSFormMixin, forms.ModelForm):
    """A ModelForm in the NHS.UK voice whose radios offer no blank "---------" choice."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.RadioSelect):
                field.choices = [(value, label) for value, label in field.choices if value != ""]

    def changes(self) -> dict:
        """The cleaned values of the model's fields, as keyword arguments for a service."""
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class VersionedForm(RecordForm):
    """A form for a shared record: the hidden version it was opened at travels with the edit."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        version = self.fields["version"]
        version.initial = self.instance.version
        version.error_messages.update(required=VERSION_MESSAGE, invalid=VERSION_MESSAGE, min_value=VERSION_MESSAGE)


def _text_area(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class NHSNumberField(forms.CharField):
    """Ten digits, written with or without spaces; saved as digits only."""

    def __init__(self, **kwargs):
        super().__init__(label="NHS number", required=False, max_length=20, **kwargs)
        self.error_messages["max_length"] = rules.NHS_NUMBER_MESSAGE

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        if not rules.is_valid_nhs_number(value):
            raise forms.ValidationError(rules.NHS_NUMBER_MESSAGE, code="nhs_number")
        return rules.normalise_nhs_number(value)


class PersonSearchForm(forms.Form):
    """The people list's search and filters (all optional)."""

    text = forms.CharField(label="Search by name or NHS number", required=False, max_length=100)
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any status"), *PersonStatus.choices])
    location = forms.ModelChoiceField(
        label="Location", required=False, queryset=None, to_field_name="public_id", empty_label="All your locations"
    )

    def __init__(self, *args, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations


class PersonForm(RecordForm):
    """Adding someone newly supported."""

    location = forms.ModelChoiceField(queryset=None, to_field_name="public_id", label="Location",
                                      empty_label="Select a location")
    date_of_birth = NHSDateField(label="Date of birth")
    nhs_number = NHSNumberField(help_text="10 digits, like 943 476 5919. Leave blank if you do not know it yet.")
    support_started_on = NHSDateField(label="Support started", required=False)

    class Meta:
        model = Person
        fields = [
            "location", "given_name", "family_name", "preferred_name", "pronouns",
            "date_of_birth", "nhs_number", "support_started_on",
        ]
        help_texts = {
            "preferred_name": "What they like to be called, if not their first name",
            "pronouns": "For example, she/her, he/him or they/them",
        }

    def __init__(self, *args, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations
        self.fields["location"].error_messages["required"] = "Select the location where they are supported"


class PersonProfileForm(VersionedForm):
    """Changing the profile, including the status (active, in hospital, moved on, died)."""

    date_of_birth = NHSDateField(label="Date of birth")
    nhs_number = NHSNumberField(help_text="10 digits, like 943 476 5919")
    status_since = NHSDateField(
        label="Status since", required=False,
        help_text="The date the status changed. Leave blank for today when you change the status.",
    )
    support_started_on = NHSDateField(label="Support started", required=False)

    class Meta:
        model = Person
        fields = [
            "given_name", "family_name", "preferred_name", "pronouns", "date_of_birth", "nhs_number",
            "status", "status_since", "support_started_on",
        ]
        widgets = {"status": forms.RadioSelect}
        help_texts = PersonForm.Meta.help_texts

    def changes(self) -> dict:
        """A new status without a new date takes today's date (the service sets it)."""
        values = super().changes()
        status_changed = values["status"] != self.initial.get("status")
        if values["status_since"] is None or (status_changed and values["status_since"] == self.initial.get("status_since")):
            values.pop("status_since")
        return values


class AboutMeForm(VersionedForm):
    """PRSB About Me: the seven sections in the person's own words."""

    class Meta:
        model = AboutMe
        fields = [*AboutMe.SECTIONS, "supported_by"]
        widgets = {name: _text_area() for name in AboutMe.SECTIONS}
        help_texts = {"supported_by": "The name of anyone who helped the person write this, and how they know them"}


class ContactForm(RecordForm):
    lpa_registered_on = NHSDateField(
        label="Date the LPA was registered", required=False,
        help_text="Only for a lasting power of attorney. For example, 15 3 2021",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages["required"] = "Enter the contact's name"

    class Meta:
        model = Contact
        fields = ["kind", "name", "relationship", "phone", "email", "address", "ods_code", "lpa_registered_on", "notes"]
        widgets = {"kind": forms.RadioSelect, "address": _text_area(3), "notes": _text_area(3)}
        help_texts = {"ods_code": "Only for a GP practice, like Y12345"}


class CommunicationNeedForm(RecordForm):
    """Accessible Information Standard (DCB1605): the need, the format, the support, how to contact."""

    class Meta:
        model = CommunicationNeed
        fields = ["need", "information_format", "support", "preferred_contact", "details", "share_with_others"]
        widgets = {"details": _text_area(3)}
        help_texts = {
            "need": "For example, deaf and uses British Sign Language",
            "preferred_contact": "For example, text message, email or letter in large print",
        }


class ConsentRecordForm(RecordForm):
    recorded_on = NHSDateField(label="Date of the decision")
    review_on = NHSDateField(label="Review date", required=False)

    class Meta:
        model = ConsentRecord
        fields = ["subject", "decision", "given_by", "given_by_name", "capacity", "recorded_on", "review_on", "notes"]
        widgets = {
            "decision": forms.RadioSelect, "given_by": forms.RadioSelect, "capacity": forms.RadioSelect,
            "notes": _text_area(3),
        }
        help_texts = {"given_by_name": "Not needed when the person decided themselves"}


class EquipmentItemForm(RecordForm):
    installed_on = NHSDateField(label="Date installed", required=False)
    next_service_due = NHSDateField(label="Next service due", required=False)

    class Meta:
        model = EquipmentItem
        fields = ["item", "category", "supplier", "installed_on", "next_service_due", "notes"]
        widgets = {"notes": _text_area(3)}
        help_texts = {"item": "For example, pendant alarm, hoist or pressure-relieving mattress"}


class AuditFilterForm(NHSFormMixin, forms.Form):
    """Filters on the audit trail; every field optional."""

    person = forms.CharField(label="Person", required=False, max_length=100, help_text="Name or NHS number")
    staff = forms.CharField(label="Staff member", required=False, max_length=150, help_text="Name or email address")
    date_from = NHSDateField(label="From", required=False)
    date_to = NHSDateField(label="To", required=False)

    def __init__(self, *args, with_person: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_person:
            del self.fields["person"]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", DATE_RANGE_MESSAGE)
        return cleaned

    def filters(self) -> dict:
        """Keyword arguments for search_audit_events (empty when the form is not valid)."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "person_text": data.get("person", ""),
            "staff": data["staff"],
            "date_from": data["date_from"],
            "date_to": data["date_to"],
        }
