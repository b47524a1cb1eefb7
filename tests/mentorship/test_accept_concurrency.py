"""On PostgreSQL, many accepts at once from separate connections never over-book a mentor."""

import threading

import pytest
from django.db import connection

from mentorship.models import Mentorship, MentorshipMember, MentorshipRequest
from tests.conftest import client_for
from tests.factories import MentorFactory, RequestFactory

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
