"""Every API endpoint against every persona: who gets in (ok), who is told to sign in (401), who may see but not
act (403), and who must not learn that the object exists (404).

The table is checked against the URLconf: a new endpoint (or method) without a row here fails the test. Every
answer of the walk is also one the OpenAPI document declares, field by field (tests/openapi.py).
"""

import datetime as dt

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from rest_framework.test import APIClient

from evaluation.models import SurveyInvitation
from evaluation.surveys import survey_create
from mentorship.models import ActionItem, Meeting
from programs.selectors import program_default
from tests.conftest import client_for
from tests.factories import (
    AdminFactory,
    EmailChangeFactory,
    EmailRevertFactory,
    GoalFactory,
    MatchProposalFactory,
    MatchRoundFactory,
    MenteeFactory,
    MentorFactory,
    MentorshipFactory,
    MilestoneFactory,
    RequestFactory,
    SessionFactory,
    SignUpFactory,
    SkillFactory,
)
from tests.openapi import assert_matches_schema

OK = "ok"  # passed the permission checks: any answer but 401, 403, 404 or a 5xx
PERSONAS = ("anonymous", "mentee", "mentor", "outsider_mentee", "outsider_mentor", "admin")


def row(anonymous, mentee, mentor, outsider_mentee, outsider_mentor, admin):
    return dict(zip(PERSONAS, (anonymous, mentee, mentor, outsider_mentee, outsider_mentor, admin), strict=True))


EVERYONE = row(OK, OK, OK, OK, OK, OK)
SIGNED_IN = row(401, OK, OK, OK, OK, OK)
THE_TWO_AND_ADMINS_READ = row(401, OK, OK, 404, 404, OK)
MENTEE_WRITES = row(401, OK, 403, 404, 404, 403)
MENTOR_WRITES = row(401, 403, OK, 404, 404, 403)
EITHER_OF_THE_TWO = row(401, OK, OK, 404, 404, 403)
THE_TWO_ONLY = row(401, OK, OK, 404, 404, 404)  # their conversation: not even an admin learns what it holds
ADMINS_ONLY = row(401, 403, 403, 403, 403, OK)
STAFF_ONLY = row(401, 403, 403, 403, 403, OK)
PROGRAM_ADMINS_ONLY = row(401, 404, 404, 404, 404, OK)  # others must not learn what a program's members are
THE_TWO_ONLY = row(401, OK, OK, 404, 404, 404)  # a mentorship's meetings: its people's alone, not its admins'

TODAY = str(timezone.localdate())
NEXT_WEEK = (timezone.now() + dt.timedelta(days=7)).isoformat()
SIGNUP_TOKEN = "the-token-of-an-emailed-sign-up-link"
EMAIL_CHANGE_TOKEN = "the-token-of-an-emailed-change-of-address-link"
EMAIL_REVERT_TOKEN = "the-token-of-a-link-that-undoes-a-change-of-address"

# (route name, method): (who gets what, request body)
TABLE = {
    ("api-register", "POST"): (EVERYONE, "register"),
    ("api-register-confirm", "POST"): (EVERYONE, "confirm"),
    ("api-token", "POST"): (EVERYONE, {"username": "maya", "password": "wrong"}),
    ("api-logout", "POST"): (SIGNED_IN, None),
    ("api-logout-all", "POST"): (SIGNED_IN, None),
    ("schema", "GET"): (EVERYONE, None),
    ("api-docs", "GET"): (EVERYONE, None),
    ("api-me", "GET"): (SIGNED_IN, None),
    ("api-me", "PATCH"): (SIGNED_IN, {"full_name": "New Name"}),
    # Everyone's own inbox and settings: nobody reaches another's (tests/notifications).
    ("notification-list", "GET"): (SIGNED_IN, None),
    ("notification-read", "POST"): (SIGNED_IN, {}),
    ("notification-settings", "GET"): (SIGNED_IN, None),
    ("notification-settings", "PATCH"): (SIGNED_IN, {"request": "daily"}),
    # The link emailed to a new address is the key, not the visitor: it may be opened signed out, in any browser.
    ("api-email-change-confirm", "POST"): (EVERYONE, {"token": EMAIL_CHANGE_TOKEN}),
    # The link emailed to the old address after a change, the same way.
    ("api-email-revert", "POST"): (EVERYONE, {"token": EMAIL_REVERT_TOKEN}),
    ("api-skills", "GET"): (SIGNED_IN, None),
    ("api-skills", "POST"): (ADMINS_ONLY, {"name": "Beekeeping"}),
    ("api-industries", "GET"): (SIGNED_IN, None),
    ("api-industries", "POST"): (ADMINS_ONLY, {"name": "Agriculture"}),
    ("skill-suggestion-list", "GET"): (ADMINS_ONLY, None),
    ("skill-suggestion-approve", "POST"): (ADMINS_ONLY, {}),
    ("skill-suggestion-merge", "POST"): (ADMINS_ONLY, "merge"),
    ("skill-suggestion-reject", "POST"): (ADMINS_ONLY, {}),
    ("mentor-list", "GET"): (SIGNED_IN, None),
    ("mentor-detail", "GET"): (SIGNED_IN, None),
    ("request-list", "GET"): (SIGNED_IN, None),
    ("request-list", "POST"): (row(401, OK, 403, OK, 403, 403), "new_request"),
    ("request-detail", "GET"): (THE_TWO_AND_ADMINS_READ, None),
    ("request-accept", "POST"): (MENTOR_WRITES, {}),
    ("request-decline", "POST"): (MENTOR_WRITES, {"reason": "unavailable"}),
    ("request-withdraw", "POST"): (MENTEE_WRITES, {}),
    ("mentorship-list", "GET"): (SIGNED_IN, None),
    ("mentorship-detail", "GET"): (THE_TWO_AND_ADMINS_READ, None),
    ("mentorship-complete", "POST"): (EITHER_OF_THE_TWO, {}),
    # A member leaves a circle; Maya's one-on-one is past the checks for her (409 `not_a_circle`), Otto is no member.
    ("mentorship-leave", "POST"): (MENTEE_WRITES, {}),
    ("session-list", "GET"): (THE_TWO_AND_ADMINS_READ, None),
    ("session-list", "POST"): (MENTOR_WRITES, {"date": TODAY, "duration_minutes": 30}),
    ("session-detail", "GET"): (THE_TWO_AND_ADMINS_READ, None),
    # Everyone who came rates a session: the walked one had both of them.
    ("session-feedback", "POST"): (EITHER_OF_THE_TWO, {"rating": 4}),
    # The mentor rates the progress on the goals it worked on (Maya's goal was not: 400, past the checks).
    ("session-progress", "POST"): (MENTOR_WRITES, "progress"),
    ("meeting-list", "GET"): (THE_TWO_ONLY, None),
    ("meeting-list", "POST"): (THE_TWO_ONLY, {"starts_at": NEXT_WEEK, "duration_minutes": 30}),
    ("meeting-detail", "GET"): (THE_TWO_ONLY, None),
    ("meeting-detail", "PATCH"): (THE_TWO_ONLY, {"agenda": "Walked"}),
    ("meeting-detail", "DELETE"): (THE_TWO_ONLY, None),
    # Not started yet: 409 `meeting_not_started`, past the checks.
    ("meeting-record", "POST"): (THE_TWO_ONLY, {"notes": "Walked"}),
    # The secret in the address is the key: whoever has it reads the feed, signed in or not.
    ("calendar-feed", "GET"): (EVERYONE, None),
    ("api-calendar-reset", "POST"): (SIGNED_IN, None),
    # The relationship (issue 14): its people write; program admins read the agreement and the action items, not
    # the conversation.
    ("agreement", "GET"): (THE_TWO_AND_ADMINS_READ, None),
    ("agreement", "PUT"): (EITHER_OF_THE_TWO, {"cadence_days": 14, "channel": "video", "expectations": ""}),
    ("agreement-confirm", "POST"): (EITHER_OF_THE_TWO, None),  # nothing proposed: 409 `not_proposed`, past the checks
    ("action-item-list", "GET"): (THE_TWO_AND_ADMINS_READ, None),
    ("action-item-list", "POST"): (EITHER_OF_THE_TWO, "action_item"),
    ("action-item-detail", "PATCH"): (EITHER_OF_THE_TWO, {"done": True}),
    ("message-list", "GET"): (THE_TWO_ONLY, None),
    ("message-list", "POST"): (THE_TWO_ONLY, {"body": "Hello"}),
    ("message-read", "POST"): (THE_TWO_ONLY, None),
    # Skill ratings (issue 15): its people's; admins read the report's averages, not a person's levels.
    ("mentorship-skill-ratings", "GET"): (THE_TWO_ONLY, None),
    ("mentorship-skill-ratings", "PUT"): (THE_TWO_ONLY, "skill_ratings"),
    ("goal-list", "GET"): (SIGNED_IN, None),
    ("goal-list", "POST"): (row(401, OK, 403, OK, 403, 403), {"title": "Ship a side project"}),
    ("goal-detail", "GET"): (THE_TWO_AND_ADMINS_READ, None),
    ("goal-detail", "PATCH"): (MENTEE_WRITES, {"status": "achieved"}),
    ("goal-detail", "DELETE"): (MENTEE_WRITES, None),
    ("milestone-list", "GET"): (THE_TWO_AND_ADMINS_READ, None),
    ("milestone-list", "POST"): (MENTEE_WRITES, {"title": "Draft the outline"}),
    ("milestone-detail", "GET"): (THE_TWO_AND_ADMINS_READ, None),
    ("milestone-detail", "PATCH"): (MENTEE_WRITES, {"done": True}),
    ("milestone-detail", "DELETE"): (MENTEE_WRITES, None),
    ("mentor-recommended", "GET"): (row(401, OK, 403, OK, 403, 403), None),
    ("match-round-list", "GET"): (ADMINS_ONLY, None),
    ("match-round-list", "POST"): (ADMINS_ONLY, {"name": "Spring round"}),
    ("match-round-detail", "GET"): (ADMINS_ONLY, None),
    ("match-round-proposals", "GET"): (ADMINS_ONLY, None),
    ("match-round-override", "PATCH"): (ADMINS_ONLY, "override"),
    ("match-round-candidates", "GET"): (ADMINS_ONLY, None),
    ("match-round-unmatched", "GET"): (ADMINS_ONLY, None),
    ("match-round-publish", "POST"): (ADMINS_ONLY, {}),
    ("match-round-cancel", "POST"): (ADMINS_ONLY, {}),
    ("match-round-rerun", "POST"): (ADMINS_ONLY, {}),
    ("participants-import", "POST"): (ADMINS_ONLY, {}),
    # Programs: everyone here is in `main`; site staff are in none and manage all. The program axis (an admin of
    # one program on another) is walked in tests/programs/test_program_axis_walk.py.
    ("program-list", "GET"): (SIGNED_IN, None),
    ("program-list", "POST"): (STAFF_ONLY, {"slug": "walked", "name": "Walked program"}),
    ("program-detail", "GET"): (SIGNED_IN, None),
    ("program-detail", "PATCH"): (STAFF_ONLY, {"description": "Walked."}),
    # Joining as a mentor: the mentor is one already (409 `already_member`, past the checks).
    ("program-join", "POST"): (SIGNED_IN, {"role": "mentor"}),
    ("program-membership", "GET"): (SIGNED_IN, None),
    ("program-membership", "PATCH"): (row(401, OK, OK, OK, OK, 404), {"accepting_requests": True}),
    ("program-member-list", "GET"): (PROGRAM_ADMINS_ONLY, None),
    ("program-member-list", "POST"): (PROGRAM_ADMINS_ONLY, {"email": "walked@example.org", "role": "mentee"}),
    ("program-member-detail", "PATCH"): (PROGRAM_ADMINS_ONLY, {"status": "active"}),
    ("program-member-resend", "POST"): (PROGRAM_ADMINS_ONLY, None),  # not invited: 409 `not_invited`
    ("api-invitation-accept", "POST"): (EVERYONE, {"token": "no-such-invitation", "password": "a-long-secret"}),
    # Surveys: Maya and Otto were asked the walked one; nobody else learns it exists, not even an admin.
    ("survey-pending", "GET"): (SIGNED_IN, None),
    ("survey-responses", "POST"): (THE_TWO_ONLY, {"answers": []}),
}
# The nested paths of a program's directory, rounds, import and report, walked on `main` (everyone's own program)
# with the flat paths' rows; on another program in tests/programs/test_program_axis_walk.py.
NESTED = {
    "program-mentor-list": "mentor-list",
    "program-mentor-detail": "mentor-detail",
    "program-mentor-recommended": "mentor-recommended",
    "program-match-round-list": "match-round-list",
    "program-match-round-detail": "match-round-detail",
    "program-match-round-proposals": "match-round-proposals",
    "program-match-round-override": "match-round-override",
    "program-match-round-candidates": "match-round-candidates",
    "program-match-round-unmatched": "match-round-unmatched",
    "program-match-round-publish": "match-round-publish",
    "program-match-round-cancel": "match-round-cancel",
    "program-match-round-rerun": "match-round-rerun",
    "program-participants-import": "participants-import",
}
TABLE.update(
    {
        (nested, method): TABLE[(flat, method)]
        for (flat, method) in list(TABLE)
        for nested in NESTED
        if NESTED[nested] == flat
    }
)
# Nested paths with no flat twin, walked on `main` too.
NESTED_ONLY = {
    ("program-report", "GET"): (ADMINS_ONLY, None),
    # A program's peers are its peers' and admins' business: in `main` (one-on-one) nobody here is a peer.
    ("program-peer-list", "GET"): (row(401, 404, 404, 404, 404, OK), None),
    ("program-at-risk", "GET"): (ADMINS_ONLY, None),
    ("program-at-risk-nudge", "POST"): (ADMINS_ONLY, None),
    # Surveys (issue 15): a program's admins write and read them; the walked one has answers from nobody yet.
    ("program-survey-list", "GET"): (ADMINS_ONLY, None),
    ("program-survey-list", "POST"): (ADMINS_ONLY, "survey"),
    ("program-survey-from-template", "POST"): (ADMINS_ONLY, {"template": "midpoint"}),
    ("program-survey-detail", "GET"): (ADMINS_ONLY, None),
    ("program-survey-detail", "PATCH"): (ADMINS_ONLY, {"title": "Walked"}),
    ("program-survey-close", "POST"): (ADMINS_ONLY, None),
    ("program-survey-results", "GET"): (ADMINS_ONLY, None),
    ("program-weights-fit", "POST"): (ADMINS_ONLY, None),  # no history in the walk's world: 409, past the checks
}
TABLE.update(NESTED_ONLY)


def _api_endpoints() -> set[tuple[str, str]]:
    """(route name, method) of every endpoint under /api/v1/, read from the URLconf."""
    found: set[tuple[str, str]] = set()

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and route.startswith("api/v1/") and pattern.name:
                if "format" in pattern.pattern.regex.groupindex:
                    continue  # DRF's optional `.json` suffix twins
                callback = pattern.callback
                actions = getattr(callback, "actions", None)
                if actions:
                    methods = [m for m in actions if m in callback.cls.http_method_names]
                else:
                    view = callback.view_class
                    methods = [m for m in ("get", "post", "put", "patch", "delete") if hasattr(view, m)]
                # HEAD and OPTIONS mirror GET and describe: they follow the same permissions.
                found.update((pattern.name, m.upper()) for m in methods if m not in ("head", "options"))

    walk(get_resolver().url_patterns, "")
    return found


def test_every_api_endpoint_has_a_row_in_the_table():
    endpoints = _api_endpoints()

    assert endpoints - TABLE.keys() == set(), "endpoints with no permission row"
    assert TABLE.keys() - endpoints == set(), "rows for endpoints that no longer exist"


@pytest.fixture
def world(db):
    """Maya is mentored by Otto; they have a session; Maya has a goal with a milestone and a pending request
    to Tara. Oscar (mentee) and Olga (mentor) are outsiders; Ada is a program admin."""
    people = {
        "mentee": MenteeFactory(username="maya"),
        "mentor": MentorFactory(username="otto"),
        "outsider_mentee": MenteeFactory(username="oscar"),
        "outsider_mentor": MentorFactory(username="olga"),
        "admin": AdminFactory(username="ada"),
    }
    tara = MentorFactory(username="tara")
    SignUpFactory(email="pending@example.org", username="pending", full_name="Pat Pending", token=SIGNUP_TOKEN)
    EmailChangeFactory(email="pending.change@example.org", token=EMAIL_CHANGE_TOKEN)
    EmailRevertFactory(user=MenteeFactory(username="moved", email="moved.away@example.org"), token=EMAIL_REVERT_TOKEN)
    mentorship = MentorshipFactory(mentee=people["mentee"], mentor=people["mentor"])
    match_round = MatchRoundFactory(status="proposed")
    proposal = MatchProposalFactory(round=match_round, mentee=people["outsider_mentee"], mentor=tara)
    goal = GoalFactory(mentee=people["mentee"])
    suggestion = SkillFactory(name="Quantum gardening", status="suggested", suggested_by=people["mentee"])
    people["mentee"].profile.wanted_skills.add(suggestion)
    # The request walked is Maya's to Otto: accepting it meets a conflict (409), which is past the checks.
    request = RequestFactory(mentee=people["mentee"], mentor=people["mentor"])
    survey = _survey(people)
    return {
        "people": people,
        "tara": tara,
        "kwargs": {
            "program-survey-detail": {"pk": survey.pk},
            "program-survey-close": {"pk": survey.pk},
            "program-survey-results": {"pk": survey.pk},
            "survey": {"pk": survey.pk},
            "survey-pending": {},
            "mentor-detail": {"id": people["mentor"].pk},
            "request": {"pk": request.pk},
            "mentorship": {"pk": mentorship.pk},
            "session-list": {"mentorship_pk": mentorship.pk},
            "session": {"mentorship_pk": mentorship.pk, "pk": SessionFactory(mentorship=mentorship).pk},
            "meeting-list": {"mentorship_pk": mentorship.pk},
            "meeting": {"mentorship_pk": mentorship.pk, "pk": _meeting(mentorship).pk},
            "calendar-feed": {"secret": people["mentee"].profile.calendar_secret},
            "agreement": {"mentorship_pk": mentorship.pk},
            "agreement-confirm": {"mentorship_pk": mentorship.pk},
            "action-item-list": {"mentorship_pk": mentorship.pk},
            "action-item": {
                "mentorship_pk": mentorship.pk,
                "pk": ActionItem.objects.create(
                    mentorship=mentorship, title="Walked", owner=people["mentee"], created_by=people["mentee"]
                ).pk,
            },
            "message-list": {"mentorship_pk": mentorship.pk},
            "message": {"mentorship_pk": mentorship.pk},
            "mentorship-skill-ratings": {"mentorship_pk": mentorship.pk},
            "goal": {"pk": goal.pk},
            "milestone-list": {"goal_pk": goal.pk},
            "milestone": {"goal_pk": goal.pk, "pk": MilestoneFactory(goal=goal).pk},
            "match-round": {"pk": match_round.pk},
            "match-round-override": {"pk": match_round.pk, "proposal_id": proposal.pk},
            "match-round-candidates": {"pk": match_round.pk, "proposal_id": proposal.pk},
            "skill-suggestion": {"pk": suggestion.pk},
            "program": {"slug": "main"},
            "program-at-risk-nudge": {"mentorship_id": mentorship.pk},
            "program-member-list": {"program": "main"},
            "program-member": {
                "program": "main",
                "pk": people["mentor"].memberships.get(program__slug="main").pk,
            },
        },
        "proposal": proposal,
        "goal": goal,
        "approved_skill": SkillFactory(name="Gardening"),
    }


def _survey(people):
    """A survey of `main` with one optional question, asked of Maya and Otto."""
    survey = survey_create(
        program=program_default(),
        created_by=None,
        title="Walked survey",
        audience="all",
        trigger="days_after_start",
        trigger_days=10,
        questions=[{"kind": "likert", "text": "Walked?", "required": False}],
    )
    for persona, side in (("mentee", "mentee"), ("mentor", "mentor")):
        SurveyInvitation.objects.create(survey=survey, user=people[persona], side=side)
    return survey


def _meeting(mentorship) -> Meeting:
    meeting = Meeting.objects.create(
        mentorship=mentorship,
        organiser=mentorship.mentor,
        starts_at=timezone.now() + dt.timedelta(days=2),
        timezone="Europe/London",
        duration_minutes=30,
    )
    meeting.attendees.set(mentorship.people())
    return meeting


def _url(name: str, world) -> str:
    """Route names carry their object's kwargs by full name (`session-list`) or by base (`session-detail`); a
    program's nested path those of its flat twin, in `main`."""
    if name in NESTED or any(name == nested for nested, _ in NESTED_ONLY):
        flat = NESTED.get(name)
        own = world["kwargs"].get(name, {})
        return reverse(name, kwargs={"program": "main", **(_kwargs(flat, world) if flat else own)})
    return reverse(name, kwargs=_kwargs(name, world))


def _kwargs(name: str, world) -> dict:
    kwargs = world["kwargs"]
    base, _, kind = name.rpartition("-")
    default = {} if kind == "list" else kwargs.get(base, {})
    return kwargs.get(name, default)


def _body(body, world):
    if body == "register":
        return {
            "username": "newcomer",
            "email": "newcomer@example.org",
            "password": "a-long-unusual-secret",
            "role": "mentee",
            "full_name": "New Comer",
        }
    if body == "confirm":
        return {"token": SIGNUP_TOKEN}
    if body == "new_request":
        return {"mentor": world["tara"].pk, "message": "Hello"}
    if body == "override":
        return {"mentor": world["people"]["outsider_mentor"].pk}
    if body == "action_item":
        return {"title": "Walked", "owner": world["people"]["mentee"].pk}
    if body == "merge":
        return {"into": world["approved_skill"].pk}
    if body == "survey":
        return {
            "title": "Walked",
            "audience": "all",
            "trigger": "on_completion",
            "questions": [{"kind": "likert", "text": "Walked?"}],
        }
    if body == "skill_ratings":
        return {"stage": "start", "ratings": [{"skill": world["approved_skill"].pk, "level": 3}]}
    if body == "progress":
        return {"ratings": [{"goal": world["goal"].pk, "rating": 4}]}
    return body


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "method"), sorted(TABLE))
def test_who_may_do_what(world, name, method, persona):
    expected, body = TABLE[(name, method)]
    client = APIClient() if persona == "anonymous" else client_for(world["people"][persona])

    response = getattr(client, method.lower())(_url(name, world), _body(body, world), format="json")

    got = response.status_code
    assert got < 500
    if name not in ("schema", "api-docs"):
        assert_matches_schema(response)
    if expected[persona] == OK:
        assert got not in (401, 403, 404), f"{persona} {method} {name}: {got} {getattr(response, 'data', '')}"
    else:
        assert got == expected[persona], f"{persona} {method} {name}: {got}"


def test_the_walk_reaches_the_conflict_beyond_the_checks(world):
    """The mentor's accept in the walk passes every check and stops at the state: a 409, not a pass by luck."""
    url = reverse("request-accept", kwargs=world["kwargs"]["request"])
    assert client_for(world["people"]["mentor"]).post(url).status_code == 409
