import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from mentorship.models import Agreement
from programs.models import Program
from tests.conftest import client_for
from tests.factories import MentorshipFactory, ProgramFactory
from tests.mentorship.together_worlds import FORMATS, complete, tomorrow, world_of

TERMS = {"cadence_days": 14, "channel": "video", "meeting_link": "https://meet.example.org/abc", "expectations": "Hi"}


def _url(mentorship, confirm=False):
    return reverse("agreement-confirm" if confirm else "agreement", args=[mentorship.pk])


def _ids(people):
    return sorted(p["id"] for p in people)


def test_before_anyone_proposes_the_participants_read_the_program_defaults(mentorship, mentee):
    answer = client_for(mentee).get(_url(mentorship))

    assert answer.status_code == 200
    body = answer.json()
    assert body["proposed"] is False and body["version"] == 0
    assert body["cadence_days"] == mentorship.program.session_cadence_days
    assert body["confirmed_by"] == []
    assert len(body["waiting_for"]) == 2


def test_a_cohort_program_offers_its_end_as_the_end_date(mentee, mentor):
    end = timezone.localdate() + dt.timedelta(days=90)
    program = ProgramFactory(kind="cohort", starts_on=timezone.localdate(), ends_on=end, session_cadence_days=21)
    mentorship = MentorshipFactory(program=program, mentee=mentee, mentor=mentor)

    body = client_for(mentee).get(_url(mentorship)).json()

    assert body["ends_on"] == str(end) and body["cadence_days"] == 21


@pytest.mark.parametrize("kind", FORMATS)
def test_everyone_in_it_confirms_and_an_edit_asks_the_others_again(
    kind, mentee, mentor, django_capture_on_commit_callbacks
):
    mentorship, people = world_of(kind, mentee, mentor)
    writer, *others = people

    with django_capture_on_commit_callbacks(execute=True):
        proposed = client_for(writer).put(_url(mentorship), TERMS, format="json")

    assert proposed.status_code == 200, proposed.json()
    body = proposed.json()
    assert body["proposed"] and body["version"] == 1
    assert _ids(body["confirmed_by"]) == [writer.pk]
    assert _ids(body["waiting_for"]) == sorted(p.pk for p in others)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in others)
    for person in others:
        answer = client_for(person).post(_url(mentorship, confirm=True))
        assert answer.status_code == 200
    assert answer.json()["waiting_for"] == []
    assert len(answer.json()["confirmed_by"]) == len(people)

    edited = client_for(others[0]).put(_url(mentorship), {**TERMS, "cadence_days": 7}, format="json").json()

    assert edited["version"] == 2 and edited["cadence_days"] == 7
    assert _ids(edited["confirmed_by"]) == [others[0].pk]
    assert others[0].pk not in _ids(edited["waiting_for"]) and writer.pk in _ids(edited["waiting_for"])


def test_confirming_twice_is_a_conflict(mentorship, mentee, mentor):
    client_for(mentor).put(_url(mentorship), TERMS, format="json")
    assert client_for(mentee).post(_url(mentorship, confirm=True)).status_code == 200

    again = client_for(mentee).post(_url(mentorship, confirm=True))
    writer_again = client_for(mentor).post(_url(mentorship, confirm=True))

    assert again.status_code == 409 and again.json()["code"] == "already_confirmed"
    assert writer_again.json()["code"] == "already_confirmed"


def test_confirming_before_anyone_proposed_is_a_conflict(mentorship, mentee):
    answer = client_for(mentee).post(_url(mentorship, confirm=True))

    assert answer.status_code == 409 and answer.json()["code"] == "not_proposed"


def test_writing_the_same_terms_again_keeps_the_version(mentorship, mentee, mentor):
    client_for(mentor).put(_url(mentorship), TERMS, format="json")

    again = client_for(mentee).put(_url(mentorship), TERMS, format="json").json()

    assert again["version"] == 1 and again["waiting_for"] == []


def test_an_ended_mentorship_takes_no_agreement(mentorship, mentee, mentor):
    client_for(mentor).put(_url(mentorship), TERMS, format="json")
    complete(mentorship)

    put = client_for(mentee).put(_url(mentorship), TERMS, format="json")
    confirm = client_for(mentee).post(_url(mentorship, confirm=True))

    assert put.status_code == 409 and put.json()["code"] == "mentorship_ended"
    assert confirm.status_code == 409 and confirm.json()["code"] == "mentorship_ended"
    assert client_for(mentee).get(_url(mentorship)).status_code == 200


def test_outsiders_do_not_learn_it_exists_and_admins_only_read(mentorship, outsider, admin_user):
    assert client_for(outsider).get(_url(mentorship)).status_code == 404
    assert client_for(outsider).put(_url(mentorship), TERMS, format="json").status_code == 404
    assert client_for(admin_user).get(_url(mentorship)).status_code == 200
    assert client_for(admin_user).put(_url(mentorship), TERMS, format="json").status_code == 403
    assert not Agreement.objects.exists()


def test_a_member_who_left_the_circle_may_no_longer_write_it(mentor):
    from tests.formats import circle_world

    world = circle_world(mentor)

    answer = client_for(world["dan"]).put(_url(world["circle"]), TERMS, format="json")

    assert answer.status_code == 403


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"cadence_days": 0}, "cadence_days"),
        ({"cadence_days": 366}, "cadence_days"),
        ({"channel": "pigeon"}, "channel"),
        ({"meeting_link": "javascript:alert(1)"}, "meeting_link"),
        ({"meeting_link": "ftp://example.org/x"}, "meeting_link"),
        ({"expectations": "x" * 10_001}, "expectations"),
        ({"expectations": "nul\x00"}, "expectations"),
        ({"place": "two\nlines"}, "place"),
        ({"ends_on": "2001-01-01"}, "ends_on"),
        ({"ends_on": "not a date"}, "ends_on"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_bad_terms_are_refused_on_their_field(mentorship, mentee, change, field):
    answer = client_for(mentee).put(_url(mentorship), {**TERMS, **change}, format="json")

    assert answer.status_code == 400
    assert field in answer.json()


def test_the_end_date_may_not_pass_the_cohort_end(mentee, mentor):
    end = timezone.localdate() + dt.timedelta(days=30)
    program = ProgramFactory(kind=Program.Kind.COHORT, starts_on=timezone.localdate(), ends_on=end)
    mentorship = MentorshipFactory(program=program, mentee=mentee, mentor=mentor)

    late = client_for(mentee).put(_url(mentorship), {**TERMS, "ends_on": tomorrow(31)}, format="json")
    on_time = client_for(mentee).put(_url(mentorship), {**TERMS, "ends_on": str(end)}, format="json")

    assert late.status_code == 400 and "ends_on" in late.json()
    assert on_time.status_code == 200
