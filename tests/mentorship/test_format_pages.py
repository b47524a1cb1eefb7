"""The pages of circles and peer pairs, read as each person in them reads them: titles, people, sessions, goals and
the actions each may take (the browser tests take the actions: tests/browser/test_format_pages.py)."""

import datetime as dt
import html
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentorship import relationships
from mentorship.models import Feedback, MentorshipRequest
from tests.factories import (
    GoalFactory,
    MemberFactory,
    MentorshipFactory,
    ProgramAdminFactory,
    RequestFactory,
    SessionFactory,
)
from tests.formats import circle_world, peer_world, person

pytestmark = pytest.mark.django_db


def _page(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def _text(page: str) -> str:
    """The words a person reads: no tags, no attributes, entities as characters, spaces collapsed."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))).replace(" ,", ",")


def _says_none(text: str) -> bool:
    """Whether a page shows Python's None where a person was meant ("Mentored by None"); the pages' own "None yet."
    and "None." (an empty list) are words."""
    return re.search(r"\bNone\b(?! yet\.)(?!\.)", text) is not None


def _url(mentorship) -> str:
    return f"/mentorships/{mentorship.pk}/"


@pytest.fixture
def circle(mentor):
    return circle_world(mentor)


@pytest.fixture
def peers(db):
    return peer_world()


# --- Circles ----------------------------------------------------------------------------------------------


def test_the_mentor_reads_their_circle_members_with_headlines_who_left_and_the_places_taken(client, circle):
    body = _page(client, circle["mentor"], _url(circle["circle"]))
    text = _text(body)

    assert "<h1>Your circle</h1>" in body
    assert "3 of 4 places taken" in text
    for name, headline in (("Ana Alvarez", "Team lead in logistics"), ("Ben Brown", "New manager at a bank")):
        assert name in text and headline in text
    assert "Otto Mentor (you) Mentor Engineering manager" in text
    assert re.search(r"Left the circle Dan Dorsey Joined \d+ \w+ \d{4}, left", text)
    assert not _says_none(text)


def test_the_mentor_sees_every_members_goals_by_member_and_logs_sessions_with_everyone_ticked(client, circle):
    body = _page(client, circle["mentor"], _url(circle["circle"]))
    text = _text(body)

    assert re.search("Members’ goals Ana Alvarez .*Hire my first engineer.* Ben Brown .*Ask for a raise", text)
    for goal in circle["goals"].values():
        assert goal.title in text
    assert "Log a session" in text
    ticked = re.findall(r'name="attendees" value="(\d+)" data-list="int" checked', body)
    people = [circle["mentor"], circle["ana"], circle["ben"], circle["cy"]]
    assert sorted(map(int, ticked)) == sorted(p.pk for p in people)
    assert "Close the circle" in text and "Leave the circle" not in text
    assert "Share with" not in text  # goals are their owners' to share


def test_a_member_reads_the_circle_by_its_mentor_with_their_own_goals_and_the_others_shared_ones(client, circle):
    body = _page(client, circle["ana"], _url(circle["circle"]))
    text = _text(body)

    assert "<h1>Otto&#x27;s circle</h1>" in body
    assert re.search("My goals .*Hire my first engineer.* Shared in the circle", text)
    assert "Shared in the circle Ben Brown Delegate the weekly report" in text
    assert "Ask for a raise" not in text and "Speak up in meetings" not in text  # theirs, not shared
    assert "Ben Brown" in text and "New manager at a bank" in text  # each other's names and headlines
    assert "Leave the circle" in text
    assert "Close the circle" not in text and "Log a session" not in text


def test_a_member_shares_a_goal_and_stops_sharing_it_through_the_goals_api(client, circle):
    body = _page(client, circle["ana"], _url(circle["circle"]))
    private, shared = circle["goals"]["ana_private"], circle["goals"]["ana_shared"]

    share = re.search(
        rf'data-api="/api/v1/goals/{private.pk}/" data-method="PATCH".*?name="shared" value="(\w+)"', body, re.S
    )
    unshare = re.search(
        rf'data-api="/api/v1/goals/{shared.pk}/" data-method="PATCH".*?name="shared" value="(\w+)"', body, re.S
    )

    assert (share.group(1), unshare.group(1)) == ("true", "false")
    assert "Share with the circle" in _text(body) and "Stop sharing" in _text(body)
    client.force_login(circle["ana"])
    answer = client.patch(f"/api/v1/goals/{private.pk}/", {"shared": "true"}, content_type="application/json")
    assert answer.status_code == 200 and answer.json()["shared"] is True
    assert "Hire my first engineer" in _text(_page(client, circle["ben"], _url(circle["circle"])))


def test_each_member_who_came_rates_their_session_and_reads_only_their_own_rating(client, circle):
    session = SessionFactory(
        mentorship=circle["circle"],
        notes="Hard conversations.",
        attendees=[circle["mentor"], circle["ana"], circle["ben"]],
    )
    Feedback.objects.create(session=session, author=circle["ben"], rating=4, comment="Ben's view")

    as_ana = _text(_page(client, circle["ana"], _url(circle["circle"])))
    as_ben = _text(_page(client, circle["ben"], _url(circle["circle"])))
    as_cy = _text(_page(client, circle["cy"], _url(circle["circle"])))
    as_mentor = _text(_page(client, circle["mentor"], _url(circle["circle"])))

    assert "Came: Otto, Ana, Ben" in as_mentor
    assert "Send feedback" in as_ana and "Ben's view" not in as_ana
    assert "You rated it 4 / 5" in as_ben.replace("/", " / ")
    assert "You were not at this session." in as_cy and "Send feedback" not in as_cy
    # Ben kept his comment to himself (and the program's admins): the mentor reads his rating only.
    assert "Ben rated it 4" in as_mentor and "Ben's view" not in as_mentor
    assert "Ben's view" in as_ben


def test_a_member_who_left_still_reads_the_circle_but_no_longer_acts_in_it(client, circle):
    body = _page(client, circle["dan"], _url(circle["circle"]))
    text = _text(body)

    assert "Otto" in text and "You left this circle on" in text
    assert "Leave the circle" not in text and "Log a session" not in text and "Share with" not in text
    assert "Hire my first engineer" not in text  # the members' goals are theirs and their mentor's


def test_a_closed_circle_takes_no_places_and_its_members_goals_are_theirs_again(client, circle):
    relationships.mentorship_complete(mentorship_id=circle["circle"].pk, user=circle["mentor"])

    text = _text(_page(client, circle["mentor"], _url(circle["circle"])))

    assert "3 members" in text and "places taken" not in text
    assert "The circle is closed: goals are their owners’ again." in text
    assert "Hire my first engineer" not in text and "Close the circle" not in text and "Log a session" not in text


def test_who_came_reads_mentor_first_then_members_in_the_order_they_joined(client, circle):
    SessionFactory(mentorship=circle["circle"], attendees=[circle["cy"], circle["ana"], circle["mentor"]])

    assert "Came: Otto, Ana, Cy" in _text(_page(client, circle["ben"], _url(circle["circle"])))


def test_a_group_programs_mentor_is_joined_by_a_place_in_their_circle(client, circle):
    newcomer = person("eve", "Eve Evans", circle["program"], "mentee")
    mentor_id = circle["mentor"].pk

    directory = _text(_page(client, newcomer, "/programs/circles/mentors/"))
    page = _text(_page(client, newcomer, f"/programs/circles/mentors/{mentor_id}/"))

    assert "Otto Mentor" in directory and "1 place in the circle" in directory
    assert "Places in the circle 1 of 4" in page
    assert "Join Otto's circle" in page and "Ask to join the circle" in page


def test_a_member_shares_a_goal_from_their_goals_page_too(client, circle, mentee):
    member_page = _page(client, circle["ana"], "/goals/")
    assert 'name="shared" type="checkbox"' in member_page
    assert "Share with my circle or peer partner" in _text(member_page)
    assert "Shared ·" in _text(member_page)  # "Run better one-on-ones"

    GoalFactory(mentee=mentee, title="Mentored one-on-one")
    one_on_one = _page(client, mentee, "/goals/")
    assert "Mentored one-on-one" in one_on_one and 'name="shared"' not in one_on_one  # nobody to share with


# --- Peer pairs -------------------------------------------------------------------------------------------


def test_a_peer_reads_the_pair_with_their_goals_the_partners_shared_ones_and_equal_rights(client, peers):
    body = _page(client, peers["ivy"], _url(peers["pair"]))
    text = _text(body)

    assert "<h1>Peer pair: Ivy and Jon</h1>" in body
    assert "The pair Ivy Ito (you) Data analyst Jon Jones Backend developer" in text
    assert re.search("My goals .*Learn dbt.* Jon’s shared goals", text) and "Share with Jon" in text
    assert "Jon’s shared goals Write a design doc" in text and "Get promoted" not in text
    assert "Log a session" in text and "Complete the pair" in text
    assert "Leave the circle" not in text and not _says_none(text)
    assert "<h1>Peer pair: Jon and Ivy</h1>" in _page(client, peers["jon"], _url(peers["pair"]))


def test_both_peers_rate_a_session_and_each_reads_the_others_rating(client, peers):
    session = SessionFactory(mentorship=peers["pair"], notes="Pairing on SQL.")
    Feedback.objects.create(session=session, author=peers["jon"], rating=5, comment="Learnt a lot", shared=True)

    as_ivy = _text(_page(client, peers["ivy"], _url(peers["pair"])))

    assert "Jon rated it 5/5 — “Learnt a lot”" in as_ivy
    assert "Send feedback" in as_ivy


def test_a_program_admin_reads_a_pair_and_a_circle_by_full_names_without_actions(client, peers, circle):
    admin = ProgramAdminFactory(username="adam", membership__program=peers["program"])
    pair = _text(_page(client, admin, _url(peers["pair"])))
    assert "Peer pair: Ivy Ito and Jon Jones" in pair
    assert "Learn dbt" in pair and "Write a design doc" in pair  # an admin reads the program's goals
    assert "Log a session" not in pair and "Complete the pair" not in pair and "Share with" not in pair

    staff = ProgramAdminFactory(username="sam", is_staff=True)
    assert "Otto Mentor's circle" in _text(_page(client, staff, _url(circle["circle"])))


# --- Lists, requests, home --------------------------------------------------------------------------------


def test_the_lists_name_circles_and_pairs_from_each_side_and_never_say_none(client, circle, peers):
    mentor_list = _text(_page(client, circle["mentor"], "/mentorships/"))
    member_list = _text(_page(client, circle["ana"], "/mentorships/"))
    peer_list = _text(_page(client, peers["ivy"], "/mentorships/"))

    assert "Your circle Group circle" in mentor_list and "3 of 4 places taken" in mentor_list
    assert "Otto's circle" in member_list and "3 members" in member_list
    assert "Jon Jones Peer pair" in peer_list
    for text in (mentor_list, member_list, peer_list):
        assert not _says_none(text)


def test_requests_read_as_what_they_are_in_each_format(client, circle, peers):
    RequestFactory(program=peers["program"], mentee=peers["kai"], mentor=peers["lea"], message="Pair?")
    joining = person("eve", "Eve Evans", circle["program"], "mentee")
    RequestFactory(program=circle["program"], mentee=joining, mentor=circle["mentor"])

    as_lea = _text(_page(client, peers["lea"], "/requests/"))
    as_kai = _text(_page(client, peers["kai"], "/requests/"))
    as_mentor = _text(_page(client, circle["mentor"], "/requests/"))
    as_eve = _text(_page(client, joining, "/requests/"))

    assert "Kai Kim asks to pair with you" in as_lea and "Accept" in as_lea
    assert "Reason" not in as_lea  # the reasons a mentor gives do not fit a peer
    assert "You asked Lea Lund to pair" in as_kai and "Withdraw" in as_kai
    assert "Eve Evans asks to join your circle" in as_mentor
    assert re.search("You asked to join Otto Mentor ?'s circle", as_eve)  # the name links to the mentor's page
    for text in (as_lea, as_kai, as_mentor, as_eve):
        assert not _says_none(text)


def test_a_rounds_peer_proposal_says_both_must_accept_and_who_already_did(client, peers):
    offer = RequestFactory(
        program=peers["program"],
        mentee=peers["kai"],
        mentor=peers["lea"],
        origin=MentorshipRequest.Origin.MATCH_ROUND,
        sender_accepted_at=timezone.now(),
    )

    as_lea = _page(client, peers["lea"], "/requests/")
    as_kai = _page(client, peers["kai"], "/requests/")

    assert "The program proposes you pair with Kai Kim" in _text(as_lea)
    assert "Kai has accepted; your answer completes the pair." in _text(as_lea)
    assert f"/api/v1/requests/{offer.pk}/accept/" in as_lea
    assert "You have accepted; the pair starts when Lea accepts too." in _text(as_kai)
    assert f"/api/v1/requests/{offer.pk}/accept/" not in as_kai  # said yes already
    assert f"/api/v1/requests/{offer.pk}/decline/" in as_kai  # may still say no: it frees both
    assert "/withdraw/" not in as_kai


def test_home_shows_a_mentors_circle_and_a_peers_partners(client, circle, peers):
    def home(user, program):
        _page(client, user, f"/programs/{program}/")  # makes it the current program
        return _text(_page(client, user, "/home/"))

    mentor_home, peer_home = home(circle["mentor"], "circles"), home(peers["ivy"], "peers")

    assert "3 of 4 places in your circle taken" in mentor_home
    assert "My circle Your circle · 3 of 4 members" in mentor_home and "Ben Brown · New manager" in mentor_home
    assert "My peer partners Jon Jones" in peer_home and "Ask a peer" in peer_home
    assert not _says_none(mentor_home) and not _says_none(peer_home)


# --- The peers page ---------------------------------------------------------------------------------------


def test_the_peers_page_lists_the_other_peers_with_what_they_teach_and_want_and_asks_to_pair(client, peers):
    body = _page(client, peers["kai"], "/programs/peers/peers/")
    text = _text(body)

    assert "3 peers" in text and "Kai Kim" not in text.split("3 peers")[1]
    assert "Lea Lund QA engineer Software Can teach Test automation Wants to grow Public speaking" in text
    assert f'name="peer" value="{peers["lea"].pk}"' in body
    assert 'name="program" value="peers"' in body
    assert '<a href="/programs/peers/peers/" aria-current="page">Peers</a>' in body  # where "Mentors" is elsewhere


def test_the_peers_page_says_who_is_taken_and_what_is_waiting(client, peers):
    RequestFactory(program=peers["program"], mentee=peers["kai"], mentor=peers["lea"])

    as_kai = _page(client, peers["kai"], "/programs/peers/peers/")
    as_ivy = _page(client, peers["ivy"], "/programs/peers/peers/")

    assert "Request waiting" in as_kai and f'name="peer" value="{peers["lea"].pk}"' not in as_kai
    assert "Fully paired" in as_kai  # Ivy and Jon, with a limit of 1
    assert "Your partner" in as_ivy and "as many as the program allows" in as_ivy
    assert 'name="peer"' not in as_ivy  # at the limit: nobody to ask


def test_the_peers_page_is_for_the_programs_peers_and_admins(client, peers, mentee, mentor):
    admin = ProgramAdminFactory(username="adam", membership__program=peers["program"])
    client.force_login(mentee)
    assert client.get("/programs/peers/peers/").status_code == 403
    assert client.get("/programs/main/peers/").status_code == 404  # not a peer program
    assert client.get("/programs/nowhere/peers/").status_code == 404

    body = _page(client, admin, "/programs/peers/peers/")
    assert "4 peers" in _text(body) and 'name="peer"' not in body  # admins read, they do not pair


def _queries(client, user, url) -> int:
    client.force_login(user)
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_circle_and_peers_pages_cost_the_same_queries_however_full(client, circle, peers):
    def grow(n):
        for i in range(n):
            member = person(f"m{i}-{n}", f"Member {i}", circle["program"], "mentee", headline="New")
            MemberFactory(mentorship=circle["circle"], user=member)
            GoalFactory(mentee=member, shared=True)
            session = SessionFactory(mentorship=circle["circle"], date=timezone.localdate() - dt.timedelta(days=i))
            Feedback.objects.create(session=session, author=member, rating=3)
            other = person(f"p{i}-{n}", f"Peer {i}", peers["program"], "peer")
            RequestFactory(program=peers["program"], mentee=other, mentor=peers["kai"])
            MentorshipFactory(program=peers["program"], mentor=None, mentee=None)

    pages = [
        (circle["mentor"], _url(circle["circle"])),
        (circle["ana"], _url(circle["circle"])),
        (peers["kai"], "/programs/peers/peers/"),
        (circle["mentor"], "/mentorships/"),
    ]
    grow(2)
    before = [_queries(client, user, url) for user, url in pages]
    grow(6)
    assert [_queries(client, user, url) for user, url in pages] == before
