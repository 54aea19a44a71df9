"""Input for the training plan pages: parsing and field-level messages. The services check the rest
(dates inside the practical period, KSBs of the standard version, the signing order)."""

from decimal import Decimal

from django import forms

from carelead.apprenticeships.models import ACTIVITY_CHOICES, KsbKind, ResponsibleParty
from carelead.core.forms import NHSDateField, NHSFormMixin

KSB_FIELDS = {KsbKind.KNOWLEDGE: "ksbs_knowledge", KsbKind.SKILL: "ksbs_skill", KsbKind.BEHAVIOUR: "ksbs_behaviour"}
KSB_LABELS = {KsbKind.KNOWLEDGE: "Knowledge", KsbKind.SKILL: "Skills", KsbKind.BEHAVIOUR: "Behaviours"}


class PlanVersionForm(NHSFormMixin, forms.Form):
    change_summary = forms.CharField(label="What changed", required=False, max_length=2000,
                                     widget=forms.Textarea(attrs={"rows": 4}))


class ActivityForm(NHSFormMixin, forms.Form):
    """One planned activity with the KSBs it covers, chosen from the standard version's current KSBs
    (one group of checkboxes per kind)."""

    service_fields = {"ksbs": KSB_FIELDS[KsbKind.KNOWLEDGE]}

    activity_type = forms.ChoiceField(label="Type of activity", choices=[("", "Choose a type"), *ACTIVITY_CHOICES])
    title = forms.CharField(label="Title", max_length=200)
    planned_hours = forms.DecimalField(label="Planned hours", min_value=Decimal("0.25"), max_digits=6,
                                       decimal_places=2)
    planned_from = NHSDateField(label="Start date")
    planned_to = NHSDateField(label="End date")
    responsible = forms.ChoiceField(label="Who delivers it", choices=ResponsibleParty.choices,
                                    widget=forms.RadioSelect)

    def __init__(self, *args, ksbs: dict[str, list], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["planned_hours"].error_messages.update(
            required="Enter the planned hours", min_value="Enter planned hours of at least 0.25 (15 minutes)")
        for kind, name in KSB_FIELDS.items():
            self.fields[name] = forms.MultipleChoiceField(
                label=KSB_LABELS[kind], required=False, widget=forms.CheckboxSelectMultiple,
                choices=[(str(ksb.pk), f"{ksb.code}: {ksb.text}") for ksb in ksbs.get(kind, [])])

    @staticmethod
    def initial_for(activity) -> dict:
        chosen = {kind: [] for kind in KSB_FIELDS}
        for ksb in activity.ksbs.all():
            chosen.setdefault(ksb.kind, []).append(str(ksb.pk))
        return {"activity_type": activity.activity_type, "title": activity.title,
                "planned_hours": activity.planned_hours.normalize(), "planned_from": activity.planned_from,
                "planned_to": activity.planned_to, "responsible": activity.responsible,
                **{name: chosen.get(kind, []) for kind, name in KSB_FIELDS.items()}}

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"activity_type": data["activity_type"], "title": data["title"],
                "planned_hours": data["planned_hours"], "planned_from": data["planned_from"],
                "planned_to": data["planned_to"], "responsible": data["responsible"],
                "ksb_ids": [int(pk) for name in KSB_FIELDS.values() for pk in data.get(name, [])]}


class SignForm(NHSFormMixin, forms.Form):
    confirm = forms.BooleanField(label="I have read this version of the training plan and agree to it")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm"].error_messages["required"] = "Confirm that you have read the plan and agree to it"
