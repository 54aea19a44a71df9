"""Input for the gateway pages: parsing and field-level messages; gateway_services checks the rules and saves.
The offline signature form is the shared one (signature_forms.OfflineSignatureForm)."""

from django import forms

from carelead.core.forms import NHSDateField, NHSFormMixin

VERSION_MESSAGE = "This page is out of date. Open the gateway again."
CERTIFICATE_HINT = "A PDF, Word document (.docx), JPG or PNG file, up to 10 MB"


class _Versioned(NHSFormMixin, forms.Form):
    """A form that names the version of the record it was opened on (a newer save is refused, not overwritten)."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1,
                                      error_messages={"required": VERSION_MESSAGE, "invalid": VERSION_MESSAGE})


class DiplomaForm(_Versioned):
    achieved_on = NHSDateField(label="Date the Diploma was achieved", help_text="For example, 14 5 2027")
    certificate = forms.FileField(label="Certificate", required=False, help_text=CERTIFICATE_HINT)
    file_fields = ("certificate",)


class EnglishMathsForm(_Versioned):
    date_of_birth = NHSDateField(label="Apprentice's date of birth", required=False,
                                 help_text="Only used to work out their age at the start: English and maths are "
                                           "required for apprentices aged 16 to 18 at the start")
    english_achieved_on = NHSDateField(label="Date English was achieved", required=False,
                                       help_text="Only if achieved during the apprenticeship")
    english_certificate = forms.FileField(label="English certificate", required=False, help_text=CERTIFICATE_HINT)
    maths_achieved_on = NHSDateField(label="Date maths was achieved", required=False,
                                     help_text="Only if achieved during the apprenticeship")
    maths_certificate = forms.FileField(label="Maths certificate", required=False, help_text=CERTIFICATE_HINT)
    file_fields = ("english_certificate", "maths_certificate")

    def __init__(self, *args, working_towards: bool = True, **kwargs):
        """Achievements are asked only of an apprentice enrolled as working towards English and maths."""
        super().__init__(*args, **kwargs)
        if not working_towards:
            for name in ("english_achieved_on", "english_certificate", "maths_achieved_on", "maths_certificate"):
                del self.fields[name]


class ObservationScopeForm(_Versioned):
    scope = forms.CharField(label="The leadership activity to be observed", widget=forms.Textarea(attrs={"rows": 5}),
                            help_text="The activity the apprentice will lead at the observation, for example a team "
                                      "meeting on a new medicines procedure, and who will take part")
    agreed_on = NHSDateField(label="Date agreed")
    file_fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].error_messages["required"] = "Enter the leadership activity to be observed"


class ConfirmForm(NHSFormMixin, forms.Form):
    confirm = forms.BooleanField(label="I confirm this")

    def __init__(self, *args, label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["confirm"].label = label
        self.fields["confirm"].error_messages["required"] = "Confirm by ticking the box"


class GatewayDateForm(_Versioned):
    gateway_date = NHSDateField(label="Gateway date", help_text="Today or in the past, for example 3 12 2026")


class WithdrawSignaturesForm(NHSFormMixin, forms.Form):
    reason = forms.CharField(label="Why are the signatures withdrawn?", widget=forms.Textarea(attrs={"rows": 4}),
                             max_length=1000,
                             help_text="For example, the Diploma date was wrong")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = (
            "Enter why the signatures are withdrawn, for example the Diploma date was wrong")
