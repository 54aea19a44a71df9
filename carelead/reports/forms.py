from django import forms


class LocationFilterForm(forms.Form):
    name = forms.CharField(label="Location name", max_length=200, required=False)
