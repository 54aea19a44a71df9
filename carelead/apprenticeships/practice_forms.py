"""Input for attaching practice records (practice_views): the filters over the apprentice's records,
and the claims (KSBs and Diploma units) an item of evidence is mapped to, which the witness request
form shares. Parsing and messages only; practice_evidence checks the rules and saves."""

from django import forms

from carelead.apprenticeships.models import KsbKind
from carelead.apprenticeships.practice_evidence import TITLE_MAX, source_choices
from carelead.core.forms import NHSDateField, NHSFormMixin

KSB_CHOICE_MESSAGE = "Select knowledge, skills and behaviours of your standard"
UNIT_CHOICE_MESSAGE = "Select units of your Diploma"
DATES_ORDER_MESSAGE = "The 'to' date must be the same as or after the 'from' date"
KSB_GROUPS = {KsbKind.KNOWLEDGE: "Knowledge", KsbKind.SKILL: "Skills", KsbKind.BEHAVIOUR: "Behaviours"}


def ksb_groups_of(ksbs, chosen) -> list[dict]:
    """KSB checkboxes grouped by kind (knowledge, skills, behaviours), as _ksb_unit_boxes.html draws
    them; `chosen` is the field's value (pks as sent or as initial)."""
    chosen = {str(value) for value in (chosen or [])}
    groups = []
    for kind, label in KSB_GROUPS.items():
        boxes = [{"ksb": ksb, "checked": str(ksb.pk) in chosen, "id": f"id_ksbs_{ksb.pk}"}
                 for ksb in ksbs if ksb.kind == kind]
        if boxes:
            groups.append({"label": label, "boxes": boxes})
    return groups


def unit_boxes_of(units, chosen) -> list[dict]:
    """Diploma unit checkboxes, as _ksb_unit_boxes.html draws them."""
    chosen = {str(value) for value in (chosen or [])}
    return [{"unit": unit, "checked": str(unit.pk) in chosen, "id": f"id_units_{unit.pk}"} for unit in units]


class PracticeFilterForm(NHSFormMixin, forms.Form):
    """Which of the apprentice's practice records to list: one kind, and dates (both optional)."""

    source = forms.ChoiceField(label="Kind of record", required=False, choices=())
    since = NHSDateField(label="From", required=False, help_text="For example, 1 9 2025")
    until = NHSDateField(label="To", required=False, help_text="For example, 30 11 2026")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [("", "All kinds")] + source_choices()

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", DATES_ORDER_MESSAGE)
        return data

    def filters(self) -> dict:
        """The valid filters as candidate_records takes them; none when the form is invalid."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {"source": data.get("source") or "", "since": data.get("since"), "until": data.get("until")}


class ClaimsMixin(forms.Form):
    """The KSBs and Diploma units the apprentice claims for an item (stage one of two)."""

    ksbs = forms.ModelMultipleChoiceField(label="Knowledge, skills and behaviours", queryset=None, required=False,
                                          widget=forms.CheckboxSelectMultiple)
    units = forms.ModelMultipleChoiceField(label="Diploma units", queryset=None, required=False,
                                           widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, ksbs, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ksbs"].queryset = ksbs
        self.fields["ksbs"].error_messages["invalid_choice"] = KSB_CHOICE_MESSAGE
        self.fields["units"].queryset = units
        self.fields["units"].error_messages["invalid_choice"] = UNIT_CHOICE_MESSAGE
        self.ksb_choices, self.unit_choices = list(ksbs), list(units)

    def ksb_groups(self) -> list[dict]:
        """The KSB checkboxes grouped by kind (knowledge, skills, behaviours)."""
        return ksb_groups_of(self.ksb_choices, self["ksbs"].value())

    def unit_boxes(self) -> list[dict]:
        return unit_boxes_of(self.unit_choices, self["units"].value())

    def claims(self) -> dict:
        return {"ksbs": list(self.cleaned_data["ksbs"]), "units": list(self.cleaned_data["units"])}


class AttachPracticeForm(NHSFormMixin, ClaimsMixin):
    """Attach one practice record: which (hidden), an optional title of the apprentice's own, claims."""

    source = forms.CharField(widget=forms.HiddenInput)
    record = forms.CharField(widget=forms.HiddenInput, max_length=64)
    title = forms.CharField(label="Title in your portfolio", max_length=TITLE_MAX, required=False,
                            help_text="Leave as it is, or describe it in your own words. Do not name the person.")
    service_fields = {"record_id": "record"}

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"key": data["source"], "record_id": data["record"], "title": data["title"], **self.claims()}
