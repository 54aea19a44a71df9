"""The "Mental capacity" tab of a person's record (Mental Capacity Act 2005, issue 4).

Capacity is decision-specific and time-specific: each assessment is about one decision, and the
pages never say a person "lacks capacity" without "for this decision". The form asks the
functional questions first (A Local Authority v JB [2021] UKSC 52), then the impairment and the
causal link; the outcome is derived by `assessments.mca`, never chosen. A best-interests decision
(s4) can be recorded only from an assessment that found the person lacks capacity for it.
"""

from django import forms
from django.core.paginator import Paginator
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from carelead.assessments import mca, selectors, services
from carelead.assessments.dols_views import dols_section
from carelead.assessments.models import BestInterestsDecision
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.decorators import requires
from carelead.core.forms import NHSDateField, NHSFormMixin, save_through
from carelead.core.models import Action
from carelead.core.permissions import Perm
from carelead.people.selectors import person_for
from carelead.people.views import record_context

TAB = "mca"
RECORDED_MESSAGE = "Capacity assessment recorded: {outcome}"
BEST_INTERESTS_MESSAGE = "Best-interests decision recorded"
YES_NO = [("yes", "Yes"), ("no", "No")]

ABILITY_QUESTIONS = [
    ("can_understand", "understand_evidence",
     "Can they understand the information relevant to this decision?"),
    ("can_retain", "retain_evidence", "Can they retain that information long enough to make the decision?"),
    ("can_use_or_weigh", "use_or_weigh_evidence",
     "Can they use or weigh that information as part of making the decision?"),
    ("can_communicate", "communicate_evidence",
     "Can they communicate their decision, by talking, sign language or any other means?"),
]


def _yes_no(label: str, required: bool = False) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, choices=YES_NO, widget=forms.RadioSelect, required=required,
                                  coerce=lambda value: value == "yes", empty_value=None)


def _text(label: str, required: bool = False) -> forms.CharField:
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": 3}))


REQUIRED_MESSAGES = {**services.ANSWER_MESSAGES, "decision": services.DECISION_MESSAGE,
                     "practicable_steps": services.STEPS_MESSAGE}


class CapacityAssessmentForm(NHSFormMixin, forms.Form):
    """The questions in the order the law asks them; the service names every missing answer."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"] = _text("The specific decision to be made", required=True)
        self.fields["practicable_steps"] = _text("Practicable steps taken to help them decide", required=True)
        for ability, evidence, question in ABILITY_QUESTIONS:
            self.fields[ability] = _yes_no(question, required=True)
            self.fields[evidence] = _text("Evidence")
        self.fields["impairment_present"] = _yes_no(
            "Is there an impairment of, or a disturbance in the functioning of, the mind or brain?")
        self.fields["impairment_evidence"] = _text("Evidence of the impairment or disturbance")
        self.fields["causal_link"] = _yes_no("Are they unable to make this decision because of it?")
        self.fields["causal_link_evidence"] = _text("Evidence of the causal link")
        self.fields["review_on"] = NHSDateField(label="Review date", required=False)
        for name, message in REQUIRED_MESSAGES.items():
            self.fields[name].error_messages["required"] = message

    def clean(self):
        """Every unanswered question and missing piece of evidence at once, in the service's words."""
        cleaned = super().clean()
        for name, field_messages in services.capacity_errors(cleaned).items():
            if name not in self.errors:
                self.add_error(name, field_messages)
        return cleaned

    def abilities(self):
        return [(self[ability], self[evidence]) for ability, evidence, _ in ABILITY_QUESTIONS]


class BestInterestsForm(NHSFormMixin, forms.ModelForm):
    """The best-interests checklist of MCA 2005 s4, one field each."""

    class Meta:
        model = BestInterestsDecision
        fields = ["participation", "persons_wishes_and_feelings", "beliefs_and_values", "consultees",
                  "options_considered", "least_restrictive_rationale", "decision"]
        labels = {
            "participation": "How they were helped to take part in the decision",
            "persons_wishes_and_feelings": "Their past and present wishes and feelings",
            "beliefs_and_values": "Their beliefs and values",
            "consultees": "Who was consulted, and their views",
            "options_considered": "Options considered",
            "least_restrictive_rationale": "Why this is the least restrictive option",
            "decision": "The decision made in their best interests",
        }
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields}


def _read(request: HttpRequest, person, obj=None, **details) -> None:
    """Audit a read of the mental capacity tab."""
    audit.record(Actor.from_request(request), Action.VIEW, obj or person, person=person,
                 details={"tab": TAB, **details})


@require_GET
@requires(Perm.PERSON_VIEW)
def mca_list(request: HttpRequest, public_id) -> HttpResponse:
    person = person_for(request.user, public_id)
    page = Paginator(selectors.capacity_assessments_of(person), 25).get_page(request.GET.get("page"))
    dols = dols_section(person, timezone.localdate())
    _read(request, person)
    context = record_context(request, person, "mca-list")
    return render(request, "assessments/mca_list.html", {
        **context, **dols, "assessments": page.object_list, "page": page,
        "may_assess": Perm.PERSON_CREATE in context["perms"],
    })


@require_http_methods(["GET", "POST"])
@requires(Perm.PERSON_CREATE)
def mca_new(request: HttpRequest, public_id) -> HttpResponse:
    person = person_for(request.user, public_id, perm=Perm.PERSON_CREATE)
    form = CapacityAssessmentForm(request.POST if request.method == "POST" else None)
    if request.method == "GET":
        _read(request, person, form="new")
    elif form.is_valid() and (assessment := save_through(
        form, services.record_capacity_assessment, actor=Actor.from_request(request), person=person,
        **form.cleaned_data,
    )):
        messages.success(request, RECORDED_MESSAGE.format(outcome=assessment.get_outcome_display()))
        return redirect("assessments:mca-detail", person.public_id, assessment.public_id)
    return render(request, "assessments/mca_form.html", {
        "form": form, "person": person, "cancel_url": reverse("assessments:mca-list", args=[person.public_id]),
    })


@require_GET
@requires(Perm.PERSON_VIEW)
def mca_detail(request: HttpRequest, public_id, assessment_id) -> HttpResponse:
    person, assessment = selectors.capacity_assessment_for(request.user, public_id, assessment_id)
    _read(request, person, assessment)
    abilities = [
        {"question": question, "able": getattr(assessment, ability), "evidence": getattr(assessment, evidence)}
        for ability, evidence, question in ABILITY_QUESTIONS
    ]
    decision = getattr(assessment, "best_interests_decision", None)
    context = record_context(request, person, "mca-list")
    return render(request, "assessments/mca_detail.html", {
        **context, "assessment": assessment, "abilities": abilities,
        "any_unable": mca.any_ability_missing(**{name: getattr(assessment, name) for name in mca.ABILITIES}),
        "best_interests": decision,
        "may_decide": (assessment.lacks_capacity and decision is None
                       and Perm.PERSON_CREATE in context["perms"]),
    })


@require_http_methods(["GET", "POST"])
@requires(Perm.PERSON_CREATE)
def mca_best_interests(request: HttpRequest, public_id, assessment_id) -> HttpResponse:
    person, assessment = selectors.capacity_assessment_for(request.user, public_id, assessment_id,
                                                           perm=Perm.PERSON_CREATE)
    detail_url = reverse("assessments:mca-detail", args=[person.public_id, assessment.public_id])
    if not assessment.lacks_capacity or getattr(assessment, "best_interests_decision", None) is not None:
        messages.error(request, services.NOT_LACKING_MESSAGE if not assessment.lacks_capacity
                       else services.ALREADY_DECIDED_MESSAGE)
        return redirect(detail_url)
    form = BestInterestsForm(request.POST if request.method == "POST" else None)
    if request.method == "GET":
        _read(request, person, assessment, form="best-interests")
    elif form.is_valid() and save_through(form, services.record_best_interests_decision,
                                          actor=Actor.from_request(request), assessment=assessment,
                                          **form.cleaned_data):
        messages.success(request, BEST_INTERESTS_MESSAGE)
        return redirect(detail_url)
    return render(request, "assessments/mca_best_interests.html", {
        "form": form, "person": person, "assessment": assessment, "cancel_url": detail_url,
    })
