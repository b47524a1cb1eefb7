"""Pages of the mentorship lifecycle. They read through selectors; every action on them goes through the API.

Templates branch on what the view tells them (`can_request`, `can_log_session`, which side of a relationship the
viewer is on), never on a role."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.views.decorators.csrf import ensure_csrf_cookie

from accounts.directory import directory_cached
from accounts.models import Skill
from mentorship import goals, relationships, selectors, services
from mentorship.api.filters import MentorFilter
from mentorship.models import Goal, MentorshipRequest
from programs.models import Membership, Program
from programs.selectors import current_program, memberships_of, program_for, roles_in

MENTORS_PER_PAGE = 12
Role = Membership.Role


def _program(request, slug: str | None) -> Program:
    """The program a page acts on: the one its address names (404 unless the viewer may see it), else the viewer's
    current one."""
    if slug is not None:
        return program_for(request.user, slug)
    return current_program(request)


def _directory_url(program: Program, mentor_id: int | None = None) -> str:
    """The default program's directory keeps its flat addresses; every other program's lives under its own."""
    if program.is_default:
        return reverse("mentor-page", args=[mentor_id]) if mentor_id else reverse("mentor-directory")
    if mentor_id:
        return reverse("program-mentor-page", kwargs={"program": program.slug, "mentor_id": mentor_id})
    return reverse("program-mentor-directory", kwargs={"program": program.slug})


def _mentored_somewhere(user) -> bool:
    return any(m.role in goals.MENTORED_ROLES and m.is_active for m in memberships_of(user))


@login_required
def mentor_directory(request, program: str | None = None):
    program = _program(request, program)
    body = directory_cached(
        f"page:{program.slug}:{request.GET.urlencode()}", lambda: _directory_body(request.GET, program)
    )
    return render(request, "mentorship/mentor_directory.html", {"body": body, "program": program})


def _directory_body(params, program: Program) -> SafeString:
    """The filters, the count, a page of mentor cards and the page links for one query string."""
    filters = MentorFilter(params, queryset=selectors.mentor_directory_listing(program))
    mentors = filters.qs if filters.is_valid() else selectors.mentor_directory(program).none()
    page = Paginator(mentors, MENTORS_PER_PAGE).get_page(params.get("page"))
    for mentor in page:
        mentor.page_url = _directory_url(program, mentor.user_id)
    query = params.copy()
    query.pop("page", None)
    context = {
        "program": program,
        "directory_url": _directory_url(program),
        "page": page,
        "filters": filters,
        "params": params,
        "query": query.urlencode(),
        "chosen_skills": params.getlist("skill"),
    }
    return render_to_string("mentorship/_mentor_directory_body.html", context)


@login_required
@ensure_csrf_cookie
def mentor_detail(request, mentor_id: int, program: str | None = None):
    program = _program(request, program)
    # The mentor's part is the same for everyone who looks: kept, rendered, until the directory changes.
    mentor, profile = directory_cached(
        f"mentor-page:{program.pk}:{mentor_id}", lambda: _mentor_profile(program, mentor_id)
    )
    if mentor is None:
        raise Http404("No such mentor.")
    can_request = Role.MENTEE in roles_in(request.user, program) and request.user.pk != mentor.user_id
    context = {
        "program": program,
        "mentor": mentor,
        "profile": profile,
        "directory_url": _directory_url(program),
        "can_request": can_request,
        "refusal": None,
        "goals": [],
    }
    if request.user.pk == mentor.user_id:  # others see approved skills only; the mentor also sees what waits
        suggested = Skill.objects.suggestions().filter(teaching_profiles__user=request.user)
        if suggested:
            context["profile"] = _mentor_profile_html(mentor, suggested_skills=suggested)
    if can_request:
        context["refusal"] = services.request_refusal(mentee=request.user, seat=mentor)
        context["goals"] = Goal.objects.filter(mentee=request.user, status=Goal.Status.OPEN).only("pk", "title")
    return render(request, "mentorship/mentor_detail.html", context)


def _mentor_profile(program: Program, mentor_id: int) -> tuple[Membership | None, SafeString]:
    """An active mentor of the program, listed or not: a mentee may ask one whose profile is still thin."""
    mentor = selectors.mentor_seats(program).prefetch_related("user__profile__skills").filter(user_id=mentor_id).first()
    if mentor is None:
        return None, SafeString()
    return mentor, _mentor_profile_html(mentor)


def _mentor_profile_html(mentor: Membership, suggested_skills=()) -> SafeString:
    skills = [skill for skill in mentor.user.profile.skills.all() if not skill.is_suggestion]
    context = {"mentor": mentor, "person": mentor.user.profile, "skills": skills, "suggested_skills": suggested_skills}
    return render_to_string("mentorship/_mentor_profile.html", context)


@login_required
@ensure_csrf_cookie
def request_list(request):
    requests = list(selectors.request_list_for(user=request.user)[:200])
    for item in requests:  # the viewer's side: they received it, sent it, or watch it as a program admin
        item.received = item.mentor_id == request.user.pk
        item.sent = item.mentee_id == request.user.pk
        item.mentor_url = _directory_url(item.program, item.mentor_id)
    pending = [r for r in requests if r.status == MentorshipRequest.Status.PENDING]
    answered = [r for r in requests if r.status != MentorshipRequest.Status.PENDING]
    return render(
        request,
        "mentorship/request_list.html",
        {
            "pending": pending,
            "answered": answered,
            "decline_reasons": MentorshipRequest.DeclineReason.choices,
            "can_find_mentor": _mentored_somewhere(request.user),
        },
    )


@login_required
def mentorship_list(request):
    mentorships = list(selectors.mentorship_list_for(user=request.user)[:200])
    for item in mentorships:
        item.mentoring = item.mentor_id == request.user.pk
    return render(
        request,
        "mentorship/mentorship_list.html",
        {"mentorships": mentorships, "can_find_mentor": _mentored_somewhere(request.user)},
    )


@login_required
@ensure_csrf_cookie
def mentorship_detail(request, mentorship_id: int):
    mentorship = selectors.mentorship_list_for(user=request.user).filter(pk=mentorship_id).first()
    if mentorship is None:
        raise Http404("No such mentorship.")
    side = mentorship.side_of(request.user)
    members = [m.user_id for m in mentorship.current_members()]
    goals = selectors.goal_list_for(user=request.user).filter(mentee_id__in=members)
    sessions = list(selectors.session_list(mentorship=mentorship))
    for item in sessions:  # what the viewer sees of the ratings: their own, or else the first one given
        ratings = list(item.feedback.all())
        own = next((f for f in ratings if f.author_id == request.user.pk), None)
        item.rating_shown = own or (ratings[0] if ratings else None)
        item.can_rate = own is None and relationships.can_rate(item, request.user)
    return render(
        request,
        "mentorship/mentorship_detail.html",
        {
            "mentorship": mentorship,
            "sessions": sessions,
            "goals": goals,
            "mentoring": side == "mentor",
            "mentored": side in ("mentee", "peer"),
            "can_log_session": relationships.can_log_sessions(mentorship, request.user),
            "can_complete": side is not None
            and mentorship.is_active
            and not (mentorship.is_circle and side != "mentor"),
            "today": timezone.localdate(),
        },
    )


@login_required
@ensure_csrf_cookie
def goal_list(request):
    if not _mentored_somewhere(request.user):
        raise PermissionDenied("Goals belong to mentees; mentors see their mentees' goals on each mentorship.")
    return render(
        request,
        "mentorship/goal_list.html",
        {
            "goals": selectors.goal_list_for(user=request.user).filter(mentee=request.user),
            "statuses": Goal.Status.choices,
        },
    )
