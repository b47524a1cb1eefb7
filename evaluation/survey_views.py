"""Survey pages: a program's admins list, create and read surveys (actions post to the API); participants see the
surveys waiting for them and answer in the browser."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.views.decorators.csrf import ensure_csrf_cookie

from accounts.decorators import program_admin_required
from evaluation import survey_results, survey_selectors
from evaluation.models import Survey, SurveyQuestion
from evaluation.period import Period, period_parse
from evaluation.survey_templates import TEMPLATES
from programs.selectors import program_administered_by


@program_admin_required
def program_surveys_page(request, slug: str):
    """403 for who administers no program (as the API), 404 for an admin of another program."""
    program = program_administered_by(request.user, slug)
    return render(
        request,
        "evaluation/survey_list.html",
        {
            "program": program,
            "surveys": survey_selectors.survey_list(program),
            "templates": TEMPLATES.values(),
            "audiences": Survey.Audience.choices,
            "triggers": Survey.Trigger.choices,
            "kinds": SurveyQuestion.Kind.choices,
        },
    )


@program_admin_required
def program_survey_page(request, slug: str, survey_id: int):
    """A survey's results, filtered by side and period, withheld below its minimum."""
    program = program_administered_by(request.user, slug)
    survey = get_object_or_404(survey_selectors.survey_list(program), pk=survey_id)
    side = request.GET.get("side", "")
    errors = {}
    if side and side not in survey_results.SIDE_FILTERS:
        errors["side"] = ["Mentors, mentees or peers."]
        side = ""
    try:
        period = period_parse(request.GET)
    except ValidationError as error:
        errors.update(error.message_dict)
        period = Period()
    results = survey_results.survey_results(survey, side=survey_results.SIDE_FILTERS.get(side), period=period)
    questions = [(q, survey_results.results_chart(q)) for q in results.questions]
    query = {**({"side": side} if side else {}), **period.query()}
    return render(
        request,
        "evaluation/survey_results.html",
        {
            "program": program,
            "survey": survey,
            "results": results,
            "questions": questions,
            "side": side,
            "sides": [("", "Everyone"), ("mentors", "Mentors"), ("mentees", "Mentees"), ("peers", "Peers")],
            "period": period,
            "errors": errors,
            "csv_query": "&".join(f"{key}={value}" for key, value in query.items()),
        },
    )


@login_required
def survey_list_page(request):
    """The surveys a person was asked: those waiting first, then those answered."""
    invitations = list(survey_selectors.invitations_of(request.user))
    return render(
        request,
        "evaluation/survey_mine.html",
        {
            "waiting": [i for i in invitations if i.answered_at is None and i.survey.closed_at is None],
            "done": [i for i in invitations if i.answered_at is not None or i.survey.closed_at is not None],
        },
    )


@login_required
@ensure_csrf_cookie
def survey_answer_page(request, survey_id: int):
    """The form of a survey the person was asked (404 for anyone else); once answered, a thank-you."""
    invitation = get_object_or_404(survey_selectors.invitations_of(request.user), survey_id=survey_id)
    return render(
        request,
        "evaluation/survey_answer.html",
        {
            "invitation": invitation,
            "survey": invitation.survey,
            "questions": invitation.survey.questions.all(),
            "likert": survey_results.LIKERT_LABELS.items(),
        },
    )


urlpatterns = [
    path("programs/<slug:slug>/surveys/", program_surveys_page, name="program-surveys-page"),
    path("programs/<slug:slug>/surveys/<id:survey_id>/", program_survey_page, name="program-survey-page"),
    path("surveys/", survey_list_page, name="survey-list-page"),
    path("surveys/<id:survey_id>/", survey_answer_page, name="survey-answer-page"),
]
