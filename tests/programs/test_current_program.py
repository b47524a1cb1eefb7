import pytest
from django.test import RequestFactory as HttpRequests

from programs.models import Membership
from programs.selectors import CURRENT_PROGRAM_SESSION_KEY, current_program
from tests.factories import MembershipFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db


def _request(user, query="", session=None):
    request = HttpRequests().get("/mentors/" + query)
    request.user = user
    request.session = dict(session or {})
    return request


@pytest.fixture
def both(db):
    """Someone in `main` and in the Spring cohort."""
    user = UserFactory()
    spring = ProgramFactory(slug="spring", name="Spring")
    MembershipFactory(user=user, role=Membership.Role.MENTEE)
    MembershipFactory(user=user, program=spring, role=Membership.Role.MENTOR)
    return user


def test_main_by_default_when_one_is_in_it(both):
    assert current_program(_request(both)).slug == "main"


def test_the_query_names_the_program(both):
    assert current_program(_request(both, "?program=spring")).slug == "spring"


def test_the_session_remembers_the_choice(both):
    assert current_program(_request(both, session={CURRENT_PROGRAM_SESSION_KEY: "spring"})).slug == "spring"


def test_a_program_one_is_not_in_is_never_current(both):
    ProgramFactory(slug="elsewhere")

    assert current_program(_request(both, "?program=elsewhere")).slug == "main"
    assert current_program(_request(both, session={CURRENT_PROGRAM_SESSION_KEY: "elsewhere"})).slug == "main"


def test_someone_not_in_main_gets_their_first_program():
    user = UserFactory()
    MembershipFactory(user=user, program=ProgramFactory(slug="zeta", name="Zeta"))
    MembershipFactory(user=user, program=ProgramFactory(slug="alpha", name="Alpha"))

    assert current_program(_request(user)).slug == "alpha"


def test_someone_in_no_program_gets_main():
    assert current_program(_request(UserFactory())).slug == "main"


def test_a_pending_membership_does_not_make_a_program_current():
    user = UserFactory()
    MembershipFactory(user=user, program=ProgramFactory(slug="careful"), role="mentor", status="pending")

    assert current_program(_request(user, "?program=careful")).slug == "main"
