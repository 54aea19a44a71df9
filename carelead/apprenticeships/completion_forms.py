"""Input for recording the outcome: parsing and field-level messages; completion_services checks the
rules (EPA passed, date, certificate) and saves."""

from django import forms

from carelead.core.forms import NHSDateField, NHSFormMixin

VERSION_MESSAGE = "This page is out of date. Open it again."


class CompletionForm(NHSFormMixin, forms.Form):
    achieved_on = NHSDateField(label="Achievement date")
    certificate = forms.FileField(label="Achievement certificate",
                                  help_text="A PDF, Word document (.docx), JPG or PNG file, up to 10 MB")
    seen_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1,
                                      error_messages={"required": VERSION_MESSAGE, "invalid": VERSION_MESSAGE})
