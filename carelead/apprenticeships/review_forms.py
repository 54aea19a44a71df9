"""Input for the progress review pages: parsing and field-level messages. review_services checks the
rest again (dates, the signing order), because the API reaches it without these forms."""

from django import forms
from django.forms.utils import ErrorDict

from carelead.apprenticeships import review_schedule
from carelead.apprenticeships.models import ActionOwner
from carelead.core.forms import NHSDateField, NHSFormMixin

YES_NO = [("no", "No"), ("yes", "Yes")]


class ReviewForm(NHSFormMixin, forms.Form):
    """The review's own content; `seen_version` is the version the coach opened."""

    service_fields = {"done_action_ids": "done_actions"}

    seen_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    held_on = NHSDateField(label="Date the review was held")
    progress = forms.CharField(label="Progress since the last review", max_length=10000,
                               widget=forms.Textarea(attrs={"rows": 6}))
    employer_comments = forms.CharField(label="The employer's comments", required=False, max_length=10000,
                                        widget=forms.Textarea(attrs={"rows": 4}))
    wellbeing = forms.CharField(label="Wellbeing and support needs", required=False, max_length=10000,
                                widget=forms.Textarea(attrs={"rows": 4}))
    safeguarding_concern = forms.ChoiceField(label="Was a safeguarding or Prevent concern raised?", choices=YES_NO,
                                             widget=forms.RadioSelect)
    safeguarding_notes = forms.CharField(label="Safeguarding check", required=False, max_length=10000,
                                         widget=forms.Textarea(attrs={"rows": 3}))
    changes_of_circumstance = forms.CharField(label="Changes of circumstance", required=False, max_length=10000,
                                              widget=forms.Textarea(attrs={"rows": 3}))
    done_actions = forms.MultipleChoiceField(label="Actions from the last review that are done", required=False,
                                             widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, last_actions: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["progress"].error_messages["required"] = "Record progress since the last review"
        self.fields["safeguarding_concern"].error_messages["required"] = (
            "Select yes if a safeguarding or Prevent concern was raised")
        self.fields["done_actions"].choices = [
            (str(row["id"]), f'{row["description"]} ({row["owner_label"]}, by {row["due_on_display"]})')
            for row in last_actions]

    def clean(self):
        data = super().clean()
        if data.get("safeguarding_concern") == "yes" and not (data.get("safeguarding_notes") or "").strip():
            self.add_error("safeguarding_notes", "Say what the concern is and what was done about it")
        return data

    @staticmethod
    def initial_for(review) -> dict:
        return {"seen_version": review.version, "held_on": review.held_on, "progress": review.progress,
                "employer_comments": review.employer_comments, "wellbeing": review.wellbeing,
                "safeguarding_concern": "yes" if review.safeguarding_concern else "no",
                "safeguarding_notes": review.safeguarding_notes,
                "changes_of_circumstance": review.changes_of_circumstance,
                "done_actions": [str(row["id"]) for row in review.prefill.get("last_actions", []) if row.get("done")]}

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"seen_version": data["seen_version"], "held_on": data["held_on"], "progress": data["progress"],
                "employer_comments": data["employer_comments"], "wellbeing": data["wellbeing"],
                "safeguarding_concern": data["safeguarding_concern"] == "yes",
                "safeguarding_notes": data["safeguarding_notes"],
                "changes_of_circumstance": data["changes_of_circumstance"],
                "done_action_ids": [int(pk) for pk in data["done_actions"]]}


class ActionForm(NHSFormMixin, forms.Form):
    """One SMART action: what, how we will know, who, by when. A blank extra row is ignored."""

    description = forms.CharField(label="What will be done", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    measure = forms.CharField(label="How we will know it is done", max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.ChoiceField(label="Who will do it", choices=ActionOwner.choices, widget=forms.RadioSelect)
    due_on = NHSDateField(label="By when")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].error_messages["required"] = "Select who will do it"
        self.fields["due_on"].error_messages["required"] = "Enter by when"


class _ActionFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this action"

    def kept(self) -> list:
        return [form for index, form in enumerate(self.forms)
                if (index < self.initial_form_count() or form.has_changed())
                and not (form.cleaned_data if hasattr(form, "cleaned_data") else {}).get("DELETE")]

    def rows(self) -> list[dict]:
        """The actions to keep, in order, as review_services.save_review takes them."""
        return [{name: form.cleaned_data[name] for name in ("description", "measure", "owner", "due_on")}
                for form in self.kept()]

    def check_due_dates(self, held_on) -> bool:
        """Each action's "by when" after the review date, its message beside the field; True when all are."""
        kept = self.kept()
        late = review_schedule.action_due_errors(held_on=held_on,
                                                 due_dates=[form.cleaned_data.get("due_on") for form in kept])
        for index, message in late.items():
            kept[index].add_error("due_on", message)
        return not late


ActionFormSet = forms.formset_factory(ActionForm, formset=_ActionFormSet, extra=1, can_delete=True, max_num=30,
                                      absolute_max=40)


def action_initial(review) -> list[dict]:
    return [{"description": action.description, "measure": action.measure, "owner": action.owner,
             "due_on": action.due_on} for action in review.actions.all()]


def quiet(form, formset) -> None:
    """Show a bound form and formset as typed without judging them (after "Add another action")."""
    form._errors = ErrorDict()
    for row in formset.forms:
        row._errors = ErrorDict()
    formset._errors, formset._non_form_errors = [row._errors for row in formset.forms], formset.error_class()


class SignForm(NHSFormMixin, forms.Form):
    confirm = forms.BooleanField(label="I have read this progress review and agree it is a true record")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm"].error_messages["required"] = "Confirm that you have read the review and agree to it"
