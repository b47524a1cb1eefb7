"""The Membership QuerySet's words about the people of a program in every format: who is still waiting (for a
mentor, or for a peer partner) and how many partners a person has."""

import pytest

from mentorship.models import MentorshipRequest
from programs.models import Membership
from tests.factories import MemberFactory, MembershipFactory, MentorshipFactory, ProgramFactory, RequestFactory

pytestmark = pytest.mark.django_db

Role = Membership.Role


def waiting(program, role):
    return set(
        Membership.objects.in_program(program).filter(role=role).active().waiting().values_list("user_id", flat=True)
    )


def test_a_peer_with_a_request_pending_either_way_is_not_waiting():
    pairs = ProgramFactory(format="peer")
    ana, ben, cy, dan = (MembershipFactory(program=pairs, role=Role.PEER).user for _ in range(4))
    RequestFactory(program=pairs, mentee=ana, mentor=ben)

    assert waiting(pairs, Role.PEER) == {cy.pk, dan.pk}


def test_a_peer_in_a_rounds_pending_proposal_is_not_waiting_either_side():
    pairs = ProgramFactory(format="peer")
    ana, ben = (MembershipFactory(program=pairs, role=Role.PEER).user for _ in range(2))
    RequestFactory(program=pairs, mentee=ana, mentor=ben, origin=MentorshipRequest.Origin.MATCH_ROUND)

    assert waiting(pairs, Role.PEER) == set()


def test_a_mentee_asked_as_a_mentor_in_the_same_program_still_waits_for_a_mentor():
    """Reverse mentoring: one person may mentor and be mentored in one program; a request they received as a
    mentor says nothing of their own search."""
    program = ProgramFactory()
    both = MembershipFactory(program=program, role=Role.MENTEE).user
    MembershipFactory(user=both, program=program, role=Role.MENTOR)
    RequestFactory(program=program, mentor=both, mentee=MembershipFactory(program=program, role=Role.MENTEE).user)

    assert waiting(program, Role.MENTEE) == {both.pk}


def test_a_peer_at_the_programs_limit_is_not_waiting_and_has_no_open_slot():
    pairs = ProgramFactory(format="peer", mentee_limit=2)
    ana, ben, cy = (MembershipFactory(program=pairs, role=Role.PEER).user for _ in range(3))
    for other in (ben, cy):
        pair = MentorshipFactory(program=pairs, mentor=None, mentee=None)
        MemberFactory(mentorship=pair, user=ana)
        MemberFactory(mentorship=pair, user=other)

    rows = {m.user_id: (m.partners, m.open_slots) for m in Membership.objects.in_program(pairs).with_partners()}

    assert rows == {ana.pk: (2, 0), ben.pk: (1, 1), cy.pk: (1, 1)}
    assert waiting(pairs, Role.PEER) == {ben.pk, cy.pk}
