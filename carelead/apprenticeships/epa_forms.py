"""Input for the end-point assessment pages: parsing and field-level messages; epa_services checks the
rules (gateway, 4 weeks, resit limit, grades) and saves."""

from django import forms

from carelead.apprenticeships import epa
from carelead.apprenticeships.models import EpaAttemptKind, EpaGrade, EpaMethod
from carelead.core.forms import NHSDateField, NHSFormMixin


class EpaAttemptForm(NHSFormMixin, forms.Form):
    """Plan an attempt: which method, first or a resit or retake, when, and the assessor if known."""

    method = forms.ChoiceField(label="Assessment method", widget=forms.RadioSelect, choices=EpaMethod.choices)
    kind = forms.ChoiceField(label="Attempt", widget=forms.RadioSelect, choices=EpaAttemptKind.choices,
                             initial=EpaAttemptKind.FIRST)
    planned_on = NHSDateField(label="Planned date")
    assessor_name = forms.CharField(label="Independent assessor", max_length=200, required=False)


class EpaResultForm(NHSFormMixin, forms.Form):
    """Record the assessor's result for one attempt; the grades offered are the ones its method can give."""

    held_on = NHSDateField(label="Date held")
    grade = forms.ChoiceField(label="Grade", widget=forms.RadioSelect, choices=())
    fail_notified_on = NHSDateField(label="Date the fail was notified", required=False)
    assessor_name = forms.CharField(label="Independent assessor", max_length=200, required=False)

    def __init__(self, *args, method: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grade"].choices = [(grade, EpaGrade(grade).label) for grade in epa.method_grades(method).grades]
