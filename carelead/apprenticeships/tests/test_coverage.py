"""The coverage rules (coverage.py), pure: no database. Two-stage mapping as in
reference/eportfolio-anchors.md ("working towards", then the assessor's decision)."""

from datetime import date

import pytest

from carelead.apprenticeships import coverage
from carelead.apprenticeships.coverage import (
    ACCEPTED, CLAIMED, MISSING, ItemLink, StatusCount, Target, percent, rows_for,
)
from carelead.apprenticeships.coverage_chart import coverage_chart


def ksb(n, kind="knowledge"):
    return Target(key=f"ksb:{n}", code=f"K{n}", text=f"Statement {n}", kind=kind)


def unit(n, mandatory=True):
    return Target(key=f"unit:{n}", code=f"Unit {n}", text=f"Unit title {n}", kind="unit", mandatory=mandatory,
                  credits=5)


def test_a_ksb_with_no_evidence_is_missing_a_gap():
    [row] = rows_for([ksb(1)], [])
    assert (row.status, row.claimed, row.accepted, row.gap) == (MISSING, 0, 0, True)
    assert row.status_label == "No evidence yet"


def test_only_claimed_evidence_makes_it_claimed_not_a_gap():
    [row] = rows_for([ksb(1)], [StatusCount("ksb:1", "submitted", 2)])
    assert (row.status, row.claimed, row.accepted, row.gap) == (CLAIMED, 2, 0, False)


def test_claimed_on_one_item_and_accepted_on_another_is_accepted():
    [row] = rows_for([ksb(1)], [StatusCount("ksb:1", "submitted", 1), StatusCount("ksb:1", "accepted", 1)])
    assert (row.status, row.claimed, row.accepted) == (ACCEPTED, 1, 1)


def test_evidence_needing_more_work_counts_as_claimed_not_accepted():
    [row] = rows_for([ksb(1)], [StatusCount("ksb:1", "needs_more_work", 1)])
    assert (row.status, row.claimed, row.accepted) == (CLAIMED, 1, 0)


def test_a_draft_counts_for_nothing():
    [row] = rows_for([ksb(1)], [StatusCount("ksb:1", "draft", 3)])
    assert (row.status, row.claimed) == (MISSING, 0)


def test_counts_for_a_retired_ksb_or_a_unit_not_listed_are_ignored():
    # The selector lists only current targets; a mapping to a retired KSB must not appear or count.
    result = coverage.coverage(ksbs=[ksb(1)], units=[unit(1)],
                               counts=[StatusCount("ksb:99", "accepted", 4), StatusCount("unit:99", "accepted", 1)])
    assert [row.target.key for row in result.ksbs] == ["ksb:1"]
    assert result.overall.accepted == 0 and result.units_summary.accepted == 0


def test_a_ksb_and_a_unit_with_the_same_id_are_counted_apart():
    result = coverage.coverage(ksbs=[ksb(1)], units=[unit(1)], counts=[StatusCount("unit:1", "accepted", 1)])
    assert result.ksbs[0].status == MISSING and result.units[0].status == ACCEPTED


@pytest.mark.parametrize(("part", "whole", "expected"), [
    (0, 0, None), (0, 5, 0), (5, 5, 100), (199, 200, 99), (1, 3, 33), (2, 3, 66)])
def test_percent_is_whole_and_rounded_down_so_100_means_every_one(part, whole, expected):
    assert percent(part, whole) == expected


def test_summary_by_kind_and_overall():
    ksbs = [ksb(1), ksb(2), ksb(3, "skill"), ksb(4, "behaviour")]
    counts = [StatusCount("ksb:1", "accepted", 1), StatusCount("ksb:3", "submitted", 1)]
    result = coverage.coverage(ksbs=ksbs, units=[], counts=counts)
    knowledge, skills, behaviours = result.by_kind
    assert (knowledge.label, knowledge.total, knowledge.accepted, knowledge.missing,
            knowledge.percent_accepted) == ("Knowledge", 2, 1, 1, 50)
    assert (skills.claimed, skills.percent_accepted) == (1, 0)
    assert (behaviours.missing, behaviours.percent_accepted) == (1, 0)
    assert (result.overall.total, result.overall.accepted, result.overall.claimed, result.overall.missing,
            result.overall.percent_accepted) == (4, 1, 1, 2, 25)
    assert result.units_summary.percent_accepted is None  # no Diploma: nothing, not 0%


def test_gaps_only_lists_the_gaps_but_the_summary_still_counts_every_row():
    counts = [StatusCount("ksb:1", "accepted", 1), StatusCount("unit:2", "submitted", 1)]
    result = coverage.coverage(ksbs=[ksb(1), ksb(2)], units=[unit(1), unit(2)], counts=counts, gaps_only=True)
    assert [row.target.key for row in result.ksbs] == ["ksb:2"]
    assert [row.target.key for row in result.units] == ["unit:1"]
    assert result.hidden == 2 and result.overall.total == 2 and result.overall.accepted == 1


def test_rows_are_grouped_by_kind_in_the_standards_order_and_empty_kinds_left_out():
    result = coverage.coverage(ksbs=[ksb(1, "behaviour"), ksb(2), ksb(3)], units=[], counts=[])
    assert [(label, [row.target.code for row in rows]) for label, rows in result.groups] == [
        ("Knowledge", ["K2", "K3"]), ("Behaviours", ["K1"])]


def test_items_shown_and_how_many_more():
    link = ItemLink(public_id="abc", title="Led a handover", status="accepted", occurred_on=date(2026, 3, 2))
    [row] = rows_for([ksb(1)], [StatusCount("ksb:1", "accepted", 4)], {"ksb:1": [link]})
    assert row.items == (link,) and row.more == 3


def test_the_chart_is_an_accessible_image_with_counts_in_words():
    result = coverage.coverage(ksbs=[ksb(1), ksb(2, "skill")], units=[], counts=[StatusCount("ksb:1", "accepted", 1)])
    svg = coverage_chart(result)
    assert svg.startswith("<svg") and 'role="img"' in svg and "<title" in svg
    assert "Knowledge: 1 accepted, 0 claimed, 0 missing" in svg
    assert "Skills: 0 accepted, 0 claimed, 1 missing" in svg


def test_the_chart_says_so_for_a_kind_with_no_ksbs_rather_than_divide_by_zero():
    svg = coverage_chart(coverage.coverage(ksbs=[ksb(1)], units=[], counts=[]))
    assert svg.count("No KSBs of this kind") == 2  # skills and behaviours
