"""Input for the organisation admin's pages: parsing and field-level messages; nothing saves here."""

from django import forms

from carelead.core.forms import NHSDateField, NHSFormMixin
from carelead.core.permissions import Role
from carelead.organisations.models import CQC_LOCATION_ID_MESSAGE, SettingType, validate_cqc_location_id
from carelead.organisations.services import REVIEW_INTERVAL_MESSAGE

EMAIL_MESSAGE = "Enter an email address in the correct format, like name@example.com"
NO_LOCATIONS_MESSAGE = "Select the locations they will work at, or select every location"


class LocationForm(NHSFormMixin, forms.Form):
    name = forms.CharField(label="Location name", max_length=200)
    setting_type = forms.ChoiceField(label="Type of setting", choices=SettingType.choices, widget=forms.RadioSelect)
    cqc_location_id = forms.CharField(
        label="CQC location ID", max_length=14, required=False, validators=[validate_cqc_location_id],
        help_text="Find it on the location's page on the CQC website, for example 1-101614546",
    )
    address = forms.CharField(label="Address", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    postcode = forms.CharField(label="Postcode", max_length=10, required=False)
    closed_on = NHSDateField(
        label="Date the location closed", required=False,
        help_text="Only if the location has closed. For example, 31 3 2026",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["setting_type"].error_messages["required"] = "Select the type of setting"
        self.fields["cqc_location_id"].error_messages["max_length"] = CQC_LOCATION_ID_MESSAGE

    def clean_postcode(self) -> str:
        return " ".join(self.cleaned_data["postcode"].upper().split())


class CarePlanSettingsForm(NHSFormMixin, forms.Form):
    plan_review_interval_days = forms.IntegerField(
        label="Review care plans every (days)", min_value=1, max_value=366,
        help_text="From 1 to 366 days. New care plans, and reassessments of needs, are due this many days "
                  "after they are agreed. 28 days is usual.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["plan_review_interval_days"]
        for key in ("required", "invalid", "min_value", "max_value"):
            field.error_messages[key] = REVIEW_INTERVAL_MESSAGE


class MembershipFieldsForm(NHSFormMixin, forms.Form):
    """Role, locations and grants, shared by the invitation and the change-role pages."""

    role = forms.ChoiceField(label="Role", widget=forms.RadioSelect)
    all_locations = forms.BooleanField(
        label="Every location, now and future", required=False,
        help_text="For roles that cover the whole organisation, such as an organisation admin",
    )
    locations = forms.ModelMultipleChoiceField(
        label="Locations", queryset=None, to_field_name="public_id", required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    audit_access = forms.BooleanField(
        label="Can see who has seen people's records", required=False,
        help_text="Only for organisation admins: the audit trail of people's records",
    )

    def __init__(self, *args, role_choices, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices
        self.fields["role"].error_messages["required"] = "Select a role"
        self.fields["locations"].queryset = locations
        self.fields["locations"].error_messages["invalid_choice"] = "Select locations from the list"

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("all_locations") and not cleaned.get("locations") and "locations" not in self.errors:
            self.add_error("locations", NO_LOCATIONS_MESSAGE)
        if cleaned.get("all_locations"):
            cleaned["locations"] = []
        return cleaned


class InvitationForm(MembershipFieldsForm):
    field_order = ["full_name", "email", "role", "all_locations", "locations", "audit_access"]

    full_name = forms.CharField(label="Full name", max_length=150)
    email = forms.EmailField(label="Email address", max_length=254)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].error_messages["invalid"] = EMAIL_MESSAGE
        self.fields["email"].error_messages["required"] = "Enter their email address"
        self.fields["full_name"].error_messages["required"] = "Enter their full name"


class MembershipForm(MembershipFieldsForm):
    field_order = ["role", "job_title", "all_locations", "locations", "audit_access"]

    job_title = forms.CharField(label="Job title", max_length=120, required=False)


class StaffFilterForm(forms.Form):
    """Filters on the staff list; a bad value is ignored rather than shown as an error."""

    location = forms.ModelChoiceField(
        label="Location", queryset=None, to_field_name="public_id", required=False, empty_label="All locations"
    )
    role = forms.ChoiceField(label="Role", required=False)

    def __init__(self, *args, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations
        self.fields["role"].choices = [("", "All roles"), *Role.choices]


class AcceptInvitationForm(NHSFormMixin, forms.Form):
    """A new account from an invitation: name and password (the service applies the password rules)."""

    full_name = forms.CharField(label="Full name", max_length=150)
    password = forms.CharField(
        label="Create a password", strip=False,
        help_text="At least 12 characters. A few unrelated words together are easy to remember",
    )
    password_again = forms.CharField(label="Enter the password again", strip=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].error_messages["required"] = "Enter your full name"
        self.fields["password"].error_messages["required"] = "Create a password"
        self.fields["password_again"].error_messages["required"] = "Enter the password again"


class ConfirmForm(forms.Form):
    """A confirmation page's form: no fields, but somewhere for the service's refusal to show."""
