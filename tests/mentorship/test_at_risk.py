"""Pairs at risk: a program's active mentorships with no session in twice the program's cadence (since the last one,
or since they started) or whose latest three ratings average 2 or less, for its admins, with a nudge to everyone in
one of them, at most once a week. Boundaries a test can check by hand, and a constant number of queries."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentorship import at_risk
from mentorship.models import Agreement, AgreementConfirmation, Feedback, Nudge, Session
from notifications.models import Notification
from tests import formats
from tests.conftest import client_for
from tests.factories import (
    MentorshipFactory,
    ProgramAdminFactory,
    ProgramFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db

CADENCE = 7
TODAY = timezone.localdate()


@pytest.fixture
def weekly():
    return ProgramFactory(slug="weekly", name="Weekly mentoring", session_cadence_days=CADENCE)


def _started(program, days_ago: int, **fields):
    return MentorshipFactory(program=program, started_at=timezone.now() - dt.timedelta(days=days_ago), **fields)


def _met(mentorship, days_ago: int, *ratings: int):
    session = SessionFactory(mentorship=mentorship, date=TODAY - dt.timedelta(days=days_ago))
    people = mentorship.people()
    for author, rating in zip(people, ratings, strict=False):
        Feedback.objects.create(session=session, author=author, rating=rating)
    return session


def _reasons(program) -> dict[int, list[str]]:
    return {pair.mentorship.pk: pair.reasons for pair in at_risk.pairs_at_risk(program)}


# --- Reasons, at their boundaries ---------------------------------------------------------------------------------


def test_a_pair_is_quiet_after_twice_the_cadence_since_its_last_session(weekly):
    on_the_day = _started(weekly, days_ago=60)
    _met(on_the_day, days_ago=2 * CADENCE)
    a_day_late = _started(weekly, days_ago=60)
    _met(a_day_late, days_ago=2 * CADENCE + 1)
    _met(a_day_late, days_ago=40)  # an older session does not count

    assert _reasons(weekly) == {a_day_late.pk: ["no_recent_session"]}


def test_a_pair_that_never_met_is_quiet_after_twice_the_cadence_since_it_started(weekly):
    _started(weekly, days_ago=2 * CADENCE)
    late = _started(weekly, days_ago=2 * CADENCE + 1)

    (pair,) = at_risk.pairs_at_risk(weekly)

    assert (pair.mentorship.pk, pair.reasons, pair.last_session_on) == (late.pk, ["no_recent_session"], None)
    assert pair.reasons_in_words == [
        f"No session for {2 * CADENCE + 1} days since it started (the program expects one every {CADENCE} days)"
    ]


def test_low_ratings_are_the_latest_three_averaging_two_or_less(weekly):
    low = _started(weekly, days_ago=30)
    for days_ago, rating in ((9, 5), (6, 2), (3, 2), (1, 2)):  # the 5 is older than the latest three
        _met(low, days_ago, rating)
    fine = _started(weekly, days_ago=30)
    for days_ago, rating in ((9, 1), (6, 2), (3, 2), (1, 3)):  # 2.33: just above
        _met(fine, days_ago, rating)
    one = _started(weekly, days_ago=30)
    _met(one, 1, 2)

    assert _reasons(weekly) == {low.pk: ["low_ratings"], one.pk: ["low_ratings"]}


def test_the_mentors_rating_counts_among_the_latest(weekly):
    pair = _started(weekly, days_ago=30)
    _met(pair, 1, 2, 1)  # the mentor 2, the mentee 1: both of the same session

    (found,) = at_risk.pairs_at_risk(weekly)
    assert (found.reasons, found.rating_average) == (["low_ratings"], 1.5)


def test_a_completed_mentorship_or_another_programs_is_never_at_risk(weekly):
    MentorshipFactory(
        program=weekly,
        status="completed",
        started_at=timezone.now() - dt.timedelta(days=90),
        ended_at=timezone.now() - dt.timedelta(days=60),
    )
    _started(ProgramFactory(slug="other", session_cadence_days=CADENCE), days_ago=90)

    assert at_risk.pairs_at_risk(weekly) == []


def test_circles_and_peer_pairs_are_judged_the_same_way():
    circle, peers = formats.circle_world(), formats.peer_world()
    for world in (circle, peers):
        program = world["program"]
        program.session_cadence_days = CADENCE
        program.save(update_fields=["session_cadence_days", "updated_at"])
    circle["circle"].started_at = peers["pair"].started_at = timezone.now() - dt.timedelta(days=60)
    circle["circle"].save(update_fields=["started_at"])
    peers["pair"].save(update_fields=["started_at"])
    _met(peers["pair"], 1, 1, 2)

    assert _reasons(circle["program"]) == {circle["circle"].pk: ["no_recent_session"]}
    assert _reasons(peers["program"]) == {peers["pair"].pk: ["low_ratings"]}


def test_the_list_costs_the_same_queries_whatever_the_number_of_pairs(weekly):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            pairs = at_risk.pairs_at_risk(weekly)
            [pair.mentorship.people() for pair in pairs]
        return len(captured)

    for _ in range(2):
        _met(_started(weekly, days_ago=60), 30, 1, 2)
    few = queries()
    for _ in range(8):
        _met(_started(weekly, days_ago=60), 30, 1, 2)
        _started(weekly, days_ago=60)

    assert len(at_risk.pairs_at_risk(weekly)) == 18
    assert queries() == few == 2


# --- API ------------------------------------------------------------------------------------------------------------


def _list(user, program):
    return client_for(user).get(f"/api/v1/programs/{program.slug}/at-risk/")


def _nudge(user, program, mentorship):
    return client_for(user).post(f"/api/v1/programs/{program.slug}/at-risk/{mentorship.pk}/nudge/")


def test_a_program_admin_lists_its_pairs_at_risk(weekly):
    quiet = _started(weekly, days_ago=60)
    _met(quiet, 20, 1, 1)
    admin = ProgramAdminFactory(username="pam", membership__program=weekly)

    response = _list(admin, weekly)

    assert response.status_code == 200
    (pair,) = response.json()["results"]
    assert pair["id"] == quiet.pk and pair["program"] == "weekly"
    assert pair["reasons"] == ["no_recent_session", "low_ratings"]
    assert pair["last_session_on"] == str(TODAY - dt.timedelta(days=20))
    assert [p["id"] for p in pair["people"]] == [person.pk for person in quiet.people()]
    assert pair["nudged_at"] is None


def test_only_the_programs_admins_see_its_pairs_at_risk(weekly, mentee, mentor):
    other_admin = ProgramAdminFactory(username="oli", membership__program=ProgramFactory(slug="elsewhere"))

    assert _list(mentee, weekly).status_code == 403
    assert _list(mentor, weekly).status_code == 403
    assert _list(other_admin, weekly).status_code == 404


def test_a_nudge_tells_everyone_in_it_with_a_link_and_a_second_within_a_week_is_refused(
    weekly, django_capture_on_commit_callbacks
):
    circle = formats.circle_world()
    admin = ProgramAdminFactory(username="pam", membership__program=circle["program"])

    with django_capture_on_commit_callbacks(execute=True):
        first = _nudge(admin, circle["program"], circle["circle"])
    again = _nudge(admin, circle["program"], circle["circle"])

    assert first.status_code == 201 and first.json()["sent_by"] == admin.pk
    assert (again.status_code, again.json()["code"]) == (409, "already_nudged")
    people = {person.email for person in circle["circle"].people()}
    assert {m.to[0] for m in mail.outbox} == people and len(mail.outbox) == 4  # Otto, Ana, Ben, Cy
    link = f"/mentorships/{circle['circle'].pk}/"
    assert all(link in m.body for m in mail.outbox)
    assert set(Notification.objects.values_list("kind", "link")) == {("nudge", link)}
    listed = _list(admin, circle["program"])
    assert Nudge.objects.count() == 1 and listed.status_code == 200


def test_a_pair_may_be_nudged_again_a_week_later(weekly, mentee, mentor):
    pair = _started(weekly, days_ago=60, mentee=mentee, mentor=mentor)
    admin = ProgramAdminFactory(username="pam", membership__program=weekly)
    assert _nudge(admin, weekly, pair).status_code == 201
    Nudge.objects.update(created_at=timezone.now() - dt.timedelta(days=7, minutes=1))

    assert _nudge(admin, weekly, pair).status_code == 201
    assert Nudge.objects.count() == 2


def test_a_nudge_to_another_programs_pair_is_404_and_to_an_ended_one_409(weekly, mentorship):
    admin = ProgramAdminFactory(username="pam", membership__program=weekly)
    ended = MentorshipFactory(
        program=weekly,
        status="completed",
        started_at=timezone.now() - dt.timedelta(days=90),
        ended_at=timezone.now() - dt.timedelta(days=60),
    )

    assert _nudge(admin, weekly, mentorship).status_code == 404  # main's
    refused = _nudge(admin, weekly, ended)
    assert (refused.status_code, refused.json()["code"]) == (409, "not_active")
    assert not Nudge.objects.exists()


# --- Page -----------------------------------------------------------------------------------------------------------


def test_the_page_lists_each_pair_with_its_reasons_a_link_and_a_nudge_button(client, weekly):
    quiet = _started(weekly, days_ago=60)
    admin = ProgramAdminFactory(username="pam", membership__program=weekly)
    client.force_login(admin)

    page = client.get(f"/programs/{weekly.slug}/at-risk/").content.decode()

    assert f'href="/mentorships/{quiet.pk}/"' in page
    assert "No session for 60 days since it started" in page
    assert f"/api/v1/programs/weekly/at-risk/{quiet.pk}/nudge/" in page
    assert "Pairs at risk" in client.get(f"/programs/{weekly.slug}/").content.decode()


def test_the_page_says_so_when_no_pair_is_at_risk(client, weekly):
    client.force_login(ProgramAdminFactory(username="pam", membership__program=weekly))

    assert "No pair is at risk" in client.get(f"/programs/{weekly.slug}/at-risk/").content.decode()


def test_the_page_refuses_as_the_api_does(client, weekly, mentee):
    client.force_login(mentee)
    assert client.get(f"/programs/{weekly.slug}/at-risk/").status_code == 403
    client.force_login(ProgramAdminFactory(username="oli", membership__program=ProgramFactory(slug="elsewhere")))
    assert client.get(f"/programs/{weekly.slug}/at-risk/").status_code == 404


# --- What the pair agreed on ----------------------------------------------------------------------------------------


def _agreed(mentorship, *, cadence_days: int, changed_days_ago: int, confirmed_by: list):
    agreement = Agreement.objects.create(mentorship=mentorship, cadence_days=cadence_days, edited_by=confirmed_by[0])
    Agreement.objects.filter(pk=agreement.pk).update(updated_at=timezone.now() - dt.timedelta(days=changed_days_ago))
    for person in confirmed_by:
        AgreementConfirmation.objects.create(
            agreement=agreement, user=person, version=agreement.version, confirmed_at=timezone.now()
        )
    return agreement


def test_the_cadence_a_pair_agreed_on_replaces_the_programs(weekly):
    fortnightly = _started(weekly, days_ago=60)
    _met(fortnightly, days_ago=3 * CADENCE)  # quiet for the program's week, not for the fortnight they agreed
    _agreed(fortnightly, cadence_days=2 * CADENCE, changed_days_ago=50, confirmed_by=fortnightly.people())
    weekly_pair = _started(weekly, days_ago=60)
    _met(weekly_pair, days_ago=3 * CADENCE)

    assert _reasons(weekly) == {weekly_pair.pk: ["no_recent_session"]}
    _met(fortnightly, days_ago=2 * CADENCE * 2 + 1)
    Session.objects.filter(mentorship=fortnightly, date__gt=TODAY - dt.timedelta(days=4 * CADENCE)).delete()
    (pair, _) = sorted(at_risk.pairs_at_risk(weekly), key=lambda p: p.mentorship.pk)
    assert pair.reasons_in_words == [
        f"No session for {4 * CADENCE + 1} days since its last session (they agreed on one every {2 * CADENCE} days)"
    ]


def test_an_agreement_someone_has_not_confirmed_for_more_than_a_week_puts_the_pair_at_risk(weekly):
    waiting = _started(weekly, days_ago=20)
    _met(waiting, days_ago=1)
    _agreed(waiting, cadence_days=CADENCE, changed_days_ago=8, confirmed_by=[waiting.mentor])
    a_week = _started(weekly, days_ago=20)
    _met(a_week, days_ago=1)
    _agreed(a_week, cadence_days=CADENCE, changed_days_ago=7, confirmed_by=[a_week.mentor])
    everyone = _started(weekly, days_ago=20)
    _met(everyone, days_ago=1)
    _agreed(everyone, cadence_days=CADENCE, changed_days_ago=8, confirmed_by=everyone.people())

    assert _reasons(weekly) == {waiting.pk: ["agreement_unanswered"]}


def test_a_circle_waits_for_every_member_to_confirm():
    world = formats.circle_world()
    circle = world["circle"]
    _met(circle, days_ago=1)
    _agreed(circle, cadence_days=CADENCE, changed_days_ago=8, confirmed_by=circle.people()[:3])  # Cy has not
    assert _reasons(world["program"]) == {circle.pk: ["agreement_unanswered"]}

    AgreementConfirmation.objects.create(
        agreement=circle.agreement, user=world["cy"], version=circle.agreement.version, confirmed_at=timezone.now()
    )
    assert _reasons(world["program"]) == {}
