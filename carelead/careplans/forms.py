"""Input for the risk assessment pages: parsing and field-level messages. Services do the saving."""

from django import forms

from carelead.careplans.models import PERSON_VIEWS_MESSAGE, RiskActivity, RiskAssessment
from carelead.careplans.services import RISK_FIELDS
from carelead.core.forms import NHSDateField
from carelead.people.forms import RecordForm, VersionedForm


class RiskAssessmentForm(RecordForm):
    """Recording a risk: the hazard, the risk before and after the controls, and the review date."""

    review_on = NHSDateField(label="Review date")

    class Meta:
        model = RiskAssessment
        fields = RISK_FIELDS
        widgets = {
            "activity": forms.RadioSelect,
            "likelihood": forms.RadioSelect,
            "severity": forms.RadioSelect,
            "residual_likelihood": forms.RadioSelect,
            "residual_severity": forms.RadioSelect,
            "hazard": forms.Textarea(attrs={"rows": 3}),
            "who_is_at_risk": forms.Textarea(attrs={"rows": 2}),
            "controls": forms.Textarea(attrs={"rows": 4}),
            "person_views": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"person_views": "The person's views"}

    def clean(self):
        cleaned = super().clean()
        # Shown with the other missing answers, not only once they are fixed (the model checks it too).
        if cleaned.get("activity") == RiskActivity.POSITIVE_RISK_TAKING and not cleaned.get("person_views", "").strip():
            self.add_error("person_views", PERSON_VIEWS_MESSAGE)
        return cleaned

    def _post_clean(self):
        # The service validates the whole record (residual risk, review date, the person's views);
        # here only the fields are parsed, so a refusal is shown once, beside its field.
        pass


class RiskAssessmentEditForm(VersionedForm, RiskAssessmentForm):
    """Changing a risk assessment at the version the editor opened."""

    class Meta(RiskAssessmentForm.Meta):
        pass
