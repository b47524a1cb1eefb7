"""Every page each role sees, at phone and desktop widths: it renders, fits the screen, logs no error, names every
control, never skips a heading level, and axe-core finds no WCAG 2.0–2.2 A or AA violation on it.

The walk is driven by WALK, which must name every page of the URLconf (as the permission walk's table does) and
visit each as every role that may see it: a new page is audited by being listed.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import expect

from evaluation.models import SurveyInvitation
from evaluation.surveys import survey_answer, survey_from_template
from matching.models import UnmatchedMentee
from mentorship.models import Feedback, Meeting, Nudge
from notifications.models import Notification
from programs.models import Invitation, Program
from tests import formats
from tests.browser.conftest import axe_violations, serve_axe_core
from tests.browser.test_sign_in import sign_in
from tests.factories import (
    PASSWORD,
    AdminFactory,
    EmailChangeFactory,
    EmailRevertFactory,
    GoalFactory,
    MatchProposalFactory,
    MatchRoundFactory,
    MemberFactory,
    MembershipFactory,
    MenteeFactory,
    MentorFactory,
    MentorshipFactory,
    MilestoneFactory,
    ProgramFactory,
    RequestFactory,
    SessionFactory,
    SignUpFactory,
    SkillFactory,
    UserFactory,
    with_profile,
)
from tests.test_page_permission_walk import NOT_WALKED, Shows, _pages
from tests.test_page_permission_walk import TABLE as PERMISSIONS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANONYMOUS, MENTEE, MENTOR, ADMIN = "anonymous", "maya", "otto", "ada"
ROLE_OF_PERSONA = {"anonymous": ANONYMOUS, "mentee": MENTEE, "mentor": MENTOR, "admin": ADMIN}
SIGNED_IN = (MENTEE, MENTOR, ADMIN)


@dataclass
class Visit:
    """One visit of a page: by whom, with which URL arguments (names of values of the world), and what is appended
    to the URL (a query or a #fragment)."""

    who: tuple[str, ...]
    kwargs: dict[str, str] = field(default_factory=dict)
    then: str = ""
    status: int = 200


def visit(*who: str, then: str = "", status: int = 200, **kwargs: str) -> Visit:
    return Visit(who, kwargs, then, status)


# Each page by route name, visited in each state worth seeing (a form and its refusal, a valid and a dead link).
WALK = {
    "landing": [visit(ANONYMOUS)],
    "signup": [visit(ANONYMOUS), visit(ANONYMOUS, then="?role=mentor")],
    "signup-sent": [visit(ANONYMOUS, then="#nia%40example.org")],
    # An emailed link keeps its token in the session and sends the browser on to the same address without it.
    "signup-confirm": [visit(ANONYMOUS, token="signup_token"), visit(ANONYMOUS, token="dead_token")],
    "signup-confirm-page": [visit(ANONYMOUS)],
    "email-change-confirm": [
        visit(ANONYMOUS, token="email_change_token"),
        visit(MENTEE, token="email_change_token"),
        visit(ANONYMOUS, token="dead_token"),
    ],
    "email-change-confirm-page": [visit(ANONYMOUS)],
    "email-revert": [visit(ANONYMOUS, token="email_revert_token"), visit(ANONYMOUS, token="dead_token")],
    "email-revert-page": [visit(ANONYMOUS)],
    "login": [visit(ANONYMOUS)],
    "logout": [],  # a form that posts (in every signed-in page's header); no page to GET
    "password_reset": [visit(ANONYMOUS), visit(ANONYMOUS, then="?email=reverted")],
    "password_reset_done": [visit(ANONYMOUS)],
    "password_reset_confirm": [
        visit(ANONYMOUS, uidb64="maya_uid", token="maya_reset_token"),
        visit(ANONYMOUS, uidb64="maya_uid", token="dead_token"),
    ],
    "password_reset_complete": [visit(ANONYMOUS)],
    # ?program= picks the current program: a peer's home, a circle's mentor's home.
    "home": [visit(*SIGNED_IN), visit(MENTEE, then="?program=peers"), visit(MENTOR, then="?program=circles")],
    "profile-page": [visit(*SIGNED_IN), visit(MENTEE, then="?saved=1")],
    "mentor-directory": [visit(*SIGNED_IN), visit(MENTEE, then="?q=nobody-by-this-name")],
    "mentor-page": [
        visit(*SIGNED_IN, mentor_id="otto"),  # Maya's own mentor: she may not ask again, and is told why
        visit(MENTEE, mentor_id="pia"),  # the request form
    ],
    "program-mentor-directory": [
        visit(*SIGNED_IN, program="main"),
        visit(MENTEE, program="spring"),
        visit(MENTEE, program="circles"),  # places in circles
    ],
    "program-mentor-page": [
        visit(*SIGNED_IN, program="main", mentor_id="otto"),
        visit(MENTEE, program="main", mentor_id="pia"),
        visit(MENTEE, program="circles", mentor_id="otto"),
    ],
    "request-list-page": [visit(*SIGNED_IN), visit(MENTEE, then="?sent=1")],
    "mentorship-list-page": [visit(*SIGNED_IN)],
    "mentorship-page": [
        visit(*SIGNED_IN, mentorship_id="mentorship"),
        visit(*SIGNED_IN, mentorship_id="circle"),  # Otto's circle: Maya is a member
        visit(MENTEE, ADMIN, mentorship_id="pair"),  # Maya and Pax, peers
    ],
    # Skills: a form per open stage and the history; the mentor's page lists each member (admins: 404, as the API).
    "mentorship-skills-page": [
        visit(MENTEE, MENTOR, mentorship_id="mentorship"),
        visit(MENTEE, MENTOR, mentorship_id="circle"),
        visit(MENTEE, mentorship_id="pair"),
    ],
    "peer-directory": [visit(MENTEE, ADMIN, program="peers")],
    "goal-list-page": [visit(MENTEE)],
    # A group program's form asks for the smallest circle; a peer program's speaks of peers and partners.
    "round-list-page": [visit(ADMIN), visit(ADMIN, then="?program=circles"), visit(ADMIN, then="?program=peers")],
    "round-page": [
        visit(ADMIN, round_id="proposed_round"),
        visit(ADMIN, round_id="running_round"),
        visit(ADMIN, round_id="failed_round"),
        visit(ADMIN, round_id="stale_round"),
        visit(ADMIN, round_id="published_round"),
        visit(ADMIN, round_id="cancelled_round"),
        visit(ADMIN, round_id="circle_round", then="?program=circles"),
        visit(ADMIN, round_id="peer_round", then="?program=peers"),
    ],
    "import-page": [visit(ADMIN)],
    # Each format's report: a one-on-one program's, a group program's (its circles listed), a peer program's.
    "reports-pdf": [],  # a PDF file, not a page (tests/evaluation/test_report_pdf.py reads it)
    "reports-page": [
        visit(ADMIN),
        visit(ADMIN, then="?program=circles"),
        visit(ADMIN, then="?program=peers&from=2026-01-01"),
        visit(ADMIN, then="?from=2026-02-30", status=400),  # the period's form says what is wrong
    ],
    "taxonomy-page": [visit(ADMIN)],
    "program-list-page": [visit(*SIGNED_IN)],
    "program-switch": [],  # the navigation's switcher posts to it; no page to GET
    "program-page": [visit(*SIGNED_IN, slug="main"), visit(MENTEE, slug="spring")],
    "program-participants-page": [visit(ADMIN, slug="main"), visit(ADMIN, slug="main", then="?status=pending")],
    "program-settings-page": [visit(ADMIN, slug="main")],
    # A program with pairs at risk (quiet, rated low) and one without.
    "program-at-risk-page": [visit(ADMIN, slug="evening"), visit(ADMIN, slug="main")],
    # Too little history to fit (a fitted program's page: tests/browser/test_weights.py), and asked to fit anyway.
    "program-weights-page": [visit(ADMIN, slug="main"), visit(ADMIN, slug="main", then="?fit=1")],
    # Each list behind the report's numbers: people (the funnel, time to match), mentorships (cadence), goals.
    "program-report-drill-down-page": [
        visit(ADMIN, slug="main", section="funnel"),
        visit(ADMIN, slug="main", section="funnel", then="?step=matched&dropped=1"),
        visit(ADMIN, slug="main", section="time_to_match", then="?band=waiting"),
        visit(ADMIN, slug="circles", section="cadence", then="?band=too_new"),
        visit(ADMIN, slug="peers", section="goals", then="?status=milestones"),
        visit(ADMIN, slug="main", section="goals"),
        visit(ADMIN, slug="peers", section="ratings"),
        visit(ADMIN, slug="main", section="ratings", then="?from=2026-01-01"),
    ],
    # An invitation link keeps its token in the session and goes on to its page, as a sign-up link does.
    # Surveys: results shown (enough answers) and withheld (one); a survey to answer and one answered.
    "program-surveys-page": [visit(ADMIN, slug="main")],
    "program-survey-page": [
        visit(ADMIN, slug="main", survey_id="shown_survey"),
        visit(ADMIN, slug="main", survey_id="withheld_survey"),
        visit(ADMIN, slug="main", survey_id="shown_survey", then="?side=mentors&from=2030-01-02&to=2030-01-01"),
    ],
    "survey-list-page": [visit(*SIGNED_IN)],
    "survey-answer-page": [visit(MENTEE, MENTOR, survey_id="withheld_survey"), visit(MENTEE, survey_id="shown_survey")],
    "invitation-link": [visit(ANONYMOUS, token="invitation_token"), visit(ANONYMOUS, token="dead_token")],
    "invitation-page": [visit(ANONYMOUS)],
    "notification-list-page": [visit(*SIGNED_IN), visit(MENTEE, then="?page=2")],
    "notification-settings-page": [visit(*SIGNED_IN)],
}
# The pages people meet when something is refused.
ERROR_PAGES = [
    ("import-page", visit(MENTEE, status=403)),
    ("mentorship-page", visit(MENTEE, status=404, mentorship_id="no_such_id")),
]


def test_every_page_is_walked_by_every_role_that_may_see_it():
    """A public page is walked signed out; any other, as each of mentee, mentor and admin who gets it."""
    assert set(WALK) == _pages() | NOT_WALKED
    unwalked = []
    for page, rows in PERMISSIONS.items():
        seen_by = {role for p, role in ROLE_OF_PERSONA.items() if isinstance(rows[p], Shows)}
        must_walk = {ANONYMOUS} if ANONYMOUS in seen_by else seen_by
        walked = {who for v in WALK[page] for who in v.who}
        unwalked += [f"{page} as {role}" for role in sorted(must_walk - walked)]
    assert unwalked == []


@pytest.fixture
def world():
    """A program in full swing, so that each page shows its lists, forms and badges."""
    maya = with_profile(
        MenteeFactory(username="maya", full_name="Maya Mentee"), skills=["Python", "Public speaking"], industry="Health"
    )
    otto = with_profile(
        MentorFactory(username="otto", full_name="Otto Mentor"),
        skills=["Python", "Leadership"],
        industry="Health",
        bio="Twelve years of data engineering.\nI like helping people ship their first pipeline.",
    )
    pia = with_profile(MentorFactory(username="pia", full_name="Pia Python"), skills=["Python"], industry="Health")
    wendy = MenteeFactory(username="wendy", full_name="Wendy Waiting")
    ada = AdminFactory(username="ada", full_name="Ada Admin")
    SignUpFactory(email="nia@example.org", username="nia", full_name="Nia Newcomer", token="a-sign-up-link")
    EmailChangeFactory(user=maya, email="maya.new.address@example.org", token="an-email-change-link")
    moved = MenteeFactory(username="moved", email="a.rather.long.thieves.address@example.org")
    EmailRevertFactory(user=moved, email="a.rather.long.old.address@example.org", token="an-email-revert-link")

    mentorship = MentorshipFactory(mentee=maya, mentor=otto)
    goal = GoalFactory(mentee=maya, title="Ship a pipeline", target_date=timezone.localdate())
    goal.skills.set(maya.profile.skills.all())
    MilestoneFactory(goal=goal, title="Write the first stage", done=True)
    MilestoneFactory(goal=goal, title="Deploy it", due_date=timezone.localdate())
    GoalFactory(mentee=maya, title="Give a talk", status="achieved")
    rated = SessionFactory(mentorship=mentorship, topics=["delegation"])
    rated.goals.add(goal)
    Feedback.objects.create(session=rated, author=rated.mentorship.mentee, rating=5, comment="Very useful")
    SessionFactory(mentorship=mentorship, notes="Planned the deployment.")
    _meetings(mentorship)
    RequestFactory(mentee=maya, mentor=otto, status="accepted", responded_at=timezone.now())
    RequestFactory(mentee=maya, mentor=pia, status="declined", decline_reason="no_capacity")
    RequestFactory(mentee=wendy, mentor=otto, message="Could you help me change careers?")
    RequestFactory(mentee=wendy, mentor=pia, message="Or you?")

    proposed = MatchRoundFactory(
        name="Spring cohort",
        status="proposed",
        created_by=ada,
        stats={
            "matched": 1,
            "mentees": 2,
            "mentors": 2,
            "mean_score": 0.5,
            "blocking_pairs": 0,
            "unmatched": {"no_common_ground": 1},
        },
    )
    MatchProposalFactory(round=proposed, mentee=wendy, mentor=pia)
    UnmatchedMentee.objects.create(
        round=proposed, mentee=moved, reason="no_common_ground", details={"best_score": 0, "empty_profile": True}
    )
    # Skills waiting for review: on their authors' profile, goals and own mentor page, and in the admin's review.
    suggestion = SkillFactory(name="Quantum gardening", status="suggested", suggested_by=maya)
    maya.profile.wanted_skills.add(suggestion)
    goal.skills.add(suggestion)
    otto.profile.skills.add(SkillFactory(name="Platform engineering", status="suggested", suggested_by=otto))
    running = MatchRoundFactory(name="Summer cohort", status="running", progress=0.4, created_by=ada)
    failed = MatchRoundFactory(name="Autumn cohort", status="failed", error="No mentor has an open slot.")
    # Too old to publish; published with a proposal skipped (and why); cancelled: each offers what may be done.
    stats = {"matched": 2, "mentees": 2, "mentors": 2, "mean_score": 0.5, "blocking_pairs": 0}
    stale = MatchRoundFactory(
        name="Winter cohort", status="proposed", stats=stats, finished_at=timezone.now() - dt.timedelta(days=60)
    )
    MatchProposalFactory(round=stale, mentee=wendy, mentor=otto)
    published = MatchRoundFactory(
        name="Last winter",
        status="published",
        published_at=timezone.now(),
        stats={**stats, "published": 1, "skipped": 1, "skipped_reasons": {"mentor_full": 1}},
    )
    MatchProposalFactory(round=published, mentee=wendy, mentor=pia)
    MatchProposalFactory(round=published, mentee=maya, mentor=otto, skip_reason="mentor_full")
    cancelled = MatchRoundFactory(name="Cancelled cohort", status="cancelled", stats=stats)
    ProgramFactory(slug="circles", name="Circles", format="group")
    # Programs: Maya is also in a spring cohort (the switcher shows); Pia waits for approval; Nina is invited.
    spring = ProgramFactory(
        slug="spring", name="Spring cohort", kind="cohort", starts_on="2030-03-01", ends_on="2030-06-30"
    )
    MembershipFactory(user=maya, program=spring, role="mentor")
    MembershipFactory(user=UserFactory(username="pat", full_name="Pat Pending"), role="mentor", status="pending")
    invited = MembershipFactory(user=UserFactory(username="nina", full_name="Nina Invited"), status="invited")
    Invitation.objects.create(membership=invited, token_digest=Invitation.digest_of("an-invitation-link"))
    circle, pair, format_rounds = _circle_and_pair(maya, otto)
    _notices(maya, mentorship)
    _pairs_at_risk()
    shown_survey, withheld_survey = _surveys(maya, otto)
    return {
        "shown_survey": shown_survey.pk,
        "withheld_survey": withheld_survey.pk,
        "main": "main",
        "spring": "spring",
        **{section: section for section in ("funnel", "time_to_match", "cadence", "goals", "ratings")},
        "evening": "evening",
        "invitation_token": "an-invitation-link",
        "otto": otto.pk,
        "pia": pia.pk,
        "mentorship": mentorship.pk,
        "circle": circle.pk,
        "pair": pair.pk,
        "peers": "peers",
        "circles": "circles",
        "no_such_id": 0,
        "proposed_round": proposed.pk,
        "running_round": running.pk,
        "failed_round": failed.pk,
        "stale_round": stale.pk,
        "published_round": published.pk,
        "cancelled_round": cancelled.pk,
        **format_rounds,
        "signup_token": "a-sign-up-link",
        "email_change_token": "an-email-change-link",
        "email_revert_token": "an-email-revert-link",
        "dead_token": "not-a-link-we-sent",
        "maya_uid": urlsafe_base64_encode(force_bytes(maya.pk)),
        "maya_reset_token": default_token_generator.make_token(maya),
    }


def _surveys(maya, otto):
    """A closing survey of `main` answered by six (Maya among them: results show) and a mid-point one that Maya and
    Otto are asked and one other person answered (withheld)."""
    shown = survey_from_template(program=Program.objects.get(slug="main"), created_by=None, template="closing")
    withheld = survey_from_template(program=Program.objects.get(slug="main"), created_by=None, template="midpoint")
    for n in range(6):
        person = maya if n == 0 else UserFactory(username=f"answerer{n}")
        answers = [
            {"question": q.pk, "value": {"likert": 1 + n % 5, "choice": "Yes", "text": f"Thoughts number {n}"}[q.kind]}
            for q in shown.questions.all()
        ]
        SurveyInvitation.objects.create(survey=shown, user=person, side="mentee" if n % 2 else "mentor")
        survey_answer(survey_id=shown.pk, user=person, answers=answers)
    for person, side in ((maya, "mentee"), (otto, "mentor")):
        SurveyInvitation.objects.create(survey=withheld, user=person, side=side)
    return shown, withheld


def _notices(maya, mentorship):
    """A page and a half of notices for Maya: unread and read ones, with a link and without."""
    for n in range(30):
        Notification.objects.create(
            recipient=maya,
            kind="request" if n % 2 else "round",
            subject=f"Notice number {n}: Otto Mentor accepted your mentorship request",
            body="Hello Maya,\n\nOtto Mentor accepted your request.\n\nThe program team",
            link=reverse("mentorship-page", args=[mentorship.pk]) if n % 3 else "",
            read_at=timezone.now() if n < 20 else None,
        )


def _meetings(mentorship) -> None:
    """An upcoming meeting (with a place, a link and an agenda) and a past one waiting to be recorded."""
    people = mentorship.people()
    for days, extra in (
        (3, {"location": "Room 4", "video_url": "https://meet.example.org/abc", "agenda": "Review the plan"}),
        (-1, {}),
    ):
        meeting = Meeting.objects.create(
            mentorship=mentorship,
            organiser=people[0],
            starts_at=timezone.now() + dt.timedelta(days=days),
            timezone="Europe/London",
            duration_minutes=45,
            **extra,
        )
        meeting.attendees.set(people)


def _circle_and_pair(maya, otto):
    """Otto's circle in a group program (Maya, Gus and Hana in it, Ivo left; a session two of them came to, rated by
    one, and someone asking to join); Maya's pair with Pax in a peer program, with peers to ask, a peer asking Maya
    and a round's proposal Rosa has accepted."""
    circles = ProgramFactory(slug="circles", name="Leadership circles", format="group")
    peers = ProgramFactory(slug="peers", name="Peer learning", format="peer", mentee_limit=2)
    MembershipFactory(user=otto, program=circles, role="mentor", capacity=4)
    circle = MentorshipFactory(program=circles, mentor=otto, mentee=None)
    people = {}
    for name, headline in (("gus", "Team lead in logistics"), ("hana", "New manager at a bank"), ("ivo", "")):
        people[name] = formats.person(name, f"{name.title()} Groupmember", circles, "mentee", headline=headline)
    MembershipFactory(user=maya, program=circles, role="mentee")
    for member in (maya, people["gus"], people["hana"]):
        MemberFactory(mentorship=circle, user=member)
    MemberFactory(mentorship=circle, user=people["ivo"], status="left", left_at=timezone.now())
    GoalFactory(mentee=people["gus"], title="Chair the weekly meeting", shared=True)
    GoalFactory(mentee=people["hana"], title="Ask for a raise")
    session = SessionFactory(mentorship=circle, notes="Hard conversations.", attendees=[otto, maya, people["gus"]])
    Feedback.objects.create(session=session, author=people["gus"], rating=4, comment="Good practice")
    jo = formats.person("jo", "Jo Joiner", circles, "mentee")
    RequestFactory(program=circles, mentee=jo, mentor=otto)

    MembershipFactory(user=maya, program=peers, role="peer")
    pax = formats.person("pax", "Pax Peerpartner", peers, "peer", headline="Backend developer")
    pair = MentorshipFactory(program=peers, mentor=None, mentee=maya)
    MemberFactory(mentorship=pair, user=pax)
    GoalFactory(mentee=pax, title="Write a small compiler", shared=True)
    SessionFactory(mentorship=pair, notes="Paired on the parser.")
    _meetings(circle)
    _meetings(pair)
    quinn = formats.person("quinn", "Quinn Questioner", peers, "peer", headline="Product designer")
    quinn.profile.skills.set([SkillFactory(name="Figma"), SkillFactory(name="User research")])
    quinn.profile.wanted_skills.set([SkillFactory(name="Python")])
    rosa = formats.person("rosa", "Rosa Roundpicked", peers, "peer", headline="Data analyst")
    sol = formats.person("sol", "Sol Solo", peers, "peer")
    RequestFactory(program=peers, mentee=quinn, mentor=maya, message="Shall we pair on research skills?")
    RequestFactory(program=peers, mentee=rosa, mentor=maya, origin="match_round", sender_accepted_at=timezone.now())
    return circle, pair, _format_rounds(circles, peers, quinn, rosa, sol, jo)


def _pairs_at_risk():
    """The program `evening`: a pair that has not met since it started two months ago, and one whose last session
    was rated low a month ago (and was nudged)."""
    evening = ProgramFactory(slug="evening", name="Evening mentoring", session_cadence_days=7)
    long_ago = timezone.now() - dt.timedelta(days=60)
    MentorshipFactory(
        program=evening,
        mentor=formats.person("vic", "Vic Quietmentor", evening, "mentor"),
        mentee=formats.person("uma", "Uma Quietmentee", evening, "mentee"),
        started_at=long_ago,
    )
    low = MentorshipFactory(
        program=evening,
        mentor=formats.person("xan", "Xan Lowmentor", evening, "mentor"),
        mentee=formats.person("yara", "Yara Lowmentee", evening, "mentee"),
        started_at=long_ago,
    )
    session = SessionFactory(mentorship=low, date=timezone.localdate() - dt.timedelta(days=30))
    Feedback.objects.create(session=session, author=low.mentee, rating=1, comment="Not useful")
    Nudge.objects.create(mentorship=low)


def _format_rounds(circles, peers, quinn, rosa, sol, jo) -> dict:
    """A group round to review (a circle's new member, with why that circle; a circle left under the minimum) and a
    peer round (a pair explained both ways, the odd one out)."""
    circle_round = MatchRoundFactory(
        program=circles,
        name="Circles of spring",
        status="proposed",
        min_group_size=3,
        stats={"matched": 1, "mentees": 2, "mentors": 2, "mean_score": 0.4, "blocking_pairs": 0, "circles": 1,
               "circles_closed": 1, "unmatched": {"circles_too_small": 1}},
    )  # fmt: skip
    joining = MatchProposalFactory(round=circle_round, mentee=jo, mentor=circles.memberships.get(role="mentor").user)
    joining.explanation["circle"] = {"size": 4, "already": 3, "common_wants": ["Python"], "summary": "A circle of 4."}
    joining.save()
    UnmatchedMentee.objects.create(
        round=circle_round, mentee=formats.person("kit", "Kit Closedcircle", circles, "mentee"),
        reason="circles_too_small", details={"candidates": 1, "circles_closed": 1},
    )  # fmt: skip
    peer_round = MatchRoundFactory(
        program=peers,
        name="Peer pairs of spring",
        status="proposed",
        weights={"skills": 1.0, "industry": 0.5, "goals": 1.0, "language": 0.25},
        stats={"matched": 1, "peers": 3, "mean_score": 0.4, "blocking_pairs": 0, "stable": True, "method": "exact",
               "unmatched": {"left_over": 1}},
    )  # fmt: skip
    direction = {"shared_skills": [], "industry": None, "shared_goal_words": []}
    MatchProposalFactory(
        round=peer_round,
        mentee=quinn,
        mentor=rosa,
        explanation={
            "a": quinn.pk, "b": rosa.pk, "blocks": {"skills": 0.4}, "industry": None, "shared_languages": [],
            "a_helps_b": {**direction, "shared_skills": ["User research"]},
            "b_helps_a": {**direction, "shared_skills": ["Python"]},
        },
    )  # fmt: skip
    UnmatchedMentee.objects.create(round=peer_round, mentee=sol, reason="left_over", details={"odd_pool": True})
    return {"circle_round": circle_round.pk, "peer_round": peer_round.pk}


def _urls(who: str, world: dict) -> list[tuple[str, int]]:
    visits = [(page, v) for page, visits in WALK.items() for v in visits] + ERROR_PAGES
    return [
        (reverse(page, kwargs={name: world[key] for name, key in v.kwargs.items()}) + v.then, v.status)
        for page, v in visits
        if who in v.who
    ]


UNNAMED_CONTROLS = (
    "[...document.querySelectorAll('button, input:not([type=hidden]), select, textarea')]"
    ".filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')"
    " && !(el.tagName === 'BUTTON' && el.textContent.trim())).map(el => el.outerHTML)"
)
HEADINGS = (
    "[...document.querySelectorAll('h1, h2, h3, h4, h5, h6, [role=heading]')]"
    ".map(h => [Number(h.getAttribute('aria-level')) || Number(h.tagName[1]), h.textContent.trim().slice(0, 40)])"
)


def skipped_heading_levels(headings: list[list]) -> list[str]:
    """A page's outline starts at h1 and goes down one level at a time (up by any number)."""
    skips, previous = [], 0
    for level, text in headings:
        if level > previous + 1:
            skips.append(f"h{previous} → h{level} “{text}”" if previous else f"starts at h{level} “{text}”")
        previous = level
    return skips


# At phone width the page must also fit the narrowest phone the stylesheet holds for.
FIT_WIDTHS = {390: (390, 375), 1280: (1280,)}


@pytest.mark.parametrize("width", sorted(FIT_WIDTHS))
@pytest.mark.parametrize("who", [ANONYMOUS, MENTEE, MENTOR, ADMIN])
def test_every_page_is_accessible_fits_and_logs_no_error(browser, live_server, axe_core, world, who, width):
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 800})
    serve_axe_core(context)
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: msg.type == "error" and errors.append((msg.text, msg.location.get("url", ""))))
    page.on("pageerror", lambda error: errors.append((str(error), "")))
    if who != ANONYMOUS:
        sign_in(page, who, PASSWORD)
        expect(page).to_have_url(re.compile(r"/home/$"))

    problems = []
    for url, status in _urls(who, world):
        response = page.goto(url)
        found = [] if response.status == status else [f"answered {response.status}, not {status}"]
        if not page.get_by_role("heading", level=1).first.is_visible():
            found.append("no visible h1")
        found += [f"heading levels skip: {skip}" for skip in skipped_heading_levels(page.evaluate(HEADINGS))]
        found += [f"control without a name: {html}" for html in page.evaluate(UNNAMED_CONTROLS)]
        found += axe_violations(page)
        for fit in FIT_WIDTHS[width]:
            page.set_viewport_size({"width": fit, "height": 800})
            if page.evaluate("document.documentElement.scrollWidth") > fit:
                found.append(f"scrolls sideways at {fit}px")
        page.set_viewport_size({"width": width, "height": 800})
        problems += [f"{url}: {problem}" for problem in found]
    context.close()

    # Chromium logs a page that answers 403 or 404 as a failed load: those are the refusals walked on purpose.
    refusals = tuple(url for url, status in _urls(who, world) if status != 200)
    problems += [
        f"console: {text} ({url})"
        for text, url in errors
        if not (text.startswith("Failed to load resource") and url.endswith(refusals) and refusals)
    ]
    if problems:
        pytest.fail(f"as {who} at {width}px:\n" + "\n".join(problems), pytrace=False)


def test_the_audit_finds_what_it_is_there_to_find(page, axe_core):
    """The walk cannot pass by not looking: on a page given an image without a text and a label-less field, axe
    names both rules, under the page's own Content-Security-Policy."""
    serve_axe_core(page.context)
    page.goto("/")
    page.evaluate(
        """() => document.querySelector("main").append(
            Object.assign(document.createElement("img"), {src: "/static/img/favicon.svg"}),
            document.createElement("input"))"""
    )

    found = axe_violations(page)

    assert [line.split(" ")[0] for line in found] == ["image-alt", "label"]
    assert " at img: " in found[0]
    assert skipped_heading_levels([[1, "Mentors"], [3, "Otto"], [2, "About"], [4, "Sessions"]]) == [
        "h1 → h3 “Otto”",
        "h2 → h4 “Sessions”",
    ]
    assert skipped_heading_levels([[2, "About"]]) == ["starts at h2 “About”"]
