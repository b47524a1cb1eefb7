"""Pages where people find each other: a program's mentor directory and mentor pages, a peer program's peers. They
read through selectors; every action on them goes through the API (a person's requests, mentorships and goals:
relationship_views.py).

Templates branch on what the view tells them (`can_request`, `askable`), never on a role."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString
from django.views.decorators.csrf import ensure_csrf_cookie

from accounts.directory import directory_cached
from accounts.models import Skill
from mentorship import goals, selectors, services
from mentorship.api.filters import MentorFilter
from mentorship.models import Goal
from programs.models import Membership, Program
from programs.selectors import (
    current_program,
    is_program_admin,
    memberships_of,
    program_for,
    roles_in,
)

MENTORS_PER_PAGE = 12
PEERS_PER_PAGE = 24
Role = Membership.Role


def _program(request, slug: str | None) -> Program:
    """The program a page acts on: the one its address names (404 unless the viewer may see it), else the viewer's
    current one."""
    if slug is not None:
        return program_for(request.user, slug)
    return current_program(request)


def directory_url(program: Program, mentor_id: int | None = None) -> str:
    """The default program's directory keeps its flat addresses; every other program's lives under its own."""
    if program.is_default:
        return reverse("mentor-page", args=[mentor_id]) if mentor_id else reverse("mentor-directory")
    if mentor_id:
        return reverse("program-mentor-page", kwargs={"program": program.slug, "mentor_id": mentor_id})
    return reverse("program-mentor-directory", kwargs={"program": program.slug})


def mentored_somewhere(user) -> bool:
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
        mentor.page_url = directory_url(program, mentor.user_id)
    query = params.copy()
    query.pop("page", None)
    context = {
        "program": program,
        "directory_url": directory_url(program),
        "page": page,
        "filters": filters,
        "params": params,
        "query": query.urlencode(),
        "chosen_skills": params.getlist("skill"),
        "circles": program.format == Program.Format.GROUP,  # a mentor's places are in their circle
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
        "directory_url": directory_url(program),
        "can_request": can_request,
        "circles": program.format == Program.Format.GROUP,
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
    context = {
        "mentor": mentor,
        "person": mentor.user.profile,
        "skills": skills,
        "suggested_skills": suggested_skills,
        "circles": mentor.program.format == Program.Format.GROUP,
    }
    return render_to_string("mentorship/_mentor_profile.html", context)


@login_required
@ensure_csrf_cookie
def peer_directory(request, program: str):
    """A peer program's peers, for its peers (to find someone to pair with) and its admins."""
    program = program_for(request.user, program)
    is_peer = Role.PEER in roles_in(request.user, program)
    if program.format != Program.Format.PEER:
        raise Http404("This program pairs mentees with mentors: see its mentors.")
    if not is_peer and not is_program_admin(request.user, program):
        raise PermissionDenied("Only the program's peers and admins see its peers.")
    peers = Paginator(selectors.peer_directory(program, viewer=request.user), PEERS_PER_PAGE)
    page = peers.get_page(request.GET.get("page"))
    partners = selectors.mentorships_in(request.user, program).count() if is_peer else 0
    can_ask = is_peer and not program.has_ended() and partners < program.mentee_limit
    for peer in page:  # whom the viewer may ask now (services.peer_request_refusal says why not, as a 409)
        peer.full = peer.open_slots == 0
        peer.askable = can_ask and not (peer.paired_with_viewer or peer.pending_with_viewer or peer.full)
    return render(
        request,
        "mentorship/peer_directory.html",
        {
            "program": program,
            "page": page,
            "is_peer": is_peer,
            "has_ended": program.has_ended(),
            "viewer_full": is_peer and partners >= program.mentee_limit,
            "partners": partners,
        },
    )
