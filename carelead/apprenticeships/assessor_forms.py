"""Input for granting and stopping an end-point assessor's access: parsing and field-level messages;
assessor_services checks the rules (gateway, the window, who the assessor is) and saves."""

from django import forms

from carelead.core.forms import NHSDateField, NHSFormMixin


class GrantForm(NHSFormMixin, forms.Form):
    """Who the assessor is (their email on carelead) and the dates their access opens and ends."""

    email = forms.EmailField(label="Assessor's email address", max_length=254)
    starts_on = NHSDateField(label="Access from")
    ends_on = NHSDateField(label="Access until")


class RevokeForm(NHSFormMixin, forms.Form):
    reason = forms.CharField(label="Why are you stopping this access?", max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 3}))
