"""On PostgreSQL, many accepts at once from separate connections never over-book a mentor, a circle or a peer."""

import threading

import pytest
from django.db import connection

from mentorship.models import Mentorship, MentorshipMember, MentorshipRequest
from tests.conftest import client_for
from tests.factories import MembershipFactory, MentorFactory, ProgramFactory, RequestFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def fire_at_once(calls):
    """Run the calls in threads released together; each thread has its own database connection."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            results[i] = call()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_twenty_concurrent_accepts_at_capacity_two_make_exactly_two_mentorships(postgres):
    mentor = MentorFactory()
    requests = [RequestFactory(mentor=mentor) for _ in range(20)]
    before = {r.pk: (r.status, r.updated_at) for r in requests}

    statuses = fire_at_once(
        [lambda r=r: client_for(mentor).post(f"/api/v1/requests/{r.pk}/accept/").status_code for r in requests]
    )

    assert sorted(statuses) == [200, 200] + [409] * 18
    assert Mentorship.objects.filter(mentor=mentor, status="active").count() == 2
    accepted = MentorshipRequest.objects.filter(status="accepted")
    assert accepted.count() == 2
    assert set(accepted.values_list("members__user", flat=True)) == set(accepted.values_list("mentee", flat=True))
    for request in MentorshipRequest.objects.exclude(status="accepted"):
        assert (request.status, request.updated_at) == before[request.pk]  # the losers are untouched


def test_one_mentee_accepted_by_two_mentors_at_once_gets_one_mentor(postgres):
    first = RequestFactory()
    second = RequestFactory(mentee=first.mentee)

    statuses = fire_at_once(
        [
            lambda: client_for(first.mentor).post(f"/api/v1/requests/{first.pk}/accept/").status_code,
            lambda: client_for(second.mentor).post(f"/api/v1/requests/{second.pk}/accept/").status_code,
        ]
    )

    assert sorted(statuses) == [200, 409]
    assert MentorshipMember.objects.filter(user=first.mentee, status="active").count() == 1


# --- Circles and peer pairs ---------------------------------------------------------------------------------


def test_concurrent_accepts_into_a_circle_fill_it_to_capacity_and_no_further(postgres):
    group = ProgramFactory(format="group")
    mentor = UserFactory()
    MembershipFactory(user=mentor, program=group, role="mentor", capacity=3)
    requests = [
        RequestFactory(program=group, mentor=mentor, mentee=MembershipFactory(program=group, role="mentee").user)
        for _ in range(12)
    ]

    statuses = fire_at_once(
        [lambda r=r: client_for(mentor).post(f"/api/v1/requests/{r.pk}/accept/").status_code for r in requests]
    )

    assert sorted(statuses) == [200] * 3 + [409] * 9
    circle = Mentorship.objects.get(mentor=mentor)  # one circle, started by the first accept only
    assert circle.format == "group"
    assert circle.members.filter(status="active").count() == 3
    assert MentorshipRequest.objects.filter(status="accepted").count() == 3


@pytest.mark.parametrize("mentee_limit", [1, 2])
def test_two_peers_accepting_each_others_request_at_once_make_one_pair(postgres, mentee_limit):
    pairs = ProgramFactory(format="peer", mentee_limit=mentee_limit)
    ana, ben = (MembershipFactory(program=pairs, role="peer").user for _ in range(2))
    ana_to_ben = RequestFactory(program=pairs, mentee=ana, mentor=ben)
    ben_to_ana = RequestFactory(program=pairs, mentee=ben, mentor=ana)

    responses = fire_at_once(
        [
            lambda: client_for(ben).post(f"/api/v1/requests/{ana_to_ben.pk}/accept/"),
            lambda: client_for(ana).post(f"/api/v1/requests/{ben_to_ana.pk}/accept/"),
        ]
    )

    assert sorted(r.status_code for r in responses) == [200, 409]
    assert [r.json()["code"] for r in responses if r.status_code == 409] == ["not_pending"]  # closed by the pair
    pair = Mentorship.objects.get(program=pairs)
    assert sorted(pair.members.values_list("user_id", flat=True)) == sorted([ana.pk, ben.pk])


def test_both_peers_accepting_a_rounds_proposal_at_once_start_it_once(postgres):
    pairs = ProgramFactory(format="peer")
    ana, ben = (MembershipFactory(program=pairs, role="peer").user for _ in range(2))
    proposal = RequestFactory(program=pairs, mentee=ana, mentor=ben, origin="match_round")

    statuses = fire_at_once(
        [
            lambda who=who: client_for(who).post(f"/api/v1/requests/{proposal.pk}/accept/").status_code
            for who in (ana, ben)
        ]
    )

    assert statuses == [200, 200]
    proposal.refresh_from_db()
    assert proposal.status == "accepted"
    assert proposal.sender_accepted_at and proposal.recipient_accepted_at
    assert Mentorship.objects.filter(program=pairs).count() == 1
    assert MentorshipMember.objects.filter(program=pairs, status="active").count() == 2
