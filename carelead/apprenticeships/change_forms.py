"""Input for breaks in learning, returns, withdrawals, contracted hours and the enrolment details:
parsing and field-level messages. The services check the rest."""

from decimal import Decimal

from django import forms

from carelead.apprenticeships.models import ChangeKind, EnglishMaths
from carelead.core.forms import NHSDateField, NHSFormMixin


class ChangeRequestForm(NHSFormMixin, forms.Form):
    kind = forms.ChoiceField(label="What is changing", choices=ChangeKind.choices, widget=forms.RadioSelect)
    effective_date = NHSDateField(label="The date it takes effect")
    expected_return = NHSDateField(label="Expected return (a break in learning only)", required=False)
    reason = forms.CharField(label="Reason", max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))


class DecisionForm(NHSFormMixin, forms.Form):
    service_fields = {"approve": "decision", "comment": "decision_comment"}

    decision = forms.ChoiceField(label="Do you approve this change?", widget=forms.RadioSelect,
                                 choices=[("approve", "Yes, approve it"), ("reject", "No, do not approve it")])
    decision_comment = forms.CharField(label="Comment", required=False, max_length=4000,
                                       widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].error_messages["required"] = "Select whether you approve this change"


class ProcessForm(NHSFormMixin, forms.Form):
    new_practical_period_end = NHSDateField(label="New planned end of the practical period", required=False)


class WeeklyHoursForm(NHSFormMixin, forms.Form):
    hours = forms.DecimalField(label="Contracted hours a week", min_value=Decimal("0.5"), max_value=Decimal(168),
                               max_digits=5, decimal_places=2)
    from_date = NHSDateField(label="The date the new hours start")


class EnrolmentDetailsForm(NHSFormMixin, forms.Form):
    """The enrolment details a coach may change later; `seen_version` guards against saving over
    someone else's change (core.services.save_versioned)."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput)
    practical_period_end = NHSDateField(label="Planned end of the practical period")
    epao_name = forms.CharField(label="End-point assessment organisation", max_length=200, required=False)
    english_maths = forms.ChoiceField(label="English and maths", choices=EnglishMaths.choices,
                                      widget=forms.RadioSelect)
    english_maths_decision = forms.CharField(label="The decision on English and maths", required=False,
                                             widget=forms.Textarea(attrs={"rows": 3}))
    rpl_hours = forms.DecimalField(label="Recognised prior learning (hours)", min_value=Decimal(0),
                                   decimal_places=2, max_digits=7, required=False)

    @staticmethod
    def initial_for(apprenticeship) -> dict:
        return {"seen_version": apprenticeship.version, "practical_period_end": apprenticeship.practical_period_end,
                "epao_name": apprenticeship.epao_name, "english_maths": apprenticeship.english_maths,
                "english_maths_decision": apprenticeship.english_maths_decision,
                "rpl_hours": apprenticeship.rpl_hours.normalize()}

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"seen_version": data["seen_version"], "practical_period_end": data["practical_period_end"],
                "epao_name": data.get("epao_name") or "", "english_maths": data["english_maths"],
                "english_maths_decision": data.get("english_maths_decision") or "",
                "rpl_hours": data.get("rpl_hours") or Decimal(0)}
