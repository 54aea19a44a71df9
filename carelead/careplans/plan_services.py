"""Writes of care and support plans (issue 4): build from an assessment, change, approve, review.

Lead practitioners and registered managers (Perm.PERSON_CREATE at the person's location) build,
change and approve plans; senior carers and up (Perm.PERSON_EDIT) record reviews (DESIGN.md).

The plan is the lock for everything in it: every write names the version it started from, and goes
through `_saved` which refuses a stale version (StaleEdit), bumps the version, keeps a
CarePlanVersion snapshot (compared by careplans.diff) and audits, all in one transaction.
"""

from collections.abc import Iterable, Sequence
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from carelead.assessments.models import NeedsArea, NeedsAssessment, NeedsAssessmentSection
from carelead.careplans import rules
from carelead.careplans.selectors import plan_sections
from carelead.careplans.models import (
    CarePlan, CarePlanReview, CarePlanSection, CarePlanVersion, PersonAgreement, PlanStatus, RiskAssessment,
    RiskStatus, SupportAction,
)
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.errors import StaleEdit
from carelead.core.models import Action
from carelead.core.permissions import Perm
from carelead.core.services import require, save_versioned

PLAN_FIELDS = ["summary", "person_involvement", "agreement", "agreement_notes", "review_interval_days",
               "resident_of_the_day", "review_on"]
SECTION_FIELDS = ["title", "area", "assessed_need", "strengths", "outcome", "review_on"]
ACTION_FIELDS = ["what", "who", "when", "how"]
REVIEW_FIELDS = ["reviewed_on", "person_involved", "person_views", "findings", "changes_made"]

STALE_MESSAGE = "Someone else changed this plan while you were editing it. Check their changes, then save again."
ALREADY_ACTIVE_MESSAGE = "This person already has a care plan. Change that plan instead of building another."
NOT_COMPLETED_MESSAGE = "Choose a completed assessment of this person"
NOT_ACTIVE_MESSAGE = "This care plan is archived and cannot be changed"
REVIEW_PAST_MESSAGE = "The review date must be today or in the future"
REVIEW_FUTURE_MESSAGE = "The date of the review must be today or in the past"
NEXT_REVIEW_MESSAGE = "The next review date must be after the date of the review"
RISKS_MESSAGE = "Choose from this person's current risk assessments"
SECTION_TWICE_MESSAGE = "The plan already has a section built from this part of the assessment"
NO_SECTIONS_MESSAGE = "Add at least one section before approving the plan"
NO_OUTCOME_MESSAGE = 'Record the outcome the person wants in section "{title}" before approving the plan'
NO_NEED_MESSAGE = 'Record the assessed need in section "{title}" before approving the plan'
# Care Act 2014 s25(3) and s27: the person is involved, and their agreement (or why not) recorded.
AGREEMENT_NOTES_MESSAGES = {
    PersonAgreement.AGREED_WITH_SUPPORT: "Say what support the person had to agree the plan",
    PersonAgreement.REPRESENTATIVE_AGREED: "Say who agreed the plan on the person's behalf, and why",
    PersonAgreement.NOT_AGREED: "Say why the person did not agree, and what was done about it",
    PersonAgreement.NOT_YET: "Say why the plan has not been discussed with the person yet",
}


# --- Snapshots and the one path every write takes ----------------------------------------------


def snapshot(plan: CarePlan, sections: Iterable[CarePlanSection] | None = None) -> dict:
    """What the whole plan says now, as careplans.diff compares it: plain text, ISO dates, public ids."""
    sections = plan_sections(plan) if sections is None else sections
    return {
        "plan": {
            "summary": plan.summary, "person_involvement": plan.person_involvement,
            "agreement": plan.get_agreement_display(), "agreement_notes": plan.agreement_notes,
            "review_interval_days": plan.review_interval_days, "resident_of_the_day": plan.resident_of_the_day,
            "review_on": _iso(plan.review_on), "last_reviewed_on": _iso(plan.last_reviewed_on),
        },
        "sections": [{
            "id": str(section.public_id), "title": section.title, "area": section.get_area_display(),
            "assessed_need": section.assessed_need, "strengths": section.strengths, "outcome": section.outcome,
            "review_on": _iso(section.review_on),
            "actions": [{"id": str(action.public_id), **{name: getattr(action, name) for name in ACTION_FIELDS}}
                        for action in section.actions.all()],
            "risks": [{"id": str(risk.public_id), "title": risk.title} for risk in section.risks.all()],
        } for section in sections],
    }


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def _check_open(plan: CarePlan, seen_version: int) -> None:
    """Refuse before any change: an archived plan, or a version someone has saved past."""
    if plan.status != PlanStatus.ACTIVE:
        raise ValidationError({"__all__": [NOT_ACTIVE_MESSAGE]})
    if seen_version != plan.version:
        raise StaleEdit(STALE_MESSAGE)


def _saved(plan: CarePlan, *, actor: Actor, seen_version: int, fields: Sequence[str], change: str,
           details: dict) -> CarePlanVersion:
    """The one way a plan's content is saved: lock on `seen_version` (StaleEdit if someone saved
    since), bump the version, keep the snapshot, audit."""
    try:
        save_versioned(plan, seen_version=seen_version, fields=list(fields))
    except StaleEdit:
        raise StaleEdit(STALE_MESSAGE) from None
    return _keep_version(plan, actor=actor, change=change, action=Action.UPDATE, details=details)


def _keep_version(plan: CarePlan, *, actor: Actor, change: str, action: str, details: dict) -> CarePlanVersion:
    kept = CarePlanVersion.objects.create(plan=plan, version=plan.version, saved_by=actor.user, change=change[:200],
                                          snapshot=snapshot(plan))
    audit.record(actor, action, plan, person=plan.person, details={"version": plan.version, **details})
    return kept


def _check_fields(given: Iterable[str], allowed: Sequence[str], what: str) -> None:
    unknown = set(given) - set(allowed)
    if unknown:
        raise ValueError(f"{', '.join(sorted(unknown))} cannot be set on {what}")


def next_review_after(plan: CarePlan, day=None):
    """The plan's next review after one held on `day` (today if not given), on the plan's own cycle."""
    return rules.next_review_on(day or timezone.localdate(), interval_days=plan.review_interval_days,
                                resident_of_the_day=plan.resident_of_the_day)


# --- Building and changing the plan ------------------------------------------------------------


@transaction.atomic
def build_plan(*, actor: Actor, person, assessment: NeedsAssessment, areas: Sequence[str] | None = None) -> CarePlan:
    """Build a person's plan from their completed assessment: a section for each area with needs
    (or each area chosen), the person's own view as the outcome for the editor to refine."""
    require(actor, Perm.PERSON_CREATE, location_id=person.location_id)
    if assessment.person_id != person.pk or not assessment.is_completed:
        raise ValidationError({"assessment": [NOT_COMPLETED_MESSAGE]})
    if CarePlan.objects.select_for_update().filter(person=person, status=PlanStatus.ACTIVE).exists():
        raise ValidationError({"assessment": [ALREADY_ACTIVE_MESSAGE]})
    interval = person.location.organisation.plan_review_interval_days or rules.DEFAULT_REVIEW_INTERVAL_DAYS
    review_on = rules.next_review_on(timezone.localdate(), interval_days=interval)
    plan = CarePlan(person=person, needs_assessment=assessment, created_by=actor.user, review_interval_days=interval,
                    review_on=review_on)
    plan.full_clean(validate_constraints=False)  # the one-active-plan constraint is met below, in words
    try:
        with transaction.atomic():  # another lead building at the same moment: refused, not a 500
            plan.save()
    except IntegrityError:
        raise ValidationError({"assessment": [ALREADY_ACTIVE_MESSAGE]}) from None
    chosen = _assessed_sections(assessment, areas)
    for position, source in enumerate(chosen):
        _section_from(plan, source, position=position, review_on=review_on).save()
    _keep_version(plan, actor=actor, change="Built the plan from the assessment", action=Action.CREATE,
                  details={"sections": [source.area for source in chosen]})
    return plan


def _assessed_sections(assessment: NeedsAssessment, areas: Sequence[str] | None) -> list[NeedsAssessmentSection]:
    """The assessment's sections to plan for, in the order of the areas of a needs assessment."""
    order = {area: index for index, area in enumerate(NeedsArea.values)}
    sections = list(assessment.sections.all())
    if areas is None:
        chosen = [section for section in sections if section.needs.strip()]
    else:
        unknown = set(areas) - {section.area for section in sections}
        if unknown:
            raise ValidationError({"areas": ["Choose areas the assessment covered"]})
        chosen = [section for section in sections if section.area in set(areas)]
    return sorted(chosen, key=lambda section: order.get(section.area, len(order)))


def _section_from(plan: CarePlan, source: NeedsAssessmentSection, *, position: int, review_on) -> CarePlanSection:
    """A plan section prefilled from an assessment section. The outcome starts as the person's own
    view, in their words; an empty one is left for the editor (approval asks for it)."""
    section = CarePlanSection(
        plan=plan, area=source.area, title=source.get_area_display(), assessed_need=source.needs,
        strengths=source.strengths, outcome=source.persons_view, source_section=source, review_on=review_on,
        position=position,
    )
    section.full_clean(exclude=["assessed_need", "outcome"])
    return section


@transaction.atomic
def update_plan(*, actor: Actor, plan: CarePlan, seen_version: int, **changes) -> CarePlan:
    """Change the plan's own details: what matters, the person's involvement and agreement, reviews."""
    require(actor, Perm.PERSON_CREATE, location_id=plan.person.location_id)
    _check_fields(changes, PLAN_FIELDS, "a care plan")
    _check_open(plan, seen_version)
    before = {name: getattr(plan, name) for name in PLAN_FIELDS}
    for name, value in changes.items():
        setattr(plan, name, value)
    plan.full_clean()
    errors = {}
    # Asked whenever the agreement is recorded or its notes changed (a new plan starts "not yet").
    notes_message = AGREEMENT_NOTES_MESSAGES.get(plan.agreement)
    agreement_changed = (plan.agreement, plan.agreement_notes) != (before["agreement"], before["agreement_notes"])
    if notes_message and agreement_changed and not plan.agreement_notes.strip():
        errors["agreement_notes"] = [notes_message]
    if plan.review_on != before["review_on"] and plan.review_on < timezone.localdate():
        errors["review_on"] = [REVIEW_PAST_MESSAGE]
    if errors:
        raise ValidationError(errors)
    changed = audit.changed_fields(before, {name: getattr(plan, name) for name in PLAN_FIELDS})
    if changed:
        _saved(plan, actor=actor, seen_version=seen_version, fields=changed, change="Changed the plan's details",
               details={"fields": changed})
    return plan


# --- Sections and their support actions --------------------------------------------------------


@transaction.atomic
def save_section(*, actor: Actor, plan: CarePlan, seen_version: int, section: CarePlanSection | None = None,
                 actions: Sequence[dict] = (), risk_ids: Sequence[UUID | str] = (), **fields) -> CarePlanSection:
    """Add a section, or change one, with its support actions and linked risks in one save.

    `actions` are the rows wanted, in order, each {what, who, when, how} with the "id" of an
    existing action to keep it; existing actions not listed are removed. Nothing is saved if any
    row or field is refused.
    """
    require(actor, Perm.PERSON_CREATE, location_id=plan.person.location_id)
    _check_fields(fields, SECTION_FIELDS, "a care plan section")
    _check_open(plan, seen_version)
    if section is not None and section.plan_id != plan.pk:
        raise ValueError("The section is not part of this plan")
    before = snapshot(plan)
    is_new = section is None
    if is_new:
        position = (plan.sections.aggregate(last=Max("position"))["last"] or 0) + 1
        section = CarePlanSection(plan=plan, position=position, review_on=next_review_after(plan))
    for name, value in fields.items():
        setattr(section, name, value)
    section.full_clean()
    risks = _current_risks(plan, risk_ids)
    rows = _action_rows(section, actions)
    section.save()
    section.risks.set(risks)
    _save_actions(section, rows)
    after = snapshot(plan)
    if after != before:
        verb = "Added" if is_new else "Changed"
        _saved(plan, actor=actor, seen_version=seen_version, fields=[], change=f'{verb} section "{section.title}"',
               details={"section": str(section.public_id), "fields": sorted(fields),
                        "actions": len(rows), "risks": [str(risk.public_id) for risk in risks]})
    return section


def _current_risks(plan: CarePlan, risk_ids: Sequence[UUID | str]) -> list[RiskAssessment]:
    """The person's own current risk assessments, or a refusal naming the field."""
    wanted = {str(key) for key in risk_ids}
    risks = list(RiskAssessment.objects.filter(person_id=plan.person_id, status=RiskStatus.CURRENT,
                                               public_id__in=wanted)) if wanted else []
    if len(risks) != len(wanted):
        raise ValidationError({"risks": [RISKS_MESSAGE]})
    return risks


def _action_rows(section: CarePlanSection, actions: Sequence[dict]) -> list[SupportAction]:
    """Validate every row before anything is saved; the messages name the row."""
    existing = {str(action.public_id): action for action in section.actions.all()} if section.pk else {}
    rows, errors = [], []
    for number, row in enumerate(actions, start=1):
        _check_fields(set(row) - {"id"}, ACTION_FIELDS, "a support action")
        key = str(row.get("id") or "")
        if key and key not in existing:
            raise ValueError("The support action is not part of this section")
        action = existing.get(key) or SupportAction(section=section)
        for name in ACTION_FIELDS:
            setattr(action, name, (row.get(name) or "").strip())
        action.position = number
        try:
            action.full_clean(exclude=["section"])
        except ValidationError as error:
            errors += [f"Support action {number}: {message}" for messages in error.message_dict.values()
                       for message in messages]
        rows.append(action)
    if errors:
        raise ValidationError({"actions": errors})
    return rows


def _save_actions(section: CarePlanSection, rows: list[SupportAction]) -> None:
    kept = [action.pk for action in rows if action.pk]
    section.actions.exclude(pk__in=kept).delete()
    for action in rows:
        action.section = section
        action.save()


@transaction.atomic
def add_section_from_assessment(*, actor: Actor, plan: CarePlan, seen_version: int,
                                source: NeedsAssessmentSection) -> CarePlanSection:
    """Add a section built from one area of the person's completed assessment."""
    require(actor, Perm.PERSON_CREATE, location_id=plan.person.location_id)
    _check_open(plan, seen_version)
    assessment = source.assessment
    if assessment.person_id != plan.person_id or not assessment.is_completed:
        raise ValidationError({"source": [NOT_COMPLETED_MESSAGE]})
    if plan.sections.filter(source_section=source).exists():
        raise ValidationError({"source": [SECTION_TWICE_MESSAGE]})
    position = (plan.sections.aggregate(last=Max("position"))["last"] or 0) + 1
    section = _section_from(plan, source, position=position, review_on=next_review_after(plan))
    section.save()
    _saved(plan, actor=actor, seen_version=seen_version, fields=[], change=f'Added section "{section.title}"',
           details={"section": str(section.public_id), "area": source.area})
    return section


@transaction.atomic
def remove_section(*, actor: Actor, plan: CarePlan, seen_version: int, section: CarePlanSection) -> CarePlan:
    """Remove a section and its support actions; earlier versions and reviews keep what it said."""
    require(actor, Perm.PERSON_CREATE, location_id=plan.person.location_id)
    _check_open(plan, seen_version)
    if section.plan_id != plan.pk:
        raise ValueError("The section is not part of this plan")
    section_id, title = str(section.public_id), section.title
    section.delete()
    _saved(plan, actor=actor, seen_version=seen_version, fields=[], change=f'Removed section "{title}"',
           details={"section": section_id})
    return plan


# --- Approval and review -----------------------------------------------------------------------


@transaction.atomic
def approve_plan(*, actor: Actor, plan: CarePlan, seen_version: int) -> CarePlan:
    """Approve exactly the version the approver saw; a later change needs approving again."""
    require(actor, Perm.PERSON_CREATE, location_id=plan.person.location_id)
    _check_open(plan, seen_version)
    if plan.is_approved:
        return plan
    sections = list(plan.sections.all())
    errors = [NO_SECTIONS_MESSAGE] if not sections else []
    for section in sections:
        if not section.assessed_need.strip():
            errors.append(NO_NEED_MESSAGE.format(title=section.title))
        if not section.outcome.strip():
            errors.append(NO_OUTCOME_MESSAGE.format(title=section.title))
    if errors:
        raise ValidationError({"__all__": errors})
    now = timezone.now()
    updated = CarePlan.objects.filter(pk=plan.pk, version=seen_version).update(
        approved_version=seen_version, approved_by=actor.user, approved_at=now, updated_at=now)
    if not updated:
        raise StaleEdit(STALE_MESSAGE)
    plan.approved_version, plan.approved_by, plan.approved_at = seen_version, actor.user, now
    audit.record(actor, Action.UPDATE, plan, person=plan.person,
                 details={"fields": ["approved_version"], "version": seen_version})
    return plan


@transaction.atomic
def record_review(*, actor: Actor, plan: CarePlan, seen_version: int, section: CarePlanSection | None = None,
                  next_review_on=None, **fields) -> CarePlanReview:
    """Record a review of the whole plan or of one section and set the next review date.

    The next review defaults to the plan's cycle after the review (rules.next_review_on). A review
    changes only review dates, so a plan approved at the version reviewed stays approved.
    """
    require(actor, Perm.PERSON_EDIT, location_id=plan.person.location_id)
    _check_fields(fields, REVIEW_FIELDS, "a care plan review")
    _check_open(plan, seen_version)
    if section is not None and section.plan_id != plan.pk:
        raise ValueError("The section is not part of this plan")
    reviewed_on = fields.get("reviewed_on") or timezone.localdate()
    if next_review_on is None:
        next_review_on = next_review_after(plan, reviewed_on)
    review = CarePlanReview(plan=plan, section=section, section_title=section.title if section else "",
                            reviewed_by=actor.user, next_review_on=next_review_on, plan_version=seen_version + 1,
                            **{**fields, "reviewed_on": reviewed_on})
    review.full_clean()
    errors = {}
    if reviewed_on > timezone.localdate():
        errors["reviewed_on"] = [REVIEW_FUTURE_MESSAGE]
    if next_review_on <= reviewed_on:
        errors["next_review_on"] = [NEXT_REVIEW_MESSAGE]
    if errors:
        raise ValidationError(errors)
    was_approved = plan.is_approved
    if section is None:
        plan.last_reviewed_on, plan.review_on = reviewed_on, next_review_on
        fields_saved = ["last_reviewed_on", "review_on"]
    else:
        section.review_on = next_review_on
        section.save(update_fields=["review_on", "updated_at"])
        fields_saved = []
    if was_approved:  # only review dates changed: the approval carries to the new version
        plan.approved_version = seen_version + 1
        fields_saved.append("approved_version")
    what = f'section "{section.title}"' if section else "the plan"
    _saved(plan, actor=actor, seen_version=seen_version, fields=fields_saved, change=f"Reviewed {what}",
           details={"section": str(section.public_id) if section else None, "fields": sorted(fields)})
    review.save()
    audit.record(actor, Action.CREATE, review, person=plan.person, details={"fields": sorted(fields)})
    return review
