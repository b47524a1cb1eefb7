import pytest
from django.core.management import call_command

from accounts.models import User
from evaluation.models import Survey
from evaluation.survey_results import survey_results
from evaluation.survey_selectors import surveys_pending
from programs.models import Program


@pytest.mark.django_db
def test_the_demo_programs_template_surveys_show_results_and_one_waits_for_the_demo_mentee():
    call_command("seed_demo")

    main = Program.objects.default()
    found = {survey.title: survey_results(survey) for survey in Survey.objects.filter(program=main)}
    assert set(found) == {"Mid-point check-in", "Closing survey"}
    assert all(not results.withheld and results.responses >= 5 for results in found.values())
    waiting = surveys_pending(User.objects.get(username="mentee"))
    assert [invitation.survey.title for invitation in waiting] == ["Mid-point check-in"]
