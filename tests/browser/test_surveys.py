"""Surveys in real Chromium, at phone and desktop widths: a program admin creates the mid-point survey from its
template in a click and writes one of their own (the builder says what is missing); the beat asks Maya, who finds it
on her home page and answers it; the admin then reads the results withheld, one answer being too few to show."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from evaluation import surveys
from evaluation.models import Survey, SurveyInvitation, SurveyResponse
from tests.browser.test_format_pages import _looks_right
from tests.factories import AdminFactory, MenteeFactory, MentorFactory, MentorshipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [390, 1280]


@pytest.mark.parametrize("width", WIDTHS)
def test_an_admin_creates_a_survey_maya_answers_it_and_one_answer_is_withheld(person_at, tmp_path, width):
    AdminFactory(username="ada", full_name="Ada Admin")
    maya = MenteeFactory(username="maya", full_name="Maya Mentee")
    otto = MentorFactory(username="otto", full_name="Otto Mentor")
    MentorshipFactory(mentee=maya, mentor=otto, started_at=timezone.now() - dt.timedelta(days=60))

    admin = person_at("ada", width)
    admin.goto("/programs/main/")
    admin.get_by_role("link", name="Surveys", exact=True).click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Surveys")
    _looks_right(admin, width, tmp_path, "surveys-empty")
    admin.get_by_role("button", name="Create “Mid-point check-in”").click()
    expect(admin.get_by_role("link", name="Mid-point check-in")).to_be_visible()

    admin.get_by_label("Title", exact=True).fill("Quick pulse")
    admin.get_by_label("When", exact=True).select_option("on_completion")
    admin.locator("#question-0-text").fill("Our meetings help me.")
    admin.get_by_role("button", name="Add a question").click()
    admin.locator("#question-1-text").fill("Which format suits you?")
    admin.locator("#question-1-kind").select_option("choice")
    admin.locator("#question-1-choices").fill("Video")
    admin.get_by_role("button", name="Create the survey").click()
    expect(admin.locator('[data-error-for="questions.1.choices"]')).to_contain_text("At least two")
    admin.locator("#question-1-choices").fill("Video\nIn person")
    admin.get_by_role("button", name="Create the survey").click()
    expect(admin.get_by_role("link", name="Quick pulse")).to_be_visible()
    built = Survey.objects.get(title="Quick pulse")
    assert list(built.questions.values_list("kind", flat=True)) == ["likert", "choice"]
    _looks_right(admin, width, tmp_path, "surveys-listed")

    assert surveys.survey_invitations_send() == 2  # Maya and Otto, for the mid-point survey

    mentee = person_at("maya", width)
    waiting = mentee.get_by_role("region", name="Surveys waiting for you")
    waiting.get_by_role("link", name="Mid-point check-in").click()
    expect(mentee.get_by_role("heading", level=1)).to_have_text("Mid-point check-in")
    mentee.get_by_role("button", name="Send my answers").click()
    expect(mentee.get_by_text("This question needs an answer.").first).to_be_visible()
    _looks_right(mentee, width, tmp_path, "survey-answer-errors")
    for group in mentee.get_by_role("group").all():
        legend = group.locator("legend").inner_text()
        if "How often" in legend:
            group.get_by_label("About as planned").check()
        elif "(optional)" in legend:
            group.get_by_label("Your answer").fill("More time on goals.")
        else:
            group.get_by_label("Agree", exact=True).check()
    mentee.get_by_role("button", name="Send my answers").click()
    expect(mentee.get_by_text("Thank you: you answered this survey")).to_be_visible()
    assert SurveyResponse.objects.get().side == "mentee"

    admin.goto("/programs/main/surveys/")
    admin.get_by_role("link", name="Mid-point check-in").click()
    expect(admin.get_by_role("heading", name="1 response", exact=True)).to_be_visible()
    expect(admin.locator("#withheld-message")).to_contain_text("results appear once at least 5 people")
    expect(admin.get_by_text("More time on goals.")).to_have_count(0)
    _looks_right(admin, width, tmp_path, "survey-withheld")

    midpoint = Survey.objects.get(title="Mid-point check-in")
    for n in range(4):  # four more people answer: five in all, the minimum
        values = {"likert": 2 + n % 4, "choice": "More than planned", "text": f"Idea {n}"}
        answers = [{"question": q.pk, "value": values[q.kind]} for q in midpoint.questions.all()]
        invitation = SurveyInvitation.objects.create(survey=midpoint, user=UserFactory(), side="mentor")
        surveys.survey_answer(survey_id=midpoint.pk, user=invitation.user, answers=answers)
    admin.reload()
    expect(admin.get_by_role("heading", name="5 responses", exact=True)).to_be_visible()
    expect(admin.locator("svg.bars")).to_have_count(4)  # the Likert and choice questions; the text one is a list
    expect(admin.get_by_text("More time on goals.")).to_be_visible()
    _looks_right(admin, width, tmp_path, "survey-results")
    admin.get_by_label("Who answered").select_option("mentees")
    admin.get_by_role("button", name="Show").click()
    expect(admin.get_by_role("heading", name="1 response", exact=True)).to_be_visible()
