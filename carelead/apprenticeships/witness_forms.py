"""Input for witness testimony: the apprentice's request naming the witness, and the witness's own
confirmation on the public page. Parsing and messages only; witness_services checks and saves."""

from django import forms

from carelead.apprenticeships.practice_evidence import TITLE_MAX
from carelead.apprenticeships.practice_forms import ClaimsMixin
from carelead.apprenticeships import witness_services as services
from carelead.core.forms import NHSDateField, NHSFormMixin


class WitnessRequestForm(NHSFormMixin, ClaimsMixin):
    """Who witnessed the apprentice's practice, what they saw, and the KSBs and units claimed."""

    witness_name = forms.CharField(label="Witness's full name", max_length=200)
    witness_role = forms.CharField(label="Witness's job title", max_length=200,
                                   help_text="For example, Registered Manager or Senior Care Worker")
    witness_email = forms.EmailField(label="Witness's email address", max_length=254,
                                     help_text="We email them a link to read, correct and confirm the testimony")
    title = forms.CharField(label="What they saw, in a few words", max_length=TITLE_MAX,
                            help_text="For example, Led the morning handover. Do not name the person supported.")
    occurred_on = NHSDateField(label="Date", help_text="For example, 7 10 2026")
    body = forms.CharField(label="What they saw (optional)", required=False,
                           widget=forms.Textarea(attrs={"rows": 6}),
                           help_text="Draft it for them to check, or leave it for the witness to write. Do not name "
                                     "or describe the people you support.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["witness_name"].error_messages["required"] = services.NAME_MESSAGE
        self.fields["witness_role"].error_messages["required"] = services.ROLE_MESSAGE
        self.fields["witness_email"].error_messages.update(
            required=services.EMAIL_MESSAGE, invalid=services.EMAIL_FORMAT_MESSAGE)
        self.fields["title"].error_messages["required"] = services.TITLE_MESSAGE

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in ("witness_name", "witness_role", "witness_email", "title",
                                              "occurred_on", "body")} | self.claims()


class WitnessConfirmForm(NHSFormMixin, forms.Form):
    """The witness's testimony in their own words, who they are, and their declaration."""

    body = forms.CharField(label="What you saw", widget=forms.Textarea(attrs={"rows": 8}),
                           help_text="Correct or add to what the apprentice wrote. Do not name or describe the people "
                                     "they support.")
    witness_name = forms.CharField(label="Your full name", max_length=200)
    witness_role = forms.CharField(label="Your job title", max_length=200)
    declared = forms.BooleanField(label="I confirm this is a true account of what I saw")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].error_messages["required"] = services.TESTIMONY_MESSAGE
        self.fields["witness_name"].error_messages["required"] = services.WITNESS_NAME_MESSAGE
        self.fields["witness_role"].error_messages["required"] = services.WITNESS_ROLE_MESSAGE
        self.fields["declared"].error_messages["required"] = services.DECLARATION_MESSAGE
