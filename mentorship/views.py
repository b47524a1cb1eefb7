"""Pages of the mentorship lifecycle. They read through selectors; every action on them goes through the API."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from django.views.decorators.csrf import ensure_csrf_cookie

from accounts.directory import directory_cached
from accounts.models import MentorProfile, Skill
from mentorship import selectors, services
from mentorship.api.filters import MentorFilter
from mentorship.models import Goal, MentorshipRequest

MENTORS_PER_PAGE = 12


@login_required
def mentor_directory(request):
    body = directory_cached(f"page:{request.GET.urlencode()}", lambda: _directory_body(request.GET))
    return render(request, "mentorship/mentor_directory.html", {"body": body})


def _directory_body(params) -> SafeString:
    """The filters, the count, a page of mentor cards and the page links for one query string."""
    filters = MentorFilter(params, queryset=selectors.mentor_directory_listing())
    mentors = filters.qs if filters.is_valid() else selectors.mentor_directory().none()
    query = params.copy()
    query.pop("page", None)
    context = {
        "page": Paginator(mentors, MENTORS_PER_PAGE).get_page(params.get("page")),
        "filters": filters,
        "params": params,
        "query": query.urlencode(),
        "chosen_skills": params.getlist("skill"),
    }
    return render_to_string("mentorship/_mentor_directory_body.html", context)


@login_required
@ensure_csrf_cookie
def mentor_detail(request, mentor_id: int):
    # The mentor's part is the same for everyone who looks: kept, rendered, until the directory changes.
    mentor, profile = directory_cached(f"mentor-page:{mentor_id}", lambda: _mentor_profile(mentor_id))
    if mentor is None:
        raise Http404("No such mentor.")
    context = {"mentor": mentor, "profile": profile, "refusal": None, "goals": []}
    if request.user.pk == mentor.user_id:  # others see approved skills only; the mentor also sees what waits
        suggested = Skill.objects.suggestions().filter(mentor_profiles=mentor)
        if suggested:
            context["profile"] = _mentor_profile_html(mentor, suggested_skills=suggested)
    if request.user.is_mentee:
        context["refusal"] = services.request_refusal(mentee=request.user, mentor_profile=mentor)
        context["goals"] = Goal.objects.filter(mentee=request.user, status=Goal.Status.OPEN).only("pk", "title")
    return render(request, "mentorship/mentor_detail.html", context)


def _mentor_profile(mentor_id: int) -> tuple[MentorProfile | None, SafeString]:
    mentor = selectors.mentor_directory().filter(user_id=mentor_id).first()
    if mentor is None:
        return None, SafeString()
    return mentor, _mentor_profile_html(mentor)


def _mentor_profile_html(mentor: MentorProfile, suggested_skills=()) -> SafeString:
    context = {"mentor": mentor, "suggested_skills": suggested_skills}
    return render_to_string("mentorship/_mentor_profile.html", context)


@login_required
@ensure_csrf_cookie
def request_list(request):
    requests = list(selectors.request_list_for(user=request.user)[:200])
    pending = [r for r in requests if r.status == MentorshipRequest.Status.PENDING]
    answered = [r for r in requests if r.status != MentorshipRequest.Status.PENDING]
    return render(
        request,
        "mentorship/request_list.html",
        {
            "pending": pending,
            "answered": answered,
            "decline_reasons": MentorshipRequest.DeclineReason.choices,
        },
    )


@login_required
def mentorship_list(request):
    mentorships = selectors.mentorship_list_for(user=request.user)[:200]
    return render(request, "mentorship/mentorship_list.html", {"mentorships": mentorships})


@login_required
@ensure_csrf_cookie
def mentorship_detail(request, mentorship_id: int):
    mentorship = selectors.mentorship_list_for(user=request.user).filter(pk=mentorship_id).first()
    if mentorship is None:
        raise Http404("No such mentorship.")
    goals = selectors.goal_list_for(user=request.user).filter(mentee_id=mentorship.mentee_id)
    return render(
        request,
        "mentorship/mentorship_detail.html",
        {
            "mentorship": mentorship,
            "sessions": selectors.session_list(mentorship=mentorship),
            "goals": goals,
            "is_mentor": request.user.pk == mentorship.mentor_id,
            "is_mentee": request.user.pk == mentorship.mentee_id,
            "today": timezone.localdate(),
        },
    )


@login_required
@ensure_csrf_cookie
def goal_list(request):
    if not request.user.is_mentee:
        raise PermissionDenied("Goals belong to mentees; mentors see their mentees' goals on each mentorship.")
    return render(
        request,
        "mentorship/goal_list.html",
        {"goals": selectors.goal_list_for(user=request.user), "statuses": Goal.Status.choices},
    )
