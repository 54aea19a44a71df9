import pytest

from carelead.core.pagination import CappedPaginator
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
