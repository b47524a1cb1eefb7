import pytest

from tests.factories import IndustryFactory, SkillFactory


@pytest.fixture
def skills(db):
    return [SkillFactory(name=name) for name in ["Python", "Public speaking", "PyTorch", "Negotiation"]]


def test_skills_are_listed_by_name_and_paginated(mentee_client, skills):
    body = mentee_client.get("/api/v1/skills/").json()

    assert body["count"] == 4
    assert [s["name"] for s in body["results"]] == ["Negotiation", "Public speaking", "PyTorch", "Python"]


def test_skill_search_matches_any_case(mentee_client, skills):
    body = mentee_client.get("/api/v1/skills/", {"q": "py"}).json()

    assert [s["name"] for s in body["results"]] == ["PyTorch", "Python"]


def test_page_size_is_capped_at_100(mentee_client, db):
    for i in range(120):
        SkillFactory(name=f"Skill {i:03}")

    body = mentee_client.get("/api/v1/skills/", {"page_size": 1000}).json()

    assert len(body["results"]) == 100
    assert body["next"] is not None


def test_a_page_past_the_end_is_404(mentee_client, skills):
    assert mentee_client.get("/api/v1/skills/", {"page": 99}).status_code == 404


def test_industries_are_listed(mentor_client, db):
    IndustryFactory(name="Healthcare")
    IndustryFactory(name="Education")

    body = mentor_client.get("/api/v1/industries/").json()

    # By name; the mentor's own (the factory's "Technology") among them.
    assert [i["name"] for i in body["results"]] == ["Education", "Healthcare", "Technology"]


def test_taxonomy_needs_sign_in(anon):
    assert anon.get("/api/v1/skills/").status_code == 401
    assert anon.get("/api/v1/industries/").status_code == 401
