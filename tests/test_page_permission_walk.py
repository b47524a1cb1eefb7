"""Every server-rendered page against every persona, in a world where the objects belong to different people: who
gets the page and sees their own things on it, who is sent to sign in, who may not (403), and who must not learn
that the object exists (404). A 200 page shows the persona's own objects and nothing private of anyone else's;
a refusal shows nobody's name but the visitor's.

The table is checked against the URLconf: a new page without a row here fails the test. The actions on the pages
are API calls, walked in tests/test_permission_walk.py; pages that have an API twin must refuse as the API does.
"""

import re
from dataclasses import dataclass

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from evaluation.models import SurveyInvitation
from evaluation.surveys import survey_create
from notifications.models import Notification
from programs.models import Program
from tests.factories import (
    PASSWORD,
    GoalFactory,
    MatchProposalFactory,
    MatchRoundFactory,
    MemberFactory,
    MembershipFactory,
    MenteeFactory,
    MentorFactory,
    MentorshipFactory,
    ProgramFactory,
    RequestFactory,
    SessionFactory,
    SkillFactory,
    UserFactory,
)
from tests.test_permission_walk import OK as API_OK
from tests.test_permission_walk import TABLE as API_TABLE

PERSONAS = ("anonymous", "mentee", "mentor", "outsider_mentee", "outsider_mentor", "admin")
SIGN_IN = "sign in"  # a 302 to the sign-in page
HOME = "home"  # a 302 to /home/: the page is for visitors who are not signed in


@dataclass(frozen=True)
class Shows:
    """A 200 whose body holds these things of the world (keys of CAST)."""

    things: tuple[str, ...] = ()


def shows(*things: str) -> Shows:
    return Shows(things)


OK = shows()


def row(anonymous, mentee, mentor, outsider_mentee, outsider_mentor, admin):
    return dict(zip(PERSONAS, (anonymous, mentee, mentor, outsider_mentee, outsider_mentor, admin), strict=True))


ANYONE = row(OK, OK, OK, OK, OK, OK)
SIGNED_OUT_ONLY = row(OK, HOME, HOME, HOME, HOME, HOME)
ADMINS_ONLY = row(SIGN_IN, 403, 403, 403, 403, OK)
TO_ITS_PAGE = row(*[302] * len(PERSONAS))
PROGRAM_ADMINS_ONLY = row(SIGN_IN, 404, 404, 404, 404, OK)  # a program's people are its admins' business

# Maya is mentored by Otto, Oscar by Olga; Wendy waits for Otto's answer and is in Ada's match round with Tara.
# The mentorship, mentor and round pages are Maya and Otto's, Otto's and the round's. In other formats: Maya and Gus
# are in Otto's circle (a group program), Maya and Pax are a peer pair (a peer program, whose peers page is walked).
TABLE = {
    "landing": SIGNED_OUT_ONLY,
    "signup": SIGNED_OUT_ONLY,
    "signup-sent": ANYONE,
    # An emailed link goes on at once to its page, which has no token in its address (access logs keep paths).
    "signup-confirm": TO_ITS_PAGE,
    "email-change-confirm": TO_ITS_PAGE,
    "email-revert": TO_ITS_PAGE,
    # Walked after a link that names no sign-up, change or way back: the link is the key, not the visitor.
    "signup-confirm-page": ANYONE,
    "email-change-confirm-page": ANYONE,
    "email-revert-page": ANYONE,
    "login": SIGNED_OUT_ONLY,
    "logout": row(405, 405, 405, 405, 405, 405),  # a form that posts; no page to GET
    "password_reset": ANYONE,
    "password_reset_done": ANYONE,
    "password_reset_complete": ANYONE,
    "home": row(
        SIGN_IN,
        shows("otto", "maya_goal"),
        shows("maya", "wendy"),
        shows("olga", "oscar_goal"),
        shows("oscar"),
        shows("round"),
    ),
    "profile-page": row(
        SIGN_IN,
        shows("maya_email"),
        shows("otto_email", "otto_suggestion"),
        shows("oscar_email"),
        shows("olga_email"),
        shows("ada"),  # every account has a profile (site staff may mentor somewhere too)
    ),
    # Otto's suggested skill waits for review: only he and admins see it (his page shows it to him alone).
    "mentor-directory": row(SIGN_IN, *[shows("otto", "olga", "tara")] * 5),
    "mentor-page": row(SIGN_IN, shows("otto"), shows("otto", "otto_suggestion"), *[shows("otto")] * 3),
    # The same pages at the program's own address (everyone here is in `main`); another program's: see
    # tests/mentorship/test_programs_scope.py and tests/programs/test_program_axis_walk.py.
    "program-mentor-directory": row(SIGN_IN, *[shows("otto", "olga", "tara")] * 5),
    "program-mentor-page": row(SIGN_IN, shows("otto"), shows("otto", "otto_suggestion"), *[shows("otto")] * 3),
    "request-list-page": row(
        SIGN_IN,
        shows("otto"),
        shows("maya", "wendy", "wendy_message"),
        shows("olga"),
        shows("oscar"),
        shows("otto", "olga"),  # admins read every request; the page names the mentor
    ),
    "mentorship-list-page": row(
        SIGN_IN, shows("otto"), shows("maya"), shows("olga"), shows("oscar"), shows("otto", "olga")
    ),
    "mentorship-page": row(
        SIGN_IN,
        shows("otto", "maya_goal", "maya_notes"),
        shows("maya", "maya_goal", "maya_notes"),
        404,
        404,
        shows("maya", "otto", "maya_goal", "maya_notes"),
    ),
    # Its people's skill levels: theirs and their mentor's (the report shows admins averages only).
    "mentorship-skills-page": row(SIGN_IN, shows("otto"), shows("maya"), 404, 404, 404),
    # A peer program's peers page is its peers' and admins' (the program is open: others may see that it exists).
    "peer-directory": row(SIGN_IN, shows("pax"), 403, 403, 403, shows("maya", "pax")),
    # Mentors read their mentees' goals on each mentorship page; admins have no goals of their own.
    "goal-list-page": row(SIGN_IN, shows("maya_goal"), 403, shows("oscar_goal"), 403, 403),
    "round-list-page": {**ADMINS_ONLY, "admin": shows("round")},
    "round-page": {**ADMINS_ONLY, "admin": shows("round", "wendy", "tara")},
    "import-page": ADMINS_ONLY,
    "taxonomy-page": {**ADMINS_ONLY, "admin": shows("otto_suggestion", "otto")},
    "reports-page": {**ADMINS_ONLY, "admin": shows("round")},
    # The report as a PDF file: no HTML to look into (its content: tests/evaluation/test_report_pdf.py).
    "reports-pdf": {**ADMINS_ONLY, "admin": 200},
    # The people behind the report's funnel: Maya joined `main` and was matched (tests/evaluation walk the others).
    "program-report-drill-down-page": {**ADMINS_ONLY, "admin": shows("maya")},
    # Programs: everyone here is in `main`; an admin of another program is walked in tests/programs.
    "program-list-page": row(SIGN_IN, OK, OK, OK, OK, OK),
    "program-switch": row(SIGN_IN, 405, 405, 405, 405, 405),  # the navigation's form posts; no page to GET
    "program-page": row(SIGN_IN, OK, OK, OK, OK, OK),
    "program-participants-page": {
        **PROGRAM_ADMINS_ONLY,
        "admin": shows("maya", "otto", "oscar", "olga", "maya_email", "otto_email"),
    },
    "program-settings-page": PROGRAM_ADMINS_ONLY,
    # As the API: 403 for who administers no program, 404 for an admin of another (tests/mentorship/test_at_risk.py).
    "program-at-risk-page": ADMINS_ONLY,
    # Surveys: a program's admins' (as the API: 403, or 404 for an admin of another program); the walked survey was
    # asked of Maya and Otto, and nobody else learns it exists.
    "program-surveys-page": ADMINS_ONLY,
    "program-survey-page": ADMINS_ONLY,
    "survey-list-page": row(SIGN_IN, OK, OK, OK, OK, OK),
    "survey-answer-page": row(SIGN_IN, OK, OK, 404, 404, 404),
    "program-weights-page": ADMINS_ONLY,  # as its fit's API (tests/evaluation/test_weights_page.py)
    "invitation-link": TO_ITS_PAGE,
    "invitation-page": ANYONE,
    # Everyone's own inbox: Maya's notice is hers alone.
    "notification-list-page": row(SIGN_IN, shows("maya_notice"), shows("otto_notice"), OK, OK, OK),
    "notification-settings-page": row(SIGN_IN, OK, OK, OK, OK, OK),
}

# The mentorship page of a circle and of a peer pair: a member reads the others' names and shared goals, never their
# private ones; the mentor and the program's admins read every member's goals.
FORMAT_PAGES = {
    "circle": row(
        SIGN_IN,
        shows("otto", "gus", "gus_shared_goal"),
        shows("maya", "gus", "gus_goal", "gus_shared_goal"),
        404,
        404,
        shows("otto", "maya", "gus", "gus_goal"),
    ),
    "pair": row(SIGN_IN, shows("pax", "pax_shared_goal"), 404, 404, 404, shows("maya", "pax", "pax_goal")),
}

# Not walked: the reset link's page needs a token mailed to one person (its owner check is below).
NOT_WALKED = {"password_reset_confirm"}
NOT_PAGES = ("api/", "django-admin/", "healthz", "static/")

CAST = {
    "maya": "Maya Mentee",
    "otto": "Otto Mentor",
    "oscar": "Oscar Outsider",
    "olga": "Olga Othermentor",
    "ada": "Ada Admin",
    "tara": "Tara Thirdmentor",
    "wendy": "Wendy Waiting",
    "maya_email": "maya@example.org",
    "otto_email": "otto@example.org",
    "oscar_email": "oscar@example.org",
    "olga_email": "olga@example.org",
    "maya_goal": "Speak at a conference",
    "maya_notes": "Rehearsed the keynote",
    "oscar_goal": "Ship a Rust crate",
    "oscar_notes": "Paired on the borrow checker",
    "wendy_message": "Could you help me change careers?",
    "round": "Spring cohort",
    "otto_suggestion": "Quantum gardening",
    "gus": "Gus Groupmember",
    "gus_goal": "Negotiate a budget",
    "gus_shared_goal": "Chair the weekly meeting",
    "pax": "Pax Peerpartner",
    "pax_goal": "Learn Rust macros",
    "pax_shared_goal": "Write a small compiler",
    "maya_notice": "Your proposal for a reading list",
    "otto_notice": "Your circle has a new meeting",
}
PEOPLE = {"maya", "otto", "oscar", "olga", "ada", "tara", "wendy", "gus", "pax"}
MENTORS = {"otto", "olga", "tara"}
RECOMMENDS_MENTORS = {"home"}  # a mentee's home may recommend any mentor with room
OWN = {
    "anonymous": set(),
    "mentee": {"maya", "maya_email", "maya_notice"},
    "mentor": {"otto", "otto_email", "otto_suggestion", "otto_notice"},
    "outsider_mentee": {"oscar", "oscar_email"},
    "outsider_mentor": {"olga", "olga_email"},
    "admin": {"ada"},
}
# What a page may show each persona besides what its row says: their own things and those of the people they work
# with. Anything else of the world on the page is a leak.
MAY_KNOW = {
    "anonymous": set(),
    "mentee": OWN["mentee"] | {"otto", "maya_goal", "maya_notes", "gus", "gus_shared_goal", "pax", "pax_shared_goal"},
    "mentor": OWN["mentor"]
    | {"maya", "maya_goal", "maya_notes", "wendy", "wendy_message", "gus", "gus_goal"}
    | {"gus_shared_goal"},
    "outsider_mentee": OWN["outsider_mentee"] | {"olga", "oscar_goal", "oscar_notes"},
    "outsider_mentor": OWN["outsider_mentor"] | {"oscar", "oscar_goal", "oscar_notes"},
    "admin": set(CAST),
}

# Pages that show what an API endpoint returns refuse whom it refuses, with the same code. Not twins: /goals/ and
# /profile/ are one role's pages (a mentee's own goals, a participant's profile form), where the API's goal list and
# /me/ answer every role.
API_TWINS = {
    "mentor-directory": "mentor-list",
    "mentor-page": "mentor-detail",
    "program-mentor-directory": "program-mentor-list",
    "program-mentor-page": "program-mentor-detail",
    "request-list-page": "request-list",
    "mentorship-list-page": "mentorship-list",
    "mentorship-page": "mentorship-detail",
    "mentorship-skills-page": "mentorship-skill-ratings",
    "round-list-page": "match-round-list",
    "round-page": "match-round-detail",
    "taxonomy-page": "skill-suggestion-list",
    "program-list-page": "program-list",
    "program-page": "program-detail",
    "program-participants-page": "program-member-list",
    "notification-list-page": "notification-list",
    "program-at-risk-page": "program-at-risk",
    "program-surveys-page": "program-survey-list",
    "program-survey-page": "program-survey-results",
    "survey-list-page": "survey-pending",
}


def _pages() -> set[str]:
    """Route names of every page: every pattern of the URLconf outside the API, Django's admin and health."""
    found: set[str] = set()

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and not route.startswith(NOT_PAGES):
                assert pattern.name, f"the page at /{route} has no name to give it a row"
                found.add(pattern.name)

    walk(get_resolver().url_patterns, "")
    return found - NOT_WALKED


def test_every_page_has_a_row_in_the_table():
    pages = _pages()

    assert pages - TABLE.keys() == set(), "pages with no permission row"
    assert TABLE.keys() - pages == set(), "rows for pages that no longer exist"


@pytest.mark.parametrize("page", sorted(API_TWINS))
def test_a_page_refuses_whom_its_api_refuses(page):
    api = API_TABLE[(API_TWINS[page], "GET")][0]
    for persona in PERSONAS:
        on_page, on_api = TABLE[page][persona], api[persona]
        as_api = {SIGN_IN: 401}.get(on_page, API_OK if isinstance(on_page, Shows) else on_page)
        assert as_api == on_api, f"{persona}: the page says {on_page}, the API {on_api}"


@pytest.fixture
def world(mentee, mentor, outsider, outsider_mentor, admin_user):
    """Maya is mentored by Otto and Oscar by Olga, each with a goal and a session; Wendy's request waits for
    Otto; Ada's round proposes Tara to Wendy."""
    tara = MentorFactory(username="tara", full_name=CAST["tara"])
    wendy = MenteeFactory(username="wendy", full_name=CAST["wendy"])
    ours = MentorshipFactory(mentee=mentee, mentor=mentor)
    theirs = MentorshipFactory(mentee=outsider, mentor=outsider_mentor)
    for mentorship, goal, notes in ((ours, "maya_goal", "maya_notes"), (theirs, "oscar_goal", "oscar_notes")):
        GoalFactory(mentee=mentorship.mentee, title=CAST[goal])
        SessionFactory(mentorship=mentorship, notes=CAST[notes])
        RequestFactory(mentee=mentorship.mentee, mentor=mentorship.mentor, status="accepted")
    RequestFactory(mentee=wendy, mentor=mentor, message=CAST["wendy_message"])
    match_round = MatchRoundFactory(
        name=CAST["round"], status="proposed", created_by=admin_user, stats={"matched": 1, "mean_score": 0.5}
    )
    MatchProposalFactory(round=match_round, mentee=wendy, mentor=tara)
    suggestion = SkillFactory(name=CAST["otto_suggestion"], status="suggested", suggested_by=mentor)
    mentor.profile.skills.add(suggestion, SkillFactory(name="Public speaking"))
    circle, pair = _other_formats(mentee, mentor)
    survey = _survey(asked=(mentee, mentor))
    for person, notice in ((mentee, "maya_notice"), (mentor, "otto_notice")):
        Notification.objects.create(recipient=person, kind="request", subject=CAST[notice], body=CAST[notice])
    return {
        "people": {
            "mentee": mentee,
            "mentor": mentor,
            "outsider_mentee": outsider,
            "outsider_mentor": outsider_mentor,
            "admin": admin_user,
        },
        "kwargs": {
            "mentor-page": {"mentor_id": mentor.pk},
            "program-mentor-directory": {"program": "main"},
            "program-mentor-page": {"program": "main", "mentor_id": mentor.pk},
            "mentorship-page": {"mentorship_id": ours.pk},
            "mentorship-skills-page": {"mentorship_id": ours.pk},
            "round-page": {"round_id": match_round.pk},
            "signup-confirm": {"token": "no-such-link"},
            "email-change-confirm": {"token": "no-such-link"},
            "email-revert": {"token": "no-such-link"},
            "program-page": {"slug": "main"},
            "program-participants-page": {"slug": "main"},
            "program-settings-page": {"slug": "main"},
            "program-at-risk-page": {"slug": "main"},
            "program-weights-page": {"slug": "main"},
            "program-report-drill-down-page": {"slug": "main", "section": "funnel"},
            "invitation-link": {"token": "no-such-link"},
            "program-surveys-page": {"slug": "main"},
            "program-survey-page": {"slug": "main", "survey_id": survey.pk},
            "survey-answer-page": {"survey_id": survey.pk},
            "peer-directory": {"program": "peers"},
        },
        "formats": {"circle": circle.pk, "pair": pair.pk},
    }


def _survey(*, asked):
    """A survey of `main`, asked of these people (their side in it: mentee, then mentor)."""
    survey = survey_create(
        program=Program.objects.get(slug="main"),
        created_by=None,
        title="How is it going?",
        audience="all",
        trigger="days_after_start",
        trigger_days=10,
        questions=[{"kind": "likert", "text": "We set clear goals."}],
    )
    for person, side in zip(asked, ("mentee", "mentor"), strict=True):
        SurveyInvitation.objects.create(survey=survey, user=person, side=side)
    return survey


def _other_formats(maya, otto):
    """Otto's circle in a group program, with Maya and Gus (a private goal and a shared one); Maya and Pax's pair in
    a peer program (Pax: a private goal and a shared one)."""
    circles = ProgramFactory(slug="circles", name="Circles", format="group")
    peers = ProgramFactory(slug="peers", name="Peers", format="peer")
    MembershipFactory(user=otto, program=circles, role="mentor", capacity=3)
    gus, pax = UserFactory(username="gus", full_name=CAST["gus"]), UserFactory(username="pax", full_name=CAST["pax"])
    for user, program, role in (
        (maya, circles, "mentee"),
        (gus, circles, "mentee"),
        (maya, peers, "peer"),
        (pax, peers, "peer"),
    ):
        MembershipFactory(user=user, program=program, role=role)
    circle = MentorshipFactory(program=circles, mentor=otto, mentee=maya)
    MemberFactory(mentorship=circle, user=gus)
    pair = MentorshipFactory(program=peers, mentor=None, mentee=maya)
    MemberFactory(mentorship=pair, user=pax)
    for owner, private, shared in ((gus, "gus_goal", "gus_shared_goal"), (pax, "pax_goal", "pax_shared_goal")):
        GoalFactory(mentee=owner, title=CAST[private])
        GoalFactory(mentee=owner, title=CAST[shared], shared=True)
    return circle, pair


def _in(thing: str, body: str) -> bool:
    """People are looked for by first name as a word too (pages call Maya "Maya"); anything else as written."""
    if thing in PEOPLE:
        return re.search(r"\b" + re.escape(CAST[thing].split(" ")[0]) + r"\b", body) is not None
    return CAST[thing] in body


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", sorted(TABLE))
def test_who_sees_which_page(client: Client, world, page, persona):
    expected = TABLE[page][persona]
    if persona != "anonymous":
        client.force_login(world["people"][persona])

    response = client.get(reverse(page, kwargs=world["kwargs"].get(page, {})))

    # A file (the report's PDF) is read as bytes: its text is compressed, so "leaked" looks at the pages only.
    body = response.content.decode(errors="replace")
    if isinstance(expected, Shows):
        assert response.status_code == 200, f"{persona} on {page}: {response.status_code}"
        assert [t for t in expected.things if not _in(t, body)] == [], f"{persona} on {page}: missing"
        allowed = MAY_KNOW[persona] | set(expected.things) | (MENTORS if page in RECOMMENDS_MENTORS else set())
        assert [t for t in CAST if t not in allowed and _in(t, body)] == [], f"{persona} on {page}: leaked"
    else:
        if expected == SIGN_IN:
            assert response.status_code == 302, f"{persona} on {page}: {response.status_code}"
            assert response["Location"].startswith(reverse("login") + "?next=")
        elif expected == HOME:
            assert response.status_code == 302, f"{persona} on {page}: {response.status_code}"
            assert response["Location"] == reverse("home")
        else:
            assert response.status_code == expected, f"{persona} on {page}: {response.status_code}"
        assert [t for t in CAST if t not in OWN[persona] and _in(t, body)] == [], f"{persona} on {page}: leaked"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("kind", sorted(FORMAT_PAGES))
def test_who_sees_a_circle_and_a_peer_pair(client: Client, world, kind, persona):
    expected = FORMAT_PAGES[kind][persona]
    if persona != "anonymous":
        client.force_login(world["people"][persona])

    response = client.get(reverse("mentorship-page", kwargs={"mentorship_id": world["formats"][kind]}))

    # A file (the report's PDF) is read as bytes: its text is compressed, so "leaked" looks at the pages only.
    body = response.content.decode(errors="replace")
    if isinstance(expected, Shows):
        assert response.status_code == 200, f"{persona} on the {kind}: {response.status_code}"
        assert [t for t in expected.things if not _in(t, body)] == [], f"{persona} on the {kind}: missing"
        allowed = MAY_KNOW[persona] | set(expected.things)
        assert [t for t in CAST if t not in allowed and _in(t, body)] == [], f"{persona} on the {kind}: leaked"
    elif expected == SIGN_IN:
        assert response.status_code == 302 and response["Location"].startswith(reverse("login") + "?next=")
    else:
        assert response.status_code == expected, f"{persona} on the {kind}: {response.status_code}"
        assert [t for t in CAST if t not in OWN[persona] and _in(t, body)] == [], f"{persona} on the {kind}: leaked"


def test_someone_elses_mentorship_reads_like_one_that_does_not_exist(client, world):
    client.force_login(world["people"]["outsider_mentee"])
    theirs = reverse("mentorship-page", kwargs=world["kwargs"]["mentorship-page"])

    def page(url: str) -> str:
        return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", client.get(url).content.decode())

    assert page(theirs) == page(reverse("mentorship-page", kwargs={"mentorship_id": 0}))


# The forms that post to Django's own views rather than to the API (sign in, sign out, password reset): none of them
# lets one person touch another's account. Sign-up posts to the API, walked with it.


def test_failed_sign_ins_against_someone_lock_them_out_only_until_they_choose_a_new_password(world):
    """Oscar guessing Maya's password is throttled at his address and, at SIGN_IN_FAILURE_LIMIT, locks Maya's
    username wherever she signs in from: the price of stopping guesses spread over many addresses. Her right
    password then reads as a wrong one until the lockout ends, or until she chooses a new password through the
    reset link, which lets her in at once."""
    oscar = Client(REMOTE_ADDR="10.0.0.66")
    guesses = [oscar.post(reverse("login"), {"username": "maya", "password": "guess"}) for _ in range(11)]
    maya = Client(REMOTE_ADDR="10.0.0.1")

    locked = maya.post(reverse("login"), {"username": "maya", "password": PASSWORD})
    maya.post(reverse("password_reset"), {"email": CAST["maya_email"]})
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[-1].body).group(1)
    form = maya.get(link, follow=True)
    maya.post(form.redirect_chain[-1][0], {"new_password1": "a-new-long-secret", "new_password2": "a-new-long-secret"})
    signed_in = maya.post(reverse("login"), {"username": "maya", "password": "a-new-long-secret"})

    assert guesses[-1].status_code == 429
    assert locked.status_code == 200 and "correct username and password" in locked.content.decode()
    assert signed_in.status_code == 302
    assert signed_in["Location"] == reverse("home")


def test_signing_out_ends_only_ones_own_session(world):
    maya, oscar = Client(), Client()
    maya.force_login(world["people"]["mentee"])
    oscar.force_login(world["people"]["outsider_mentee"])

    oscar.post(reverse("logout"))

    assert oscar.get(reverse("home")).status_code == 302
    assert maya.get(reverse("home")).status_code == 200


def test_asking_a_reset_for_someone_else_mails_only_them_and_changes_nothing(client, world):
    client.force_login(world["people"]["outsider_mentee"])
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.org"})

    response = client.post(reverse("password_reset"), {"email": CAST["maya_email"]})

    assert response.status_code == unknown.status_code == 302
    assert response["Location"] == unknown["Location"]  # the same answer whether the address is known or not
    assert [m.to for m in mail.outbox] == [[CAST["maya_email"]]]
    world["people"]["mentee"].refresh_from_db()
    assert world["people"]["mentee"].check_password(PASSWORD)


def test_a_reset_link_works_only_for_the_account_it_was_mailed_for(client, world):
    """Oscar's own valid token, put on Maya's account id, does not let him choose Maya's password."""
    maya, oscar = world["people"]["mentee"], world["people"]["outsider_mentee"]
    uid, token = urlsafe_base64_encode(force_bytes(maya.pk)), default_token_generator.make_token(oscar)
    url = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})

    response = client.post(url, {"new_password1": "a-new-long-secret", "new_password2": "a-new-long-secret"})

    assert response.status_code == 200
    assert response.context["validlink"] is False
    maya.refresh_from_db()
    assert maya.check_password(PASSWORD)
