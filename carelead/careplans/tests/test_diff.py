"""careplans.diff: the readable difference between two plan snapshots (pure, no database)."""

from carelead.careplans.diff import (
    ADDED, CHANGED, DELETED, INSERTED, LINKED, REMOVED, SAME, UNLINKED, compare, show, words,
)


def _plan(**plan):
    return {"summary": "Keeping her garden", "agreement": "Not yet discussed with the person",
            "review_on": "2026-12-21", **plan}


def _section(id="s1", **fields):
    return {"id": id, "title": "Skin", "area": "Skin", "assessed_need": "At risk of pressure damage",
            "strengths": "", "outcome": "I don't want to get sore", "review_on": "2026-12-21",
            "actions": [], "risks": [], **fields}


def _action(id="a1", **fields):
    return {"id": id, "what": "Help to change position", "who": "Care workers", "when": "Every 4 hours", "how": "",
            **fields}


def snap(plan=None, sections=()):
    return {"plan": plan or _plan(), "sections": list(sections)}


def test_the_same_snapshot_has_no_changes():
    assert compare(snap(sections=[_section(actions=[_action()])]), snap(sections=[_section(actions=[_action()])])) == []


def test_a_plan_field_changed_is_named_by_its_label_with_words_deleted_and_inserted():
    [change] = compare(snap(), snap(_plan(summary="Keeping her allotment")))
    assert (change.kind, change.where, change.what) == (CHANGED, "The plan", "What matters most to the person")
    assert (change.before, change.after) == ("Keeping her garden", "Keeping her allotment")
    assert change.words == ((SAME, "Keeping her "), (DELETED, "garden"), (INSERTED, "allotment"))
    assert change.sentence == "The plan: What matters most to the person changed"


def test_dates_read_as_day_month_year_and_none_as_not_set():
    [change] = compare(snap(), snap(_plan(review_on="2027-01-04")))
    assert (change.before, change.after) == ("21 Dec 2026", "4 Jan 2027")
    assert show(None) == show("") == "Not set"
    assert show(28) == "28"


def test_sections_added_and_removed_are_matched_by_id_not_title():
    old = snap(sections=[_section("s1", title="Skin"), _section("s2", title="Falls")])
    new = snap(sections=[_section("s1", title="Skin care"), _section("s3", title="Falls")])
    changes = compare(old, new)
    assert [(c.kind, c.what, c.before, c.after) for c in changes] == [
        (CHANGED, "Title", "Skin", "Skin care"),
        (ADDED, "Section", "", "Falls"),
        (REMOVED, "Section", "Falls", ""),
    ]
    assert changes[0].where == 'Section "Skin care"'


def test_section_fields_are_compared_one_by_one():
    new = _section(outcome="I don't want to get sore again", strengths="Moves when reminded")
    changes = compare(snap(sections=[_section()]), snap(sections=[new]))
    assert [c.what for c in changes] == ["Strengths", "The outcome the person wants"]
    assert changes[1].words == ((SAME, "I don't want to get sore "), (INSERTED, "again"))
    assert changes[0].before == "Not set"
    assert changes[0].words == ((INSERTED, "Moves when reminded"),)  # nothing was there to delete


def test_support_actions_added_removed_and_changed():
    old = snap(sections=[_section(actions=[_action("a1"), _action("a2", what="Cream to heels")])])
    new = snap(sections=[_section(actions=[_action("a1", when="Every 2 hours"), _action("a3", what="Check heels")])])
    changes = compare(old, new)
    assert [(c.kind, c.where, c.what) for c in changes] == [
        (REMOVED, 'Section "Skin"', "Support action"),
        (CHANGED, 'Section "Skin", support action 1', "When"),
        (ADDED, 'Section "Skin"', "Support action"),
    ]
    assert changes[0].before == "Cream to heels – Care workers – Every 4 hours"
    assert changes[1].words == ((SAME, "Every "), (DELETED, "4 "), (INSERTED, "2 "), (SAME, "hours"))
    assert changes[2].sentence == 'Section "Skin": Support action added: Check heels – Care workers – Every 4 hours'


def test_risks_linked_and_unlinked_by_title():
    old = snap(sections=[_section(risks=[{"id": "r1", "title": "Falls at night"}])])
    new = snap(sections=[_section(risks=[{"id": "r2", "title": "Choking"}])])
    assert [(c.kind, c.before or c.after) for c in compare(old, new)] == [
        (UNLINKED, "Falls at night"), (LINKED, "Choking"),
    ]


def test_a_risk_renamed_but_still_linked_is_no_change():
    old = snap(sections=[_section(risks=[{"id": "r1", "title": "Falls"}])])
    new = snap(sections=[_section(risks=[{"id": "r1", "title": "Falls at night"}])])
    assert compare(old, new) == []


def test_words_keep_the_spaces_so_the_runs_join_back_into_the_new_text():
    runs = words("take two  tablets at night", "take one tablet at  night")
    assert "".join(text for op, text in runs if op != DELETED) == "take one tablet at  night"
    assert [text.strip() for op, text in runs if op == DELETED] == ["two  tablets"]
    assert words("a b", "a b") == ((SAME, "a b"),)


def test_a_snapshot_without_sections_compares():
    assert [c.kind for c in compare({"plan": {}}, snap(sections=[_section()]))][-1] == ADDED
