"""On PostgreSQL, one person sending their answers several times at once is counted once: the invitation's row lock
makes the others wait and find it answered."""

import pytest

from evaluation.models import SurveyResponse
from tests.conftest import client_for
from tests.evaluation.surveys_world import asked, survey_in
from tests.factories import ProgramFactory
from tests.mentorship.test_accept_concurrency import fire_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_ten_submissions_at_once_make_one_response(postgres):
    survey = survey_in(ProgramFactory(slug="evening"), questions=[{"kind": "likert", "text": "Useful?"}])
    invitation = asked(survey)
    body = {"answers": [{"question": survey.questions.get().pk, "value": 4}]}

    statuses = fire_at_once(
        [
            lambda: client_for(invitation.user).post(f"/api/v1/surveys/{survey.pk}/responses/", body, format="json")
            for _ in range(10)
        ]
    )

    assert sorted(r.status_code for r in statuses) == [201] + [409] * 9
    assert {r.json()["code"] for r in statuses if r.status_code == 409} == {"already_answered"}
    assert SurveyResponse.objects.filter(survey=survey).count() == 1
