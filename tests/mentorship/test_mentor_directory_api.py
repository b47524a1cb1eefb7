import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Industry
from tests.factories import MentorFactory, MentorshipFactory, RequestFactory, with_profile

URL = "/api/v1/mentors/"


def make_mentor(username, *, headline="Mentor", capacity=2, accepting=True, full_name=None, **profile):
    mentor = MentorFactory(username=username, full_name=full_name or username.title())
    mentor.profile.headline = headline
    return with_profile(mentor, capacity=capacity, accepting=accepting, **profile)


def names(response):
    assert response.status_code == 200, response.json()
    return [m["username"] for m in response.json()["results"]]


@pytest.fixture
def directory(db):
    return {
        "ana": make_mentor("ana", skills=["Python", "Leadership"], industry="Healthcare", headline="CTO at a clinic"),
        "ben": make_mentor("ben", skills=["Python"], industry="Finance", headline="Quant developer"),
        "cy": make_mentor("cy", skills=["Leadership"], industry="Healthcare", accepting=False),
        "di": make_mentor("di", skills=["Negotiation"], industry="Retail", capacity=1),
    }


def test_every_skill_named_must_match_whatever_its_case(mentee_client, directory):
    assert names(mentee_client.get(URL, {"skill": "python"})) == ["ana", "ben"]
    assert names(mentee_client.get(URL + "?skill=PYTHON&skill=leadership")) == ["ana"]


def test_skills_can_be_named_by_id(mentee_client, directory):
    leadership = directory["ana"].profile.skills.get(name="Leadership")

    assert names(mentee_client.get(URL, {"skill": leadership.pk})) == ["ana", "cy"]


def test_filter_by_industry_name_or_id(mentee_client, directory):
    healthcare = Industry.objects.get(name="Healthcare")

    assert names(mentee_client.get(URL, {"industry": "healthcare"})) == ["ana", "cy"]
    assert names(mentee_client.get(URL, {"industry": healthcare.pk})) == ["ana", "cy"]


def test_search_words_match_name_headline_or_bio(mentee_client, directory):
    assert names(mentee_client.get(URL, {"q": "clinic"})) == ["ana"]
    assert names(mentee_client.get(URL, {"q": "BEN quant"})) == ["ben"]
    assert names(mentee_client.get(URL, {"q": "nobody matches this"})) == []


def test_accepting_means_accepting_requests_with_a_slot_open_now(mentee_client, directory):
    MentorshipFactory(mentor=directory["di"])  # di's only slot is taken

    assert names(mentee_client.get(URL, {"accepting": "true"})) == ["ana", "ben"]
    assert names(mentee_client.get(URL, {"accepting": "false"})) == ["cy", "di"]


def test_open_slots_count_active_mentorships_and_pending_offers(mentee_client, directory):
    ana = directory["ana"]
    MentorshipFactory(mentor=ana)
    RequestFactory(mentor=ana, origin="match_round")
    RequestFactory(mentor=ana)  # a mentee's own request holds no slot until accepted

    body = mentee_client.get(f"{URL}{ana.pk}/").json()

    assert body["capacity"] == 2
    assert body["open_slots"] == 0


def test_mentors_are_ordered_by_name_by_default_and_on_request(mentee_client, directory):
    assert names(mentee_client.get(URL)) == ["ana", "ben", "cy", "di"]
    assert names(mentee_client.get(URL, {"ordering": "-name"})) == ["di", "cy", "ben", "ana"]
    assert names(mentee_client.get(URL, {"ordering": "open_slots"}))[0] == "di"


def test_ties_and_an_empty_ordering_keep_the_order_by_name(mentee_client, directory):
    """So that pages never show a mentor twice or never (found by the schema fuzz: `?ordering=,,` was a 500)."""
    assert names(mentee_client.get(URL, {"ordering": "open_slots"})) == ["di", "ana", "ben", "cy"]
    assert names(mentee_client.get(URL, {"ordering": "-open_slots"})) == ["ana", "ben", "cy", "di"]
    assert names(mentee_client.get(URL, {"ordering": ",,"})) == ["ana", "ben", "cy", "di"]


@pytest.mark.parametrize(
    "params",
    [
        {"accepting": "yes"},
        {"ordering": "salary"},
        {"skill": ["x"] * 11},
        {"page": "first"},
        {"page_size": "all"},
        {"page_size": "0"},
    ],
)
def test_bad_filters_are_400_not_ignored(mentee_client, directory, params):
    response = mentee_client.get(URL, params)

    assert response.status_code in (400, 404)
    assert response.json()


def test_a_mentee_is_not_a_mentor(mentee_client, mentee):
    assert mentee_client.get(f"{URL}{mentee.pk}/").status_code == 404


def test_the_directory_needs_sign_in(anon):
    assert anon.get(URL).status_code == 401


def _queries_for_page(client, page_size: int) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"page_size": page_size})
    assert response.status_code == 200
    assert len(response.json()["results"]) == page_size
    return len(queries)


def test_a_page_costs_the_same_number_of_queries_whatever_its_size(mentee_client, db):
    for i in range(40):
        mentor = make_mentor(f"m{i:02}", skills=[f"Skill {i % 7}", "Python"], industry=f"Industry {i % 5}")
        MentorshipFactory(mentor=mentor)

    small = _queries_for_page(mentee_client, 5)
    large = _queries_for_page(mentee_client, 40)

    assert small == large
    assert large <= 4  # count, the page (with annotations, user and industry), the skills, the session user
