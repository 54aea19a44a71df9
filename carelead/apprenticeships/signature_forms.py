"""The form for a signature obtained outside carelead (a training plan version or a progress review):
who signed, when and how, each required, as the Signature model's constraint demands."""

from django import forms

from carelead.apprenticeships.models import Party
from carelead.core.forms import NHSDateField, NHSFormMixin


class OfflineSignatureForm(NHSFormMixin, forms.Form):
    """A signature obtained outside carelead: who signed, when and how, each required."""

    party = forms.ChoiceField(label="Whose signature is it", widget=forms.RadioSelect,
                              choices=[(Party.APPRENTICE.value, "The apprentice"),
                                       (Party.EMPLOYER.value, "The employer")])
    signatory_name = forms.CharField(label="Name of the person who signed", max_length=200)
    obtained_on = NHSDateField(label="When they signed")
    obtained_how = forms.CharField(label="How it was obtained", max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].error_messages["required"] = "Select whose signature this is"
        self.fields["signatory_name"].error_messages["required"] = "Enter the name of the person who signed"
        self.fields["obtained_how"].error_messages["required"] = (
            "Enter how the signature was obtained, for example a signed paper copy")
