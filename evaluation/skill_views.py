"""The skills page of a mentorship: a form per stage open now (a radio 1–5 per skill), and the history, start →
completion, for the people whose ratings the viewer reads. Its people only (404 for anyone else), as its API."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.views.decorators.csrf import ensure_csrf_cookie

from evaluation import skills
from evaluation.models import SkillRating
from mentorship import naming, selectors
from mentorship.participants import mentorships_participating


def _forms(mentorship, viewer, subject) -> list[dict]:
    """A form per stage the viewer may rate for `subject` now, each skill with the viewer's level given before."""
    own_view = "by_self" if viewer.pk == subject.person.pk else "by_mentor"
    forms = []
    for stage in subject.can_rate:
        lines = [{"skill": line.skill, "level": getattr(getattr(line, own_view), stage)} for line in subject.skills]
        forms.append(
            {
                "stage": stage,
                "label": SkillRating.Stage(stage).label,
                "lines": lines,
                "again": any(line["level"] is not None for line in lines),
                "closes_at": skills.stage_closes_at(mentorship, stage),
            }
        )
    return forms


@login_required
@ensure_csrf_cookie
def mentorship_skills(request, mentorship_id: int):
    viewer = request.user
    inside = selectors.mentorship_list_for(user=viewer).filter(pk__in=mentorships_participating(viewer).values("pk"))
    mentorship = inside.filter(pk=mentorship_id).first()
    if mentorship is None:
        raise Http404("No such mentorship.")
    subjects = skills.skill_ratings_of(mentorship=mentorship, viewer=viewer)
    for subject in subjects:
        subject.own = subject.person.pk == viewer.pk
        subject.forms = _forms(mentorship, viewer, subject)
        subject.mentor_rated = any(
            line.by_mentor.start is not None or line.by_mentor.completion is not None for line in subject.skills
        )
    return render(
        request,
        "evaluation/skills.html",
        {
            "mentorship": mentorship,
            "title": naming.mentorship_title(mentorship, viewer),
            "subjects": subjects,
            "levels": sorted(skills.LEVEL_NAMES.items()),
            "rates_others": mentorship.mentor_id == viewer.pk,
            "open_until": skills.stage_closes_at(mentorship, SkillRating.Stage.COMPLETION)
            if skills.stage_is_open(mentorship, SkillRating.Stage.COMPLETION)
            else None,
            "has_mentor": mentorship.mentor_id is not None,
            "window_days": skills.COMPLETION_WINDOW.days,
        },
    )


urlpatterns = [
    path("mentorships/<id:mentorship_id>/skills/", mentorship_skills, name="mentorship-skills-page"),
]
