"""The header's navigation: each role sees the links its work needs and no others."""

import pytest
from django.urls import reverse

from carelead.core.permissions import Role
from carelead.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def nav_labels(client) -> list[str]:
    return [item["label"] for item in client.get(reverse("core:home")).context["nav_items"]]


@pytest.mark.parametrize(("role", "shown", "hidden"), [
    (Role.CARE_WORKER, {"People", "Apprenticeships"}, {"Caseload", "Quality assurance", "End-point assessments"}),
    (Role.SKILLS_COACH, {"Caseload", "Apprenticeships"}, {"People", "Quality assurance", "End-point assessments"}),
    (Role.IQA, {"Quality assurance"}, {"People", "Caseload", "End-point assessments"}),
    (Role.EPA_ASSESSOR, {"End-point assessments"}, {"People", "Caseload", "Quality assurance"}),
])
def test_each_role_sees_its_own_links(client, sign_in, role, shown, hidden):
    sign_in(MembershipFactory(role=role, all_locations=True))
    labels = set(nav_labels(client))
    assert shown <= labels and not hidden & labels


def test_an_ended_membership_opens_no_link(client, sign_in):
    from django.utils import timezone

    membership = MembershipFactory(role=Role.EPA_ASSESSOR)
    membership.ended_at = timezone.now()
    membership.save()
    sign_in(membership.user)
    assert "End-point assessments" not in nav_labels(client)
