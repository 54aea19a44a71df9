"""Rules of the Mental Capacity Act 2005 for one decision at one time: pure, no Django.

Capacity is decision-specific and time-specific: these rules answer "does the person have capacity
to make *this* decision *now*", never whether they have capacity in general.

Order of the questions (A Local Authority v JB [2021] UKSC 52): first the functional test (s3(1):
is the person unable to understand, retain, use or weigh the relevant information, or communicate
their decision), then whether there is an impairment of, or disturbance in the functioning of, the
mind or brain (s2(1)), then whether the inability is *because of* it (the causal link).

A person is assumed to have capacity unless it is established that they lack it (s1(2)), so
anything short of all three (an inability, an impairment, and the link) is "has capacity". An
unwise decision is not in itself a lack of capacity (s1(4)).
"""

HAS_CAPACITY = "has_capacity"
LACKS_CAPACITY = "lacks_capacity"

ABILITIES = ("can_understand", "can_retain", "can_use_or_weigh", "can_communicate")
EVIDENCE_OF = {
    "can_understand": "understand_evidence",
    "can_retain": "retain_evidence",
    "can_use_or_weigh": "use_or_weigh_evidence",
    "can_communicate": "communicate_evidence",
}


def any_ability_missing(*, can_understand, can_retain, can_use_or_weigh, can_communicate) -> bool:
    """True when the person is unable to do at least one of the four things of s3(1)."""
    return any(answer is False for answer in (can_understand, can_retain, can_use_or_weigh, can_communicate))


def capacity_outcome(*, can_understand, can_retain, can_use_or_weigh, can_communicate,
                     impairment_present, causal_link) -> str:
    """"lacks_capacity" only if an ability is missing (s3), there is an impairment or disturbance
    of the mind or brain (s2), and the inability is because of it; otherwise "has_capacity"
    (s1(2): capacity is assumed). An unanswered impairment or link question never establishes a
    lack of capacity."""
    missing = any_ability_missing(can_understand=can_understand, can_retain=can_retain,
                                  can_use_or_weigh=can_use_or_weigh, can_communicate=can_communicate)
    if missing and impairment_present is True and causal_link is True:
        return LACKS_CAPACITY
    return HAS_CAPACITY


def missing_answers(*, can_understand, can_retain, can_use_or_weigh, can_communicate,
                    impairment_present, causal_link) -> list[str]:
    """The questions still to be answered, in the order they are asked: every ability; then, only
    when an ability is missing, the impairment; then, only when there is an impairment, the link."""
    abilities = {"can_understand": can_understand, "can_retain": can_retain,
                 "can_use_or_weigh": can_use_or_weigh, "can_communicate": can_communicate}
    missing = [name for name, answer in abilities.items() if answer is None]
    if not any(answer is False for answer in abilities.values()):
        return missing
    if impairment_present is None:
        missing.append("impairment_present")
    elif impairment_present is True and causal_link is None:
        missing.append("causal_link")
    return missing
