"""Only a session's organiser changes or cancels it, checked by the services themselves as well as
by the pages and the API (issue 5: a coach sees only their own apprentices)."""

import pytest

from carelead.apprenticeships import session_services
from carelead.apprenticeships.tests.factories import TrainingSessionFactory, coach_of
from carelead.core.actor import Actor
from carelead.core.errors import NotAllowed

pytestmark = pytest.mark.django_db


def test_a_colleague_coach_at_the_provider_cannot_change_or_cancel_the_session():
    organiser = coach_of()
    colleague = coach_of(organiser.organisation)
    session = TrainingSessionFactory(provider=organiser.organisation, organiser=organiser.user)
    with pytest.raises(NotAllowed):
        session_services.update_session(actor=Actor(user=colleague.user), session=session, title="Moved")
    with pytest.raises(NotAllowed):
        session_services.cancel_session(actor=Actor(user=colleague.user), session=session)
    session.refresh_from_db()
    assert session.title != "Moved" and session.cancelled_at is None
    session_services.cancel_session(actor=Actor(user=organiser.user), session=session)
    session.refresh_from_db()
    assert session.cancelled_at is not None
