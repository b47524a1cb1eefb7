"""On PostgreSQL, the same form saved many times at once (a double click, two tabs) leaves one rating per skill and
stage, the last level, and never a server error: the mentorship's row lock puts the saves one after another."""

import pytest

from evaluation.models import SkillRating
from tests.conftest import client_for
from tests.evaluation.skill_worlds import bring, skill_id
from tests.mentorship.test_accept_concurrency import fire_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_ten_saves_of_the_start_at_once_make_one_rating_per_skill(postgres, mentorship, mentee):
    bring(mentorship, mentee, "Python", "SQL")
    url = f"/api/v1/mentorships/{mentorship.pk}/skill-ratings/"
    skills = [skill_id("Python"), skill_id("SQL")]

    def save(level):
        body = {"stage": "start", "ratings": [{"skill": skill, "level": level} for skill in skills]}
        return client_for(mentee).put(url, body, format="json").status_code

    statuses = fire_at_once([lambda level=1 + n % 5: save(level) for n in range(10)])

    assert statuses == [200] * 10
    ratings = SkillRating.objects.filter(mentorship=mentorship, stage="start")
    assert ratings.count() == 2
    assert len(set(ratings.values_list("level", flat=True))) == 1  # both skills from the same, last, save
