import pytest

from accounts.models import Industry, Skill
from tests.factories import PASSWORD, IndustryFactory, MenteeFactory, SkillFactory

URL = "/api/v1/me/"
ACCOUNT_FIELDS = {"id", "username", "email", "email_pending", "full_name", "role", "is_program_admin", "date_joined"}


def test_anonymous_is_401_with_a_token_challenge(anon):
    response = anon.get(URL)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_mentor_reads_own_account_and_mentor_profile(mentor_client):
    body = mentor_client.get(URL).json()

    assert body["username"] == "otto"
    assert body["role"] == "mentor"
    assert body["capacity"] == 2
    assert set(body) == ACCOUNT_FIELDS | {
        "headline", "bio", "industry", "skills", "suggested_skills", "years_experience", "capacity",
        "accepting_requests", "timezone",
    }  # fmt: skip


def test_mentee_profile_has_only_mentee_fields(mentee_client):
    body = mentee_client.get(URL).json()

    assert set(body) == ACCOUNT_FIELDS | {"bio", "industry", "skills", "suggested_skills", "timezone"}


def test_program_admin_has_no_profile(admin_client_api):
    body = admin_client_api.get(URL).json()

    assert body["is_program_admin"] is True
    assert set(body) == ACCOUNT_FIELDS


def test_mentor_updates_profile_naming_skills_and_industry_by_name(mentor_client, mentor):
    IndustryFactory(name="Renewable Energy")
    response = mentor_client.patch(
        URL,
        {
            "full_name": "Otto M. Mentor",
            "headline": "Staff engineer",
            "capacity": 4,
            "accepting_requests": False,
            "industry": "Renewable Energy",
            "skills": ["Python", "System design"],
            "timezone": "Europe/Berlin",
        },
        format="json",
    )

    assert response.status_code == 200, response.json()
    profile = response.json()
    assert profile["full_name"] == "Otto M. Mentor"
    assert profile["capacity"] == 4
    assert profile["accepting_requests"] is False
    assert profile["industry"] == "Renewable Energy"
    assert sorted(profile["skills"]) == ["Python", "System design"]
    mentor.mentor_profile.refresh_from_db()
    assert mentor.mentor_profile.timezone == "Europe/Berlin"


def test_skills_named_in_another_case_reuse_the_existing_term(mentee_client, db):
    SkillFactory(name="Public speaking")

    response = mentee_client.patch(URL, {"skills": ["public SPEAKING", "  Negotiation  "]}, format="json")

    assert response.status_code == 200
    assert sorted(response.json()["skills"]) == ["Negotiation", "Public speaking"]
    assert Skill.objects.filter(name__iexact="public speaking").count() == 1


def test_skills_can_be_named_by_id(mentee_client, db):
    skill = SkillFactory(name="Negotiation")

    response = mentee_client.patch(URL, {"skills": [skill.pk]}, format="json")

    assert response.json()["skills"] == ["Negotiation"]


def test_unknown_skill_id_is_a_400_and_changes_nothing(mentee_client, mentee):
    response = mentee_client.patch(URL, {"skills": [99999], "bio": "changed"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"skills": ["No skill with id 99999."]}
    mentee.mentee_profile.refresh_from_db()
    assert mentee.mentee_profile.bio == ""


def test_industry_can_be_cleared(mentee_client, mentee):
    mentee.mentee_profile.industry = Industry.objects.create(name="Healthcare")
    mentee.mentee_profile.save()

    response = mentee_client.patch(URL, {"industry": None}, format="json")

    assert response.json()["industry"] is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"capacity": -1}, "capacity"),
        ({"capacity": 51}, "capacity"),
        ({"capacity": "lots"}, "capacity"),
        ({"years_experience": -3}, "years_experience"),
        ({"accepting_requests": "maybe"}, "accepting_requests"),
        ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"headline": "x" * 161}, "headline"),
        ({"skills": "Python"}, "skills"),
        ({"skills": [True]}, "skills"),
        ({"skills": [""]}, "skills"),
        ({"skills": ["x" * 81]}, "skills"),
        ({"skills": [f"Skill {i}" for i in range(31)]}, "skills"),
        ({"industry": {"name": "Retail"}}, "industry"),
    ],
)
def test_invalid_mentor_profile_values_are_400_with_the_field_named(mentor_client, mentor, changes, field):
    response = mentor_client.patch(URL, changes, format="json")

    assert response.status_code == 400
    assert list(response.json()) == [field]
    mentor.mentor_profile.refresh_from_db()
    assert mentor.mentor_profile.capacity == 2


def test_a_mentee_cannot_set_mentor_only_fields(mentee_client):
    response = mentee_client.patch(URL, {"capacity": 3}, format="json")

    assert response.status_code == 400
    assert response.json() == {"capacity": ["This field is not accepted here."]}


def test_an_admin_cannot_set_a_profile(admin_client_api):
    response = admin_client_api.patch(URL, {"bio": "hi"}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["bio"]


def test_username_and_role_cannot_be_changed(mentee_client, mentee):
    response = mentee_client.patch(URL, {"role": "mentor", "username": "root"}, format="json")

    assert response.status_code == 400
    mentee.refresh_from_db()
    assert (mentee.username, mentee.role) == ("maya", "mentee")


def test_an_email_taken_by_someone_else_is_not_refused_nor_changed(mentee_client, mentee):
    """Refusing would tell anyone signed in who is registered: the change waits for its link instead (see
    test_email_change_api.py), and this one's never comes."""
    MenteeFactory(username="taken", email="taken@example.org")

    response = mentee_client.patch(URL, {"email": "TAKEN@example.org", "current_password": PASSWORD}, format="json")

    assert response.status_code == 200
    assert (response.json()["email"], response.json()["email_pending"]) == ("maya@example.org", "TAKEN@example.org")


def test_keeping_ones_own_email_is_fine(mentee_client, mentee):
    response = mentee_client.patch(URL, {"email": mentee.email.upper()}, format="json")

    assert response.status_code == 200
    assert (response.json()["email"], response.json()["email_pending"]) == ("maya@example.org", None)


def test_malformed_json_is_a_400(mentee_client):
    response = mentee_client.patch(URL, "{nope", content_type="application/json")

    assert response.status_code == 400


def test_skills_with_non_ascii_capitals_are_found_again_whatever_the_database(mentee_client):
    first = mentee_client.patch(URL, {"skills": ["Ärger-Management", "Öffentlichkeitsarbeit"]}, format="json")
    again = mentee_client.patch(URL, {"skills": ["Ärger-Management"]}, format="json")

    assert first.status_code == again.status_code == 200
    assert again.json()["skills"] == ["Ärger-Management"]
