"""Forms of the internal quality assurance pages (issue 6): a policy, drawing a plan, the plan's filters,
a decision on a sampled item and releasing its lock. Input parsing only; iqa_services saves."""

from django import forms

from carelead.apprenticeships.iqa_services import PERCENT_MESSAGE, VERDICT_MESSAGE, rate_field
from carelead.apprenticeships.models import EvidenceKind, SampleVerdict, SamplingStage
from carelead.core.forms import NHSDateField, NHSFormMixin

DECIDED_CHOICES = [("", "Decided or not"), ("no", "Waiting for a decision"), ("yes", "Decided")]


def _percent_field(label: str, *, required: bool) -> forms.DecimalField:
    field = forms.DecimalField(label=label, required=required, max_digits=5, decimal_places=2,
                               widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    field.error_messages.update({"invalid": PERCENT_MESSAGE, "max_digits": PERCENT_MESSAGE,
                                 "max_decimal_places": PERCENT_MESSAGE, "max_whole_digits": PERCENT_MESSAGE})
    return field


class PolicyForm(NHSFormMixin, forms.Form):
    """A policy's name, whether it is in use, its default percentage and a percentage per kind and stage
    (blank: the default). `providers` is given when the IQA works for more than one training provider."""

    provider = forms.ChoiceField(label="Training provider", required=False)
    name = forms.CharField(label="Name of the policy", max_length=120)
    active = forms.BooleanField(label="In use: plans can be drawn from it", required=False, initial=True)
    default_percent = _percent_field("Default percentage", required=True)

    def __init__(self, *args, providers=None, **kwargs):
        super().__init__(*args, **kwargs)
        providers = list(providers or [])
        if len(providers) > 1:
            self.fields["provider"].choices = [("", "Select a training provider")] + [
                (str(org.public_id), org.name) for org in providers]
            self.fields["provider"].required = True
            self.fields["provider"].error_messages.update({"required": "Select a training provider",
                                                           "invalid_choice": "Select a training provider"})
        else:
            del self.fields["provider"]
        self.fields["default_percent"].help_text = "Used for any kind and stage you leave blank below. From 0 to 100."
        self.rate_rows = []
        for kind, kind_label in EvidenceKind.choices:
            row = {"label": kind_label, "fields": []}
            for stage, stage_label in SamplingStage.choices:
                name = rate_field(kind, stage)
                self.fields[name] = _percent_field(f"{kind_label}, {stage_label.lower()} (%)", required=False)
                row["fields"].append(name)
            self.rate_rows.append(row)

    def rows(self):
        """The rate fields by kind, bound, for the template."""
        return [{"label": row["label"], "fields": [self[name] for name in row["fields"]]} for row in self.rate_rows]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"name": data["name"], "active": data["active"], "default_percent": data["default_percent"],
                "rates": {(kind, stage): data.get(rate_field(kind, stage))
                          for kind in EvidenceKind.values for stage in SamplingStage.values}}


def policy_initial(policy) -> dict:
    initial = {"name": policy.name, "active": policy.active, "default_percent": policy.default_percent}
    initial.update({rate_field(rate.kind, rate.stage): rate.percent for rate in policy.rates.all()})
    return initial


SEED_MESSAGE = "Enter a seed of 40 characters or fewer, or leave it blank"


def _seed_field(help_text: str) -> forms.CharField:
    field = forms.CharField(label="Seed (optional)", max_length=40, required=False, help_text=help_text)
    field.error_messages["max_length"] = SEED_MESSAGE
    return field


class PlanForm(NHSFormMixin, forms.Form):
    period_from = NHSDateField(label="Start of the period", help_text="For example, 1 9 2026")
    period_to = NHSDateField(label="End of the period", help_text="For example, 30 11 2026")
    seed = _seed_field("The same seed always draws the same sample. Leave blank for a new random one.")


class RedrawForm(NHSFormMixin, forms.Form):
    seed = _seed_field("Leave blank for a new random one. Signed samples are kept.")


class SampleFilterForm(forms.Form):
    coach = forms.ChoiceField(label="Coach", required=False)
    kind = forms.ChoiceField(label="Kind of evidence", required=False,
                             choices=[("", "All kinds")] + list(EvidenceKind.choices))
    stage = forms.ChoiceField(label="Stage", required=False,
                              choices=[("", "Both stages")] + list(SamplingStage.choices))
    decided = forms.ChoiceField(label="Decision", required=False, choices=DECIDED_CHOICES)

    def __init__(self, *args, coaches=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coach"].choices = [("", "All coaches")] + [(str(user.pk), user.full_name)
                                                                 for user in coaches]
        self.coaches = {str(user.pk): user.pk for user in coaches}

    def filters(self) -> dict:
        """The selector's keyword arguments; an unknown value filters nothing."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        decided = {"yes": True, "no": False}.get(data["decided"])
        return {"coach_id": self.coaches.get(data["coach"]), "kind": data["kind"], "stage": data["stage"],
                "decided": decided}


class DecisionForm(NHSFormMixin, forms.Form):
    verdict = forms.ChoiceField(label="Do you agree with the coach's assessment?", choices=SampleVerdict.choices,
                                widget=forms.RadioSelect)
    feedback = forms.CharField(label="Feedback to the coach", required=False, widget=forms.Textarea(attrs={"rows": 5}),
                               help_text="Required when you disagree: what the coach should do differently.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["verdict"].error_messages["required"] = VERDICT_MESSAGE


class ReleaseForm(NHSFormMixin, forms.Form):
    reason = forms.CharField(label="Why are you unlocking this evidence?", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = "Enter why you are unlocking this evidence"
