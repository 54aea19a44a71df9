"""Input for the OTJ pages: parsing and field-level messages; otj_services checks the rules and saves.

Time is asked as hours and minutes (two boxes, "1" and "30"), as people say it, and handed to the
service as minutes; the service's messages about minutes show beside those boxes.
"""

from uuid import UUID

from django import forms

from carelead.apprenticeships.models import KsbKind, OtjStatus
from carelead.apprenticeships.otj_services import APPROVE, RETURN
from carelead.core.forms import NHSDateField, NHSFormMixin

VERSION_MESSAGE = "This page is out of date. Open the entry again."
HOURS_MESSAGE = "Enter hours as a whole number from 0 to 24"
MINUTES_MESSAGE = "Enter minutes as a whole number from 0 to 59"
KSB_CHOICE_MESSAGE = "Select knowledge, skills and behaviours of your standard"
TIME_MESSAGE = "Enter the time spent, from 1 minute to 24 hours"
KSB_GROUPS = {KsbKind.KNOWLEDGE: "Knowledge", KsbKind.SKILL: "Skills", KsbKind.BEHAVIOUR: "Behaviours"}
DECISION_CHOICES = [(APPROVE, "Approve"), (RETURN, "Return to the apprentice")]


class OtjEntryForm(NHSFormMixin, forms.Form):
    """One OTJ entry: when, how long, what kind of activity, what was learned, which KSBs, evidence."""

    entry_date = NHSDateField(label="Date", help_text="For example, 7 10 2025")
    hours = forms.IntegerField(label="Hours", min_value=0, max_value=24, required=False,
                               error_messages={"invalid": HOURS_MESSAGE, "min_value": HOURS_MESSAGE,
                                               "max_value": HOURS_MESSAGE})
    minutes = forms.IntegerField(label="Minutes", min_value=0, max_value=59, required=False,
                                 error_messages={"invalid": MINUTES_MESSAGE, "min_value": MINUTES_MESSAGE,
                                                 "max_value": MINUTES_MESSAGE})
    activity_type = forms.ChoiceField(label="Activity", widget=forms.RadioSelect, choices=())
    what_learned = forms.CharField(label="What you learned", widget=forms.Textarea(attrs={"rows": 5}),
                                   help_text="What you did, what you learned and how you will use it at work")
    ksbs = forms.ModelMultipleChoiceField(label="Knowledge, skills and behaviours", queryset=None, required=False,
                                          widget=forms.CheckboxSelectMultiple)
    evidence = forms.FileField(label="Evidence", required=False,
                               help_text="A PDF, Word document (.docx), JPG or PNG file, up to 10 MB")

    def __init__(self, *args, activity_types, ksbs, seen_version: int | None = None, has_evidence: bool = False,
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity_type"].choices = activity_types
        self.fields["activity_type"].error_messages["required"] = "Select the activity"
        self.fields["what_learned"].error_messages["required"] = "Enter what you learned"
        self.fields["ksbs"].queryset = ksbs
        self.fields["ksbs"].error_messages["invalid_choice"] = KSB_CHOICE_MESSAGE
        self.ksb_choices = list(ksbs)
        if seen_version is not None:
            self.fields["seen_version"] = forms.IntegerField(
                widget=forms.HiddenInput, min_value=1, initial=seen_version,
                error_messages={"required": VERSION_MESSAGE, "invalid": VERSION_MESSAGE})
        if has_evidence:
            self.fields["remove_evidence"] = forms.BooleanField(label="Remove the evidence file", required=False)

    def clean(self):
        data = super().clean()
        if "hours" in data and "minutes" in data:
            total = (data["hours"] or 0) * 60 + (data["minutes"] or 0)
            if total == 0:
                self.add_error("minutes", TIME_MESSAGE)
            data["total_minutes"] = total
        return data

    def ksb_groups(self) -> list[dict]:
        """The KSB checkboxes grouped by kind (knowledge, skills, behaviours), each a fieldset of its own."""
        chosen = {str(value) for value in (self["ksbs"].value() or [])}
        groups = []
        for kind, label in KSB_GROUPS.items():
            boxes = [{"ksb": ksb, "checked": str(ksb.pk) in chosen, "id": f"id_ksbs_{ksb.pk}"}
                     for ksb in self.ksb_choices if ksb.kind == kind]
            if boxes:
                groups.append({"label": label, "boxes": boxes})
        return groups

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {"entry_date": data["entry_date"], "minutes": data["total_minutes"],
                  "activity_type": data["activity_type"], "what_learned": data["what_learned"],
                  "ksbs": list(data["ksbs"]), "evidence": data.get("evidence") or None}
        if "remove_evidence" in self.fields:
            kwargs["remove_evidence"] = data.get("remove_evidence", False)
        if "seen_version" in self.fields:
            kwargs["seen_version"] = data["seen_version"]
        return kwargs


def entry_form_initial(entry) -> dict:
    hours, minutes = divmod(entry.minutes, 60)
    return {"entry_date": entry.entry_date, "hours": hours, "minutes": minutes, "activity_type": entry.activity_type,
            "what_learned": entry.what_learned, "ksbs": [ksb.pk for ksb in entry.ksbs.all()]}


class DecisionForm(NHSFormMixin, forms.Form):
    """The coach's decision on one entry: approve, or return with a reason."""

    decision = forms.ChoiceField(label="Your decision", choices=DECISION_CHOICES, widget=forms.RadioSelect)
    comment = forms.CharField(label="Comment", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text="Needed when you return the entry: say what the apprentice should change")
    seen_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1,
                                      error_messages={"required": VERSION_MESSAGE, "invalid": VERSION_MESSAGE})

    def __init__(self, *args, choices=DECISION_CHOICES, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = choices
        self.fields["decision"].error_messages["required"] = "Select approve or return"


class EntryIdsField(forms.MultipleChoiceField):
    """Entry ids ticked in the queue: any well-formed ids; the service decides which are the coach's to decide."""

    def valid_value(self, value) -> bool:
        try:
            UUID(str(value))
        except ValueError:
            return False
        return True

    def clean(self, value):
        return [UUID(item) for item in super().clean(value)]


class QueueForm(NHSFormMixin, forms.Form):
    """Several waiting entries decided at once (the coach's queue)."""

    entries = EntryIdsField(label="Entries", widget=forms.CheckboxSelectMultiple)
    decision = forms.ChoiceField(label="Your decision", choices=DECISION_CHOICES, widget=forms.RadioSelect)
    comment = forms.CharField(label="Comment", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text="Needed when you return entries: it goes to each apprentice")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entries"].error_messages.update(required="Select at least one entry",
                                                     invalid_choice="Select entries from the list")
        self.fields["decision"].error_messages["required"] = "Select approve or return"


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(label="Show", required=False,
                               choices=[("", "All entries"), *OtjStatus.choices])

    def status_value(self) -> str:
        return self.cleaned_data["status"] if self.is_valid() else ""
