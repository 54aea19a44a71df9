"""Input for the portfolio pages: parsing and field-level messages; evidence_services checks the rules
and saves. A reflective account is free text or Gibbs' reflective cycle (six prompts, one box each)."""

from django import forms

from carelead.apprenticeships.evidence_services import ACCEPT, GIBBS_STAGES, NEEDS_MORE_WORK
from carelead.apprenticeships.models import EvidenceKind, EvidenceStatus, ReflectionModel
from carelead.apprenticeships.practice_forms import ksb_groups_of, unit_boxes_of
from carelead.core.forms import NHSDateField, NHSFormMixin

VERSION_MESSAGE = "This page is out of date. Open the evidence again."
FREE_TEXT = "free"  # ReflectionModel.FREE is "", which a required radio cannot carry
DECISION_CHOICES = [(ACCEPT, "Accepted"), (NEEDS_MORE_WORK, "Needs more work")]
KIND_HINTS = {
    EvidenceKind.FILE: "A document or photo of your work: PDF, Word (.docx), JPG or PNG, up to 10 MB",
    EvidenceKind.REFLECTIVE_ACCOUNT: "Written here, as free text or following Gibbs' reflective cycle",
    EvidenceKind.OBSERVATION: "What you saw of the apprentice's practice",
    EvidenceKind.PROFESSIONAL_DISCUSSION: "Notes of a professional discussion with the apprentice",
}


def _version_field() -> forms.IntegerField:
    return forms.IntegerField(widget=forms.HiddenInput, min_value=1,
                              error_messages={"required": VERSION_MESSAGE, "invalid": VERSION_MESSAGE})


class KindForm(NHSFormMixin, forms.Form):
    """Which kind of evidence to add (the kinds this person writes here)."""

    kind = forms.ChoiceField(label="What kind of evidence?", widget=forms.RadioSelect, choices=())

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind.value, kind.label) for kind in kinds]
        self.fields["kind"].error_messages["invalid_choice"] = "Select a kind of evidence from the list"


class AnsweredIfChosen(forms.CharField):
    """A box of a reflective account: labelled without "(optional)", since which boxes need answers
    depends on the way of writing chosen (free text, or Gibbs' six stages); the service says which are missing."""

    def __init__(self, **kwargs):
        super().__init__(required=True, **kwargs)

    def validate(self, value) -> None:
        """Empty is allowed here: evidence_services decides, knowing the way of writing chosen."""


class MappingChoices:
    """KSB and unit checkboxes, the KSBs grouped by kind, each a fieldset of its own."""

    def add_mapping_fields(self, ksbs, units, *, label_suffix: str = "") -> None:
        self.fields["ksbs"] = forms.ModelMultipleChoiceField(
            label="Knowledge, skills and behaviours", queryset=ksbs, required=False,
            widget=forms.CheckboxSelectMultiple,
            error_messages={"invalid_choice": "Select knowledge, skills and behaviours of your standard"})
        self.fields["units"] = forms.ModelMultipleChoiceField(
            label="Diploma units", queryset=units, required=False, widget=forms.CheckboxSelectMultiple,
            error_messages={"invalid_choice": "Select units of your Diploma"})
        self.ksb_choices, self.unit_choices = list(ksbs), list(units)

    def ksb_groups(self) -> list[dict]:
        return ksb_groups_of(self.ksb_choices, self["ksbs"].value())

    def unit_boxes(self) -> list[dict]:
        return unit_boxes_of(self.unit_choices, self["units"].value())


class EvidenceForm(MappingChoices, NHSFormMixin, forms.Form):
    """One item's content for its kind and the KSBs and units it is mapped to. `content=False` (a
    practice record or witness testimony) asks only for the mappings."""

    service_fields = {"reflection": "gibbs_description"}  # a Gibbs error shows beside the first stage

    def __init__(self, *args, kind: str, ksbs, units, seen_version: int | None = None, content: bool = True,
                 has_file: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind, self.content = kind, content
        if content:
            self.fields["title"] = forms.CharField(label="Title", max_length=200,
                                                   help_text="A few words to find it by, such as 'Leading a handover'")
            self.fields["occurred_on"] = NHSDateField(label="Date", help_text="When it happened, for example 7 10 2025")
            if kind == EvidenceKind.FILE:
                self.fields["file"] = forms.FileField(
                    label="File", required=not has_file,
                    help_text="A PDF, Word document (.docx), JPG or PNG file, up to 10 MB"
                    + (". Choose a new file only to replace the one there." if has_file else ""))
            elif kind == EvidenceKind.REFLECTIVE_ACCOUNT:
                self.fields["reflection_model"] = forms.ChoiceField(
                    label="How do you want to write it?", widget=forms.RadioSelect, initial=FREE_TEXT,
                    choices=[(FREE_TEXT, "Free text"),
                             (ReflectionModel.GIBBS.value, "Gibbs' reflective cycle: six prompts to answer")],
                    error_messages={"required": "Select free text or Gibbs' reflective cycle"})
                self.fields["body"] = AnsweredIfChosen(label="Your reflection, in free text",
                                                       widget=forms.Textarea(attrs={"rows": 8}),
                                                       help_text="What happened, what you learned, what you will do")
                for key, heading, prompt in GIBBS_STAGES:
                    self.fields[f"gibbs_{key}"] = AnsweredIfChosen(label=heading, help_text=prompt,
                                                                   widget=forms.Textarea(attrs={"rows": 4}))
            else:
                self.fields["body"] = forms.CharField(label="Notes", widget=forms.Textarea(attrs={"rows": 10}))
        self.add_mapping_fields(ksbs, units)
        if seen_version is not None:
            self.fields["seen_version"] = _version_field()
            self.fields["seen_version"].initial = seen_version
        # The mixin words "required" for fields present before it ran; these were added after.
        required = {"title": "Enter a title", "body": "Enter the text of the evidence",
                    "file": "Choose a file to upload"}
        for name, message in required.items():
            if name in self.fields:
                self.fields[name].error_messages["required"] = message

    def gibbs_fields(self) -> list:
        return [self[f"gibbs_{key}"] for key, _, _ in GIBBS_STAGES if f"gibbs_{key}" in self.fields]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {"ksbs": list(data["ksbs"]), "units": list(data["units"])}
        if self.content:
            kwargs.update(title=data["title"], occurred_on=data["occurred_on"], body=data.get("body", ""))
            if self.kind == EvidenceKind.FILE:
                kwargs["file"] = data.get("file") or None
            if self.kind == EvidenceKind.REFLECTIVE_ACCOUNT:
                chosen = data.get("reflection_model")
                kwargs["reflection_model"] = ReflectionModel.GIBBS if chosen == ReflectionModel.GIBBS else \
                    ReflectionModel.FREE
                kwargs["reflection"] = {key: data.get(f"gibbs_{key}", "") for key, _, _ in GIBBS_STAGES}
        if "seen_version" in self.fields:
            kwargs["seen_version"] = data["seen_version"]
        return kwargs


def evidence_form_initial(evidence) -> dict:
    mappings = list(evidence.mappings.all())
    initial = {"title": evidence.title, "occurred_on": evidence.occurred_on, "body": evidence.body,
               "reflection_model": evidence.reflection_model or FREE_TEXT,
               "ksbs": [m.ksb_id for m in mappings if m.ksb_id], "units": [m.unit_id for m in mappings if m.unit_id]}
    initial.update({f"gibbs_{key}": evidence.reflection.get(key, "") for key, _, _ in GIBBS_STAGES})
    return initial


class VersionForm(forms.Form):
    """A write that needs nothing but the version seen (submit, remove a mapping)."""

    seen_version = _version_field()


class AssessForm(NHSFormMixin, forms.Form):
    """The coach's decision: accepted, or needs more work with feedback."""

    decision = forms.ChoiceField(label="Your decision", choices=DECISION_CHOICES, widget=forms.RadioSelect)
    feedback = forms.CharField(label="Feedback", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                               help_text="Needed for 'needs more work': say what the apprentice should add or change")
    seen_version = _version_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].error_messages["required"] = "Select accepted or needs more work"


class AddMappingForm(NHSFormMixin, forms.Form):
    """The coach adds one KSB or one unit to evidence waiting for them."""

    seen_version = _version_field()

    def __init__(self, *args, ksbs, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ksb"] = forms.ModelChoiceField(label="Add a KSB", queryset=ksbs, required=False,
                                                    empty_label="Choose a KSB")
        self.fields["ksb"].label_from_instance = lambda ksb: f"{ksb.code}: {ksb.text[:80]}"
        self.fields["unit"] = forms.ModelChoiceField(label="Or add a Diploma unit", queryset=units, required=False,
                                                     empty_label="Choose a unit")
        self.fields["unit"].label_from_instance = lambda unit: f"Unit {unit.position}: {unit.title[:80]}"
        for name in ("ksb", "unit"):
            self.fields[name].error_messages["invalid_choice"] = "Select one from the list"


class UnlockForm(NHSFormMixin, forms.Form):
    reason = forms.CharField(label="Why are you unlocking it?", widget=forms.Textarea(attrs={"rows": 4}),
                             help_text="The apprentice, the employer and quality assurance will see this reason")
    seen_version = _version_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = "Enter why you are unlocking this evidence"


class FilterForm(forms.Form):
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any status"), *EvidenceStatus.choices])
    kind = forms.ChoiceField(label="Kind", required=False, choices=[("", "Any kind"), *EvidenceKind.choices])

    def values(self) -> tuple[str, str]:
        if not self.is_valid():
            return "", ""
        return self.cleaned_data["status"], self.cleaned_data["kind"]
