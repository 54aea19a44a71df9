"""Input for the DoLS pages: parsing and field-level messages. `dols_services` validates and saves."""

from django import forms
from django.utils import timezone

from carelead.assessments.dols_services import CREATE_FIELDS, UPDATE_FIELDS, day
from carelead.assessments.models import DolsApplication
from carelead.core.forms import NHSDateField
from carelead.people.forms import RecordForm


class _CapacityChoice(forms.ModelChoiceField):
    def label_from_instance(self, assessment) -> str:
        return f"Capacity for: {assessment.decision[:80]} ({day(timezone.localdate(assessment.assessed_at))})"


class _ServiceValidates(RecordForm):
    def _post_clean(self):
        # The service checks the whole record (dates, the year's limit, the setting), so each
        # refusal is shown once, beside its field.
        pass


class DolsApplicationForm(_ServiceValidates):
    """Requesting an authorisation: which kind, from which supervisory body, why, and when."""

    applied_on = NHSDateField(label="Date requested")
    urgent_from = NHSDateField(label="Urgent authorisation starts", required=False)
    cqc_notified_on = NHSDateField(label="CQC notified", required=False)

    class Meta:
        model = DolsApplication
        fields = list(CREATE_FIELDS)
        widgets = {"kind": forms.RadioSelect, "reason": forms.Textarea(attrs={"rows": 4})}
        labels = {"capacity_assessment": "The capacity assessment behind it"}
        field_classes = {"capacity_assessment": _CapacityChoice}

    def __init__(self, *args, capacity_assessments=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["capacity_assessment"]
        field.queryset = field.queryset.filter(pk__in=[each.pk for each in capacity_assessments])
        field.empty_label = "None recorded here"


class DolsDecisionForm(_ServiceValidates):
    """What became of a request: the decision and its dates, an extension, and the CQC notification."""

    decided_on = NHSDateField(label="Date decided, withdrawn or ended", required=False)
    authorised_from = NHSDateField(label="Authorised from", required=False)
    authorised_until = NHSDateField(label="Authorised until", required=False)
    cqc_notified_on = NHSDateField(label="CQC notified", required=False)

    class Meta:
        model = DolsApplication
        fields = list(UPDATE_FIELDS)
        widgets = {"status": forms.RadioSelect, "conditions": forms.Textarea(attrs={"rows": 4})}

    # The version the editor opened: a save over someone else's is refused (StaleEdit).
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        if self.instance.kind != DolsApplication.Kind.URGENT_AND_STANDARD:
            del self.fields["urgent_extended"]

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields if name in self.fields}
