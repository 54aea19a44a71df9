import pytest

from carelead.people.tests.test_api import TokenClient, token_for


@pytest.fixture
def api(client):
    """api(membership_or_user) -> a client whose requests carry that user's API token."""

    def _api(who):
        return TokenClient(client, token_for(getattr(who, "user", who)))

    return _api
