"""The evidence registry (core/evidence.py): discovery finds every app's sources, a key is
registered once, and items_led_by merges the sources newest first."""

from datetime import date

import pytest

from carelead.core import evidence
from carelead.core.evidence import EvidenceItem, EvidenceSource

EXPECTED = {"assessments.needs_assessment", "assessments.capacity_assessment",
            "assessments.best_interests_decision", "careplans.risk_assessment", "careplans.plan_review"}


def fake(key, *days):
    items = [EvidenceItem(source=key, record_id=f"{key}-{day}", led_by_id=1, occurred_on=day, title="t",
                          summary="s") for day in days]
    return EvidenceSource(key=key, label=key, description="", items_led_by=lambda user, since, until: items,
                          item=lambda user, record_id: None)


def test_discover_finds_every_declared_source():
    evidence.discover()
    keys = {source.key for source in evidence.sources()}
    assert EXPECTED <= keys
    assert [source.key for source in evidence.sources()] == sorted(keys)


def test_a_key_is_registered_once(monkeypatch):
    monkeypatch.setattr(evidence, "_REGISTRY", {})
    first = evidence.register(fake("test.one"))
    assert evidence.register(first) is first  # the same source again is harmless (a module imported twice)
    with pytest.raises(ValueError, match="already registered"):
        evidence.register(fake("test.one"))


def test_items_led_by_merges_the_sources_newest_first(monkeypatch):
    monkeypatch.setattr(evidence, "_REGISTRY", {})
    evidence.register(fake("test.a", date(2026, 1, 5), date(2026, 3, 1)))
    evidence.register(fake("test.b", date(2026, 2, 1), date(2026, 3, 1)))
    merged = evidence.items_led_by(object())
    assert [(item.occurred_on, item.source) for item in merged] == [
        (date(2026, 3, 1), "test.b"), (date(2026, 3, 1), "test.a"), (date(2026, 2, 1), "test.b"),
        (date(2026, 1, 5), "test.a")]


def test_an_unknown_source_gives_no_item():
    assert evidence.item(object(), "nowhere.nothing", "x") is None


def test_an_item_names_only_the_standards_themes():
    assert EvidenceItem(source="s", record_id="r", led_by_id=1, occurred_on=date(2026, 1, 1), title="t",
                        summary="s", themes=("Safeguarding",)).themes == ("Safeguarding",)
    with pytest.raises(ValueError, match="Safeguardng"):
        EvidenceItem(source="s", record_id="r", led_by_id=1, occurred_on=date(2026, 1, 1), title="t",
                     summary="s", themes=("Safeguardng",))
