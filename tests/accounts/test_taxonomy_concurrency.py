"""An admin reviewing a suggestion while its author saves a profile naming it, each on its own PostgreSQL
connection: never a 500 or a deadlock, and never a profile left naming a skill that is gone."""

from functools import partial

import pytest
from rest_framework.test import APIClient

from accounts.models import Skill
from tests.accounts.race import race
from tests.factories import AdminFactory, MenteeFactory, SkillFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ME = "/api/v1/me/"


def _as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def waiting():
    """Maya suggested a skill that her profile and another mentee's name; Ada reviews."""
    maya, mo = MenteeFactory(username="maya"), MenteeFactory(username="mo")
    suggestion = SkillFactory(name="Quantum gardening", status=Skill.Status.SUGGESTED, suggested_by=maya)
    maya.profile.skills.add(suggestion)
    mo.profile.skills.add(suggestion)
    return {"maya": maya, "mo": mo, "suggestion": suggestion, "admin": _as(AdminFactory(username="ada"))}


def _review(world, action: str):
    url = f"/api/v1/skills/suggestions/{world['suggestion'].pk}/{action}/"
    body = {"into": SkillFactory(name="Gardening").pk} if action == "merge" else {}
    return partial(world["admin"].post, url, body, format="json")


@pytest.mark.parametrize("action", ["approve", "merge", "reject"])
@pytest.mark.parametrize("attempt", range(2))  # which one goes first varies
def test_a_review_racing_the_author_naming_it_again_ends_cleanly(postgres, waiting, action, attempt):
    keeps = partial(_as(waiting["maya"]).patch, ME, {"skills": ["Python", "quantum gardening"]}, format="json")

    statuses = race([_review(waiting, action), keeps])

    # The save came first, or after the review (naming the name anew), or met the review half-way: a 409 that
    # asks to save again, with nothing changed.
    assert len(statuses) == 2
    assert set(statuses) <= {200, 204, 409}
    names = set(waiting["maya"].profile.skills.values_list("name", flat=True))
    if 409 in statuses:
        assert names <= {"Quantum gardening", "Gardening"}
    else:
        assert "Python" in names


@pytest.mark.parametrize("action", ["approve", "merge", "reject"])
@pytest.mark.parametrize("attempt", range(2))
def test_a_review_racing_the_author_dropping_it_ends_cleanly(postgres, waiting, action, attempt):
    """The author's save withdraws the suggestion (Mo still names it) while the admin reviews it."""
    drops = partial(_as(waiting["maya"]).patch, ME, {"skills": ["Python"]}, format="json")

    statuses = race([_review(waiting, action), drops])

    assert sorted(statuses) in ([200, 200], [200, 204])
    assert list(waiting["maya"].profile.skills.values_list("name", flat=True)) == ["Python"]
    mo = set(waiting["mo"].profile.skills.values_list("name", flat=True))
    assert mo == {"reject": set(), "merge": {"Gardening"}, "approve": {"Quantum gardening"}}[action]


def test_many_people_naming_one_new_skill_at_once_make_one_suggestion(postgres):
    people = [MenteeFactory(username=f"racer{i}") for i in range(6)]
    saves = [partial(_as(p).patch, ME, {"skills": ["Quantum gardening"]}, format="json") for p in people]

    statuses = race(saves)

    assert statuses == [200] * 6
    suggestion = Skill.objects.get()
    assert suggestion.is_suggestion
    assert suggestion.teaching_profiles.count() == 6
