"""The demo apprentices' portfolios (issue 6): for each, a few items of evidence of different kinds,
mapped to KSBs and Diploma units, at different points of the two-stage mapping: a reflective account
in Gibbs' cycle accepted by the coach, the coach's observation of practice, a witness testimony
confirmed by a colleague, a draft reflection, one returned as needing more work, and the practice
records the apprentice led in the demo's care records (from the evidence registry: redacted
summaries only, kept as a snapshot).

Idempotent: an apprenticeship's portfolio is built when it has no evidence. Every item gets its
events, as the services write them; no audit rows, like the rest of the demo.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from carelead.apprenticeships.evidence_events import record_event
from carelead.apprenticeships.models import (
    Apprenticeship, EvidenceEventKind, EvidenceKind, EvidenceMapping, EvidenceStatus, Ksb, MappingStage,
    PortfolioEvidence, Qualification, QualificationUnit, ReflectionModel,
)
from carelead.core import evidence as registry

DIPLOMA = "4222-34"  # City & Guilds Level 4 Diploma in Adult Care: its mandatory units are loaded (§3.1)
GIBBS = {
    "description": "I led the morning handover on a unit where two new care workers had started that week.",
    "feelings": "I was anxious that the handover would run over and that the new staff would not ask questions.",
    "evaluation": "Risks were shared clearly; the new staff did ask questions once I invited them by name.",
    "analysis": "Asking each person to say back one risk checked understanding without putting anyone on the spot.",
    "conclusion": "A short, structured handover with a check of understanding works better than reading notes aloud.",
    "action_plan": "Use the same structure for every handover I lead and ask the team for feedback in a month.",
}
OBSERVATION = ("Observed leading a team meeting about falls prevention. Set the purpose at the start, invited "
               "each care worker to share an example, agreed two actions with named owners and dates, and "
               "checked that everyone understood the changes to the falls risk assessment.")
TESTIMONY = ("I work alongside the apprentice as a senior carer. I saw them support a new colleague through their "
             "first shift: they explained how we involve people in decisions about their care, and checked in "
             "with the colleague at the end of the shift about how it went.")
NEEDS_MORE = "Good start. Add what you would do differently next time and which KSB the outcome shows."


def _at(day: date, hour: int = 16):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def seed_demo_portfolios(apprenticeships) -> bool:
    """Name the Diploma where missing and build each apprenticeship's portfolio when it has none."""
    diploma = Qualification.objects.filter(specification_number=DIPLOMA).first()
    built = False
    for apprenticeship in apprenticeships:
        if apprenticeship.qualification_id is None and diploma is not None:
            apprenticeship.qualification = diploma
            apprenticeship.save(update_fields=["qualification"])
            built = True
        if not PortfolioEvidence.objects.filter(apprenticeship=apprenticeship).exists():
            _portfolio(apprenticeship)
            built = True
    return built


def _portfolio(a: Apprenticeship) -> None:
    today = timezone.localdate()
    last = min(today, a.practical_period_end)
    span = max((last - a.start_date).days, 1)
    ksbs = list(Ksb.objects.filter(version=a.standard_version, retired=False).order_by("position"))
    units = list(QualificationUnit.objects.filter(qualification=a.qualification, retired=False, loaded=True).order_by("position")
                 ) if a.qualification_id else []
    coach, apprentice = a.coach, a.apprentice

    def on(share: float) -> date:
        return a.start_date + timedelta(days=int(span * share))

    reflection = _item(a, EvidenceKind.REFLECTIVE_ACCOUNT, "Leading a handover with new staff", on(0.3),
                       apprentice, reflection_model=ReflectionModel.GIBBS, reflection=GIBBS)
    _map(reflection, ksbs[0:2] + units[0:1], apprentice)
    _submit(reflection, apprentice)
    _accept(reflection, coach, "A clear reflection showing how you check the team's understanding.")

    observation = _item(a, EvidenceKind.OBSERVATION, "Observation: leading a team meeting on falls", on(0.5), coach,
                        body=OBSERVATION)
    _map(observation, ksbs[2:5] + units[1:2], coach, stage=MappingStage.ADDED_BY_COACH)
    _submit(observation, coach)
    _accept(observation, coach, "Observed in person.")

    testimony = _item(a, EvidenceKind.WITNESS_TESTIMONY, "Witness testimony: supporting a new colleague", on(0.6),
                      apprentice, body=TESTIMONY, witness_name="Sam Ellis", witness_role="Senior carer",
                      witness_email="sam.ellis@meadowbank.example.org")
    testimony.witness_confirmed_at = _at(on(0.62))
    testimony.save(update_fields=["witness_confirmed_at"])
    record_event(testimony, EvidenceEventKind.WITNESS_CONFIRMED, by=None)
    _map(testimony, ksbs[5:7], apprentice)
    _submit(testimony, apprentice)

    returned = _item(a, EvidenceKind.REFLECTIVE_ACCOUNT, "Reflection on a difficult conversation with a relative",
                     on(0.7), apprentice, body="A relative was unhappy about a change in visiting times. I listened, "
                                               "explained the reason and agreed to review it with the manager.")
    _map(returned, ksbs[7:8], apprentice)
    _submit(returned, apprentice)
    returned.status, returned.assessed_by, returned.assessed_at, returned.feedback = (
        EvidenceStatus.NEEDS_MORE_WORK, coach, _at(on(0.72)), NEEDS_MORE)
    returned.save()
    record_event(returned, EvidenceEventKind.NEEDS_MORE_WORK, by=coach, comment=NEEDS_MORE)

    draft = _item(a, EvidenceKind.REFLECTIVE_ACCOUNT, "Supervising a senior carer for the first time", on(0.9),
                  apprentice, body="Notes so far: how I prepared, what the senior carer raised, what I agreed.")
    _map(draft, ksbs[8:9], apprentice)

    for item in registry.items_led_by(apprentice)[:2]:  # what they led in the demo's care records
        practice = _item(a, EvidenceKind.PRACTICE_RECORD, item.title, item.occurred_on, apprentice,
                         source_key=item.source, source_record_id=item.record_id, source_snapshot={
                             "source": item.source, "source_label": _label(item.source), "title": item.title,
                             "summary": item.summary, "themes": list(item.themes),
                             "occurred_on": item.occurred_on.isoformat(), "record_id": item.record_id,
                             "taken_at": timezone.now().isoformat()})
        _map(practice, ksbs[9:11], apprentice)
        _submit(practice, apprentice)


def _label(key: str) -> str:
    return next((source.label for source in registry.sources() if source.key == key), key)


def _item(a, kind, title, occurred_on, by, **fields) -> PortfolioEvidence:
    item = PortfolioEvidence.objects.create(apprenticeship=a, kind=kind, title=title, occurred_on=occurred_on,
                                            created_by=by, **fields)
    record_event(item, EvidenceEventKind.CREATED, by=by)
    return item


def _map(item, targets, by, stage=MappingStage.CLAIMED) -> None:
    for target in targets:
        field = "ksb" if isinstance(target, Ksb) else "unit"
        EvidenceMapping.objects.create(evidence=item, stage=stage, added_by=by, **{field: target})


def _submit(item, by) -> None:
    item.status, item.submitted_at = EvidenceStatus.SUBMITTED, _at(item.occurred_on, 17)
    item.save(update_fields=["status", "submitted_at"])
    record_event(item, EvidenceEventKind.SUBMITTED, by=by)


def _accept(item, coach, feedback: str) -> None:
    decided = _at(item.occurred_on + timedelta(days=3))
    item.status, item.assessed_by, item.assessed_at, item.feedback, item.locked_at = (
        EvidenceStatus.ACCEPTED, coach, decided, feedback, decided)
    item.save()
    record_event(item, EvidenceEventKind.ACCEPTED, by=coach, comment=feedback)
