import pytest

from carelead.apprenticeships.importer import load_snapshots
from carelead.people.tests.test_api import TokenClient, token_for


@pytest.fixture
def reference_data(db):
    """The checked-in snapshots (ST0007 v1.0 and v1.1; the Level 4 Diplomas), as seed_demo loads them."""
    return load_snapshots()


@pytest.fixture
def api(client):
    """api(membership_or_user) -> a client whose requests carry that user's API token."""

    def _api(who):
        return TokenClient(client, token_for(getattr(who, "user", who)))

    return _api
