import pytest

from carelead.core.pagination import CappedPaginator, query_without_page
from carelead.organisations.models import Organisation
from carelead.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("rows", "count", "capped"), [(3, 3, False), (4, 4, False), (5, 5, True)])
def test_the_count_stops_one_past_the_cap(rows, count, capped):
    OrganisationFactory.create_batch(rows)
    paginator = CappedPaginator(Organisation.objects.order_by("pk"), 2, cap=4)
    assert (paginator.count, paginator.is_capped) == (count, capped)


def test_pages_past_the_cap_are_not_offered():
    OrganisationFactory.create_batch(9)
    paginator = CappedPaginator(Organisation.objects.order_by("pk"), 2, cap=4)
    assert paginator.num_pages == 3  # 5 counted rows: the filters reach the rest


def test_query_without_page_keeps_the_filters_and_drops_only_the_page(rf):
    assert query_without_page(rf.get("/", {"text": "smi th", "page": "3", "status": "active"})) == \
        "text=smi+th&status=active"
    assert query_without_page(rf.get("/", {"page": "2"})) == ""
