"""Input for the enrolment page: parsing and field-level messages. The service does the checking
that needs the database (staff of the employer, the standard version for the start date)."""

from decimal import Decimal

from django import forms
from carelead.apprenticeships import selectors
from carelead.apprenticeships.models import EnglishMaths
from carelead.core.forms import NHSDateField, NHSFormMixin

NOT_STAFF_MESSAGE = "Enter the email address of a current member of staff of the employer."
NOT_THIS_EMPLOYER_MESSAGE = "Enter the name of an organisation this person works for, as it is written in carelead."
SEVERAL_EMPLOYERS_MESSAGE = ("This person works for more than one organisation: enter the name of the one "
                             "they are an apprentice with.")


class EnrolForm(NHSFormMixin, forms.Form):
    """Enrol an apprentice by their email address; the employer is the organisation they work for.

    A coach is never shown a list of organisations: a training provider is not linked to employers
    yet, and an individual employer's name is a person's name. The employer comes from the
    apprentice's own current membership (named only when they work for more than one).
    """

    # The service's arguments that this form asks for under other names (core.forms.add_service_errors).
    service_fields = {"apprentice": "apprentice_email", "employer_contacts": "employer_contact_emails",
                      "epao_named_on": "epao_name"}

    apprentice_email = forms.EmailField(label="Apprentice's email address")
    employer_name = forms.CharField(label="Employer", max_length=200, required=False)
    coach = forms.ModelChoiceField(queryset=None, label="Skills coach")
    start_date = NHSDateField(label="Start date")
    practical_period_end = NHSDateField(label="Planned end of the practical period")
    weekly_hours = forms.DecimalField(label="Contracted hours a week", min_value=Decimal("0.5"),
                                      max_value=Decimal(168), decimal_places=2, max_digits=5)
    english_maths = forms.ChoiceField(label="English and maths", choices=EnglishMaths.choices,
                                      widget=forms.RadioSelect)
    english_maths_decision = forms.CharField(label="The decision on English and maths", required=False,
                                             widget=forms.Textarea(attrs={"rows": 3}))
    rpl_hours = forms.DecimalField(label="Recognised prior learning (hours)", min_value=Decimal(0),
                                   decimal_places=2, max_digits=7, required=False, initial=Decimal(0))
    epao_name = forms.CharField(label="End-point assessment organisation", max_length=200, required=False)
    qualification = forms.ModelChoiceField(queryset=None, label="Level 4 Diploma", required=False,
                                           empty_label="Not registered yet")
    employer_contact_emails = forms.CharField(
        label="Employer contacts' email addresses", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, employers, coaches, **kwargs):
        super().__init__(*args, **kwargs)
        self.employers = employers  # the organisations that can employ apprentices (never listed)
        self.fields["coach"].queryset = coaches
        self.fields["coach"].label_from_instance = lambda user: user.full_name or user.email
        self.fields["qualification"].queryset = selectors.qualifications()
        self.fields["qualification"].label_from_instance = (
            lambda q: f"{q.title}, {q.awarding_organisation} ({q.specification_number})")
        self.fields["weekly_hours"].error_messages["required"] = "Enter the contracted hours a week"

    def clean(self):
        data = super().clean()
        email = data.get("apprentice_email")
        employer = None
        if email:
            employer = self._employer_of(email, (data.get("employer_name") or "").strip())
            data["employer"] = employer
            if employer is not None:
                data["apprentice"] = selectors.enrollable_staff(employer).filter(email__iexact=email).first()
        emails = (data.get("employer_contact_emails") or "").replace(",", "\n").splitlines()
        contacts = selectors.staff_with_emails(employer, emails) if employer else []
        if contacts is None:
            self.add_error("employer_contact_emails", "Enter email addresses of current staff of the employer, "
                                                      "one a line.")
        data["employer_contacts"] = contacts or []
        return data

    def _employer_of(self, email: str, name: str):
        """The one employing organisation the person with this email currently works for, or None
        with a message beside the field that needs it."""
        employers = list(self.employers.filter(memberships__user__email__iexact=email,
                                               memberships__ended_at__isnull=True).distinct())
        if not employers:
            self.add_error("apprentice_email", NOT_STAFF_MESSAGE)
            return None
        if name:
            employers = [each for each in employers if each.name.casefold() == name.casefold()]
            if not employers:
                self.add_error("employer_name", NOT_THIS_EMPLOYER_MESSAGE)
                return None
        if len(employers) > 1:
            self.add_error("employer_name", SEVERAL_EMPLOYERS_MESSAGE)
            return None
        return employers[0]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "apprentice": data["apprentice"], "employer": data["employer"], "coach": data["coach"],
            "start_date": data["start_date"], "practical_period_end": data["practical_period_end"],
            "weekly_hours": data["weekly_hours"], "english_maths": data["english_maths"],
            "english_maths_decision": data.get("english_maths_decision") or "",
            "rpl_hours": data.get("rpl_hours") or Decimal(0), "epao_name": data.get("epao_name") or "",
            "employer_contacts": data["employer_contacts"], "qualification": data.get("qualification"),
        }
