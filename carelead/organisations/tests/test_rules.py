from datetime import datetime, timezone

import pytest

from carelead.organisations import rules


def test_invitation_tokens_are_long_random_and_url_safe():
    tokens = {rules.new_invitation_token() for _ in range(50)}
    assert len(tokens) == 50
    assert all(len(token) == 43 and token.replace("-", "").replace("_", "").isalnum() for token in tokens)


def test_a_token_is_stored_as_its_sha256():
    assert rules.hash_invitation_token("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_an_invitation_expires_whole_days_after_it_is_sent():
    sent = datetime(2026, 11, 22, 9, 30, tzinfo=timezone.utc)
    assert rules.invitation_expires_at(sent_at=sent, valid_days=7) == datetime(2026, 11, 29, 9, 30, tzinfo=timezone.utc)


@pytest.mark.parametrize(("admins", "left_without"), [(1, True), (2, False), (5, False)])
def test_an_organisation_keeps_at_least_one_admin(admins, left_without):
    assert rules.leaves_organisation_without_admin(current_admins=admins, losing=1) is left_without


@pytest.mark.parametrize(("one_person", "existing", "exceeds"), [
    (True, 0, False), (True, 1, True), (False, 0, False), (False, 7, False),
])
def test_a_lead_pa_employer_has_one_location_at_most(one_person, existing, exceeds):
    assert rules.exceeds_one_location(supports_one_person=one_person, existing_locations=existing) is exceeds
