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
from mentorship import goals, naming, relationships, selectors, services
from mentorship.api.filters import MentorFilter
from mentorship.models import Goal, MentorshipRequest
from programs.models import Membership, Program
from programs.selectors import (
    current_program,
    is_program_admin,
    membership_in,
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


def _finder(request) -> tuple[str, str] | None:
    """Where the viewer looks for someone to work with, as (label, address): a peer program's peers, else the
    mentor directory (for someone who is mentored somewhere); None for whom neither is."""
    program = current_program(request)
    if program.format == Program.Format.PEER and Role.PEER in roles_in(request.user, program):
        return "Find a peer", reverse("peer-directory", args=[program.slug])
    if _mentored_somewhere(request.user):
        return "Find a mentor", reverse("mentor-directory")
    return None


@login_required
@ensure_csrf_cookie
def request_list(request):
    viewer = request.user
    requests = list(selectors.request_list_for(user=viewer)[:200])
    for item in requests:  # the viewer's side: they received it, sent it, or watch it as a program admin
        item.received = item.mentor_id == viewer.pk
        item.sent = item.mentee_id == viewer.pk
        item.is_peer = item.program.format == Program.Format.PEER
        item.heading = naming.request_heading(item, viewer, mentor_url=_directory_url(item.program, item.mentor_id))
        # A round's peer proposal is answered by both peers (services.request_accept): each says yes once, and
        # either may say no; nobody withdraws it.
        both_answer = item.is_peer and item.origin == MentorshipRequest.Origin.MATCH_ROUND
        item.both_answer = both_answer
        item.progress = naming.peer_offer_progress(item, viewer) if both_answer else ""
        own_yes = item.recipient_accepted_at if item.received else item.sender_accepted_at if item.sent else None
        item.can_accept = (item.received or (both_answer and item.sent)) and own_yes is None
        item.can_decline = item.received or (both_answer and item.sent)
        item.can_withdraw = item.sent and not both_answer
        if item.can_accept:
            item.accept_done = naming.accept_done(item, viewer)
        item.decline_to = item.mentor if both_answer and item.sent else item.mentee
    pending = [r for r in requests if r.status == MentorshipRequest.Status.PENDING]
    answered = [r for r in requests if r.status != MentorshipRequest.Status.PENDING]
    return render(
        request,
        "mentorship/request_list.html",
        {
            "pending": pending,
            "answered": answered,
            "decline_reasons": MentorshipRequest.DeclineReason.choices,
            "finder": _finder(request),
        },
    )


@login_required
def mentorship_list(request):
    viewer = request.user
    mentorships = list(selectors.mentorship_list_for(user=viewer)[:200])
    for item in mentorships:
        item.title = naming.mentorship_card_title(item, viewer)
        item.format_label = naming.FORMAT_LABELS[item.format]
        if item.is_circle:
            item.places = naming.circle_places(item, _capacity(viewer, item))
    return render(request, "mentorship/mentorship_list.html", {"mentorships": mentorships, "finder": _finder(request)})


def _capacity(viewer, mentorship) -> int | None:
    """The viewer's capacity in the mentorship's program when they are its mentor (from the memberships every page
    has read already), else None."""
    if mentorship.mentor_id != viewer.pk:
        return None
    seat = membership_in(viewer, mentorship.program, Role.MENTOR)
    return seat.capacity if seat else None


@login_required
@ensure_csrf_cookie
def mentorship_detail(request, mentorship_id: int):
    viewer = request.user
    mentorship = (
        selectors.mentorship_list_for(user=viewer).select_related("mentor__profile").filter(pk=mentorship_id).first()
    )
    if mentorship is None:
        raise Http404("No such mentorship.")
    side = mentorship.side_of(viewer)
    current = mentorship.current_members()
    reads_all_ratings = side in ("mentor", "peer") or not naming.was_member(mentorship, viewer)
    sessions = list(selectors.session_list(mentorship=mentorship))
    for item in sessions:
        ratings = list(item.feedback.all())
        attendees = {person.pk: person for person in item.attendees.all()}
        item.own_rating = next((f for f in ratings if f.author_id == viewer.pk), None)
        # A circle member reads their own rating; the mentor, the peers and the program's admins read everyone's.
        item.other_ratings = [f for f in ratings if f.author_id != viewer.pk] if reads_all_ratings else []
        item.can_rate = item.own_rating is None and relationships.can_rate(item, viewer)
        item.missed_it = side in ("mentee", "peer") and viewer.pk not in attendees
        item.came = sorted(attendees.values(), key=lambda person: person.pk != mentorship.mentor_id)
    goals = _goals_by_person(viewer, current)
    partner = naming.partners_of(mentorship, viewer) if mentorship.is_peer else []
    leaving = mentorship.is_circle and side == "mentee" and mentorship.is_active
    return render(
        request,
        "mentorship/mentorship_detail.html",
        {
            "mentorship": mentorship,
            "title": naming.mentorship_title(mentorship, viewer),
            "format_label": ""
            if mentorship.format == Program.Format.ONE_ON_ONE
            else naming.FORMAT_LABELS[mentorship.format],
            "members": current,
            "partner_name": partner[0].get_short_name() if len(partner) == 1 else "",
            "former_members": [m for m in mentorship.members.all() if m.status == m.Status.LEFT],
            "places": naming.circle_places(mentorship, _capacity(viewer, mentorship)) if mentorship.is_circle else "",
            "viewer_left": _left(mentorship, viewer),
            "sessions": sessions,
            **goals,
            "can_log_session": relationships.can_log_sessions(mentorship, viewer),
            # A circle's sessions say who came (the mentor ticks them); a one-on-one or a pair is everyone.
            "attendees_to_choose": mentorship.people() if mentorship.is_circle else [],
            # Either person ends a one-on-one or a pair; a circle's mentor closes it, and a member leaves it instead.
            "can_complete": mentorship.is_active and side is not None and not leaving,
            "can_leave": leaving,
            "can_share": side in ("mentee", "peer") and mentorship.format != Program.Format.ONE_ON_ONE,
            "today": timezone.localdate(),
        },
    )


def _left(mentorship, viewer):
    """The viewer's member row when they left this circle (it goes on without them), else None."""
    return next((m for m in mentorship.members.all() if m.user_id == viewer.pk and m.status == m.Status.LEFT), None)


def _goals_by_person(viewer, current) -> dict:
    """The goals the page shows, as selectors.goals_visible_to lets `viewer` see them: their own when they are in
    it (`own_goals`); everyone else's by person, in the order they joined (`goals_of_others`: [(user, [goal, …])]),
    which is every member's goals to a mentor and an admin, the shared ones to a member; and the same in groups
    for the session form's "goals touched" (`goals_to_log`: [(label, [goal, …])], unlabelled when one person's)."""
    ids = [m.user_id for m in current]
    by_person = {pk: [] for pk in ids}
    for goal in selectors.goal_list_for(user=viewer).filter(mentee_id__in=ids):
        by_person[goal.mentee_id].append(goal)
    in_it = viewer.pk in by_person
    own = by_person.pop(viewer.pk, [])
    others = [(m.user, by_person[m.user_id]) for m in current if m.user_id in by_person]
    to_log = ([("My goals", own)] if own else []) + [(person.full_name, goals) for person, goals in others if goals]
    if len(to_log) == 1:
        to_log = [("", to_log[0][1])]
    return {
        "in_it": in_it,
        "own_goals": own,
        "goals_of_others": others,
        "shared_by_others": [(person, goals) for person, goals in others if goals],
        "goals_to_log": to_log,
    }


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
    peers = Paginator(selectors.peer_directory(program=program, viewer=request.user), PEERS_PER_PAGE)
    page = peers.get_page(request.GET.get("page"))
    partners = selectors.mentorships_in(request.user, program).count() if is_peer else 0
    can_ask = is_peer and not program.has_ended() and partners < program.mentee_limit
    for peer in page:  # whom the viewer may ask now (services.peer_request_refusal says why not, as a 409)
        peer.full = peer.partners >= program.mentee_limit
        peer.askable = can_ask and not (peer.paired or peer.pending or peer.full)
    return render(
        request,
        "mentorship/peer_directory.html",
        {
            "program": program,
            "page": page,
            "has_ended": program.has_ended(),
            "viewer_full": is_peer and partners >= program.mentee_limit,
            "partners": partners,
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
