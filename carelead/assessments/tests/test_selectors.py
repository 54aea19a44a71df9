"""Reading a person's saved tool scores: newest first, the newest of each tool in one query, and a
tool's history oldest first for a chart (STYLE.md §10: query counts that do not grow)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from carelead.accounts.tests.factories import UserFactory
from carelead.assessments.models import ToolScoreRecord
from carelead.assessments.selectors import latest_scores, score_history, scores_for
from carelead.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)


@pytest.fixture
def person():
    return PersonFactory()


@pytest.fixture
def scorer():
    return UserFactory()


def saved(person, scorer, tool="abbey_pain_scale", *, hours_ago=0, total=0, category=None):
    """A saved score as the service leaves it (the selectors read rows, not inputs)."""
    category = category or {"abbey_pain_scale": "no_pain", "news2": "low", "braden": "not_at_risk",
                            "waterlow": "not_at_risk"}[tool]
    return ToolScoreRecord.objects.create(
        person=person, tool=tool, inputs={}, total=Decimal(total), category=category, scored_by=scorer,
        scored_at=NOW - timedelta(hours=hours_ago),
    )


def test_scores_for_lists_only_this_persons_scores_newest_first(person, scorer, django_assert_num_queries):
    older = saved(person, scorer, hours_ago=5)
    newer = saved(person, scorer, "news2", hours_ago=1)
    saved(PersonFactory(), scorer, hours_ago=0)
    with django_assert_num_queries(1):  # who scored each comes in the same query
        scores = list(scores_for(scorer, person))
        assert [score.scored_by.full_name for score in scores] == [scorer.full_name] * 2
    assert scores == [newer, older]


def test_scores_for_one_tool(person, scorer):
    news2 = saved(person, scorer, "news2")
    saved(person, scorer, "abbey_pain_scale")
    assert list(scores_for(scorer, person, tool="news2")) == [news2]
    assert list(scores_for(scorer, person, tool="braden")) == []


def test_scores_made_in_the_same_second_come_newest_saved_first(person, scorer):
    first, second = saved(person, scorer), saved(person, scorer)
    assert list(scores_for(scorer, person)) == [second, first]


def test_latest_scores_gives_the_newest_of_each_tool_in_one_query(person, scorer, django_assert_num_queries):
    saved(person, scorer, "news2", hours_ago=8, total=1)
    newest_news2 = saved(person, scorer, "news2", hours_ago=2, total=3)
    saved(person, scorer, "news2", hours_ago=4, total=2)
    only_braden = saved(person, scorer, "braden", hours_ago=30, total=20)
    first_abbey = saved(person, scorer, "abbey_pain_scale", hours_ago=1, total=1)
    second_abbey = saved(person, scorer, "abbey_pain_scale", hours_ago=1, total=2)  # same time: saved later wins
    saved(PersonFactory(), scorer, "waterlow", hours_ago=0)  # someone else's
    with django_assert_num_queries(1):
        latest = latest_scores(person)
        assert [record.scored_by for record in latest] == [scorer] * 3
    assert latest == [newest_news2, only_braden, second_abbey]  # in the order of TOOLS
    assert first_abbey not in latest


def test_latest_scores_stays_one_query_as_history_grows(person, scorer, django_assert_num_queries):
    for hours in range(40):
        saved(person, scorer, "news2", hours_ago=hours)
    with django_assert_num_queries(1):
        assert len(latest_scores(person)) == 1


def test_latest_scores_of_someone_never_scored_is_empty(person, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert latest_scores(person) == []


def test_score_history_is_oldest_first_and_keeps_the_newest_when_limited(person, scorer, django_assert_num_queries):
    for hours, total in [(1, 5), (3, 3), (2, 4), (4, 2)]:
        saved(person, scorer, "news2", hours_ago=hours, total=total)
    saved(person, scorer, "abbey_pain_scale", hours_ago=0, total=9)
    with django_assert_num_queries(1):
        history = score_history(person, "news2")
    assert history == [(NOW - timedelta(hours=h), Decimal(t)) for h, t in [(4, 2), (3, 3), (2, 4), (1, 5)]]
    assert [total for _, total in score_history(person, "news2", limit=2)] == [Decimal(4), Decimal(5)]
    assert score_history(person, "braden") == []
