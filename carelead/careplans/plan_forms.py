"""Input for the care plan pages: parsing and field-level messages. plan_services does the saving.

Every form that changes a plan carries the hidden `seen_version` it was opened at, so a save made
over someone else's is refused (plan_services.StaleEdit) and shown, never silent.
"""

from django import forms

from carelead.careplans import plan_services
from carelead.careplans.models import CarePlan, CarePlanReview, CarePlanSection
from carelead.core.forms import NHSDateField, NHSFormMixin
from carelead.people.forms import RecordForm

VERSION_MESSAGE = "This page is out of date. Open the plan again."
WHOLE_PLAN = ""


class SeenVersionMixin:
    """Adds the hidden `seen_version`: pass `version=` when opening the form at a plan's version."""

    def __init__(self, *args, version: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seen_version"] = forms.IntegerField(
            widget=forms.HiddenInput, min_value=1, initial=version,
            error_messages={"required": VERSION_MESSAGE, "invalid": VERSION_MESSAGE, "min_value": VERSION_MESSAGE},
        )


class _ModelFormNoModelCheck(RecordForm):
    def _post_clean(self):
        # The service validates the whole record; here only the fields are parsed, so a refusal is
        # shown once, beside its field.
        pass


class BuildPlanForm(NHSFormMixin, forms.Form):
    """Which completed assessment of the person the plan is built from."""

    assessment = forms.ModelChoiceField(
        label="Which assessment should the plan be built from?", queryset=None, to_field_name="public_id",
        widget=forms.RadioSelect, empty_label=None,
    )

    def __init__(self, *args, assessments, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["assessment"]
        field.queryset = assessments
        field.label_from_instance = lambda a: f"Completed {a.completed_on:%-d %b %Y}, led by {a.led_by.full_name}"
        field.error_messages["invalid_choice"] = plan_services.NOT_COMPLETED_MESSAGE


class PlanDetailsForm(SeenVersionMixin, _ModelFormNoModelCheck):
    """What matters to the person, how they took part and agreed, and the review cycle."""

    review_on = NHSDateField(label="Plan review date")

    class Meta:
        model = CarePlan
        fields = plan_services.PLAN_FIELDS
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "person_involvement": forms.Textarea(attrs={"rows": 3}),
            "agreement": forms.RadioSelect,
            "agreement_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in plan_services.PLAN_FIELDS}


class SectionForm(SeenVersionMixin, NHSFormMixin, forms.ModelForm):
    """One section: the need, strengths, the outcome in the person's words, review date, linked risks."""

    review_on = NHSDateField(label="Section review date", required=False)
    risks = forms.ModelMultipleChoiceField(
        label="Risks that apply", queryset=None, required=False, to_field_name="public_id",
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = CarePlanSection
        fields = ["title", "area", "assessed_need", "strengths", "outcome", "review_on"]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in ("assessed_need", "strengths", "outcome")}
        labels = {"outcome": "The outcome the person wants, in their words"}

    def __init__(self, *args, risks, **kwargs):
        # Not a RecordForm: its radio tidying would read the risks' choices before they are set.
        super().__init__(*args, **kwargs)
        field = self.fields["risks"]
        field.queryset = risks
        field.label_from_instance = lambda risk: f"{risk.title} ({risk.residual_rating_label} risk with controls)"
        self.fields["area"].choices = [("", "Choose an area")] + [c for c in self.fields["area"].choices if c[0]]
        if self.instance.pk and not self.is_bound:
            field.initial = [risk.public_id for risk in self.instance.risks.all()]

    def _post_clean(self):
        pass  # plan_services.save_section validates the section and its actions together

    def changes(self) -> dict:
        fields = {name: self.cleaned_data[name] for name in self._meta.fields}
        if not fields["review_on"]:
            del fields["review_on"]  # a new section follows the plan's cycle
        return fields


class SupportActionForm(NHSFormMixin, forms.Form):
    """One row of support: what, who, when, how. A blank extra row is ignored."""

    id = forms.UUIDField(widget=forms.HiddenInput, required=False)
    what = forms.CharField(label="What support is given", widget=forms.Textarea(attrs={"rows": 2}))
    who = forms.CharField(label="Who gives it", max_length=200)
    when = forms.CharField(label="When", max_length=200)
    how = forms.CharField(label="How, in the way the person prefers", required=False,
                          widget=forms.Textarea(attrs={"rows": 2}))


class _ActionFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this support action"

    def rows(self) -> list[dict]:
        """The rows to keep, in order, as plan_services.save_section takes them."""
        kept = [form for index, form in enumerate(self.forms)
                if (index < self.initial_form_count() or form.has_changed())  # existing rows stay unless ticked
                and not form.cleaned_data.get("DELETE")]
        return [{name: form.cleaned_data[name] for name in ("id", "what", "who", "when", "how")} for form in kept]


SupportActionFormSet = forms.formset_factory(SupportActionForm, formset=_ActionFormSet, extra=1, can_delete=True,
                                             max_num=50, absolute_max=60)


def action_initial(section) -> list[dict]:
    return [{"id": action.public_id, "what": action.what, "who": action.who, "when": action.when, "how": action.how}
            for action in section.actions.all()] if section is not None else []


class AddFromAssessmentForm(SeenVersionMixin, NHSFormMixin, forms.Form):
    source = forms.TypedChoiceField(label="Which part of an assessment?", widget=forms.RadioSelect, coerce=int)

    def __init__(self, *args, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.sources = {source.pk: source for source in sources}
        self.fields["source"].choices = [
            (source.pk, f"{source.get_area_display()} (assessment completed {source.assessment.completed_on:%-d %b %Y})")
            for source in sources
        ]


class ConfirmForm(SeenVersionMixin, NHSFormMixin, forms.Form):
    """Approve or remove: only the version the person confirming saw."""


class ReviewForm(SeenVersionMixin, _ModelFormNoModelCheck):
    """A review of the whole plan or one section."""

    reviewed_on = NHSDateField(label="Date of review")
    next_review_on = NHSDateField(label="Next review date", required=False)
    section = forms.ChoiceField(label="What was reviewed?", required=False)

    class Meta:
        model = CarePlanReview
        fields = ["reviewed_on", "person_involved", "person_views", "findings", "changes_made"]
        widgets = {name: forms.Textarea(attrs={"rows": 3})
                   for name in ("person_views", "findings", "changes_made")}

    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = {str(section.public_id): section for section in sections}
        self.fields["section"].choices = [(WHOLE_PLAN, "The whole plan")] + [
            (key, f'Section "{section.title}"') for key, section in self.sections.items()]

    def changes(self) -> dict:
        data = self.cleaned_data
        return {"section": self.sections.get(data["section"]), "next_review_on": data["next_review_on"],
                **{name: data[name] for name in self._meta.fields}}
