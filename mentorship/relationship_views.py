"""Pages of a person's relationships in every format: their requests, their mentorships (a one-on-one, a circle, a
peer pair) and their goals. They read through selectors; every action on them goes through the API.

Templates branch on what the view tells them (`can_log_session`, `can_leave`, `can_share`, the words of
mentorship/naming.py), never on a role."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import ensure_csrf_cookie

from mentorship import goals, meetings, messages, naming, relationships, selectors, session_cards, together
from mentorship.models import Goal, MentorshipRequest
from mentorship.views import directory_url, mentored_somewhere
from programs.models import Membership, Program
from programs.selectors import current_program, membership_in, memberships_of, roles_in

Role = Membership.Role
SHARED_IN = (Program.Format.GROUP, Program.Format.PEER)  # the formats where members see each other's goals


def _finder(request) -> tuple[str, str] | None:
    """Where the viewer looks for someone to work with, as (label, address): a peer program's peers, else the
    mentor directory (for someone who is mentored somewhere); None for whom neither is."""
    program = current_program(request)
    if program.format == Program.Format.PEER and Role.PEER in roles_in(request.user, program):
        return "Find a peer", reverse("peer-directory", args=[program.slug])
    if mentored_somewhere(request.user):
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
        item.heading = naming.request_heading(item, viewer, mentor_url=directory_url(item.program, item.mentor_id))
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
    unread = messages.unread_counts(user=viewer)
    for item in mentorships:
        item.unread = unread.get(item.pk, 0)
        item.title = naming.mentorship_card_title(item, viewer)
        item.format_label = naming.FORMAT_LABELS[item.format]
        if item.is_circle:
            item.places = naming.circle_places(item, _capacity(viewer, item))
    return render(request, "mentorship/mentorship_list.html", {"mentorships": mentorships, "finder": _finder(request)})


def _capacity(viewer, mentorship) -> int | None:
    """The viewer's capacity in the mentorship's program when they are the mentor of this active circle (from the
    memberships every page has read already), else None."""
    if mentorship.mentor_id != viewer.pk or not mentorship.is_active:
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
    sessions = session_cards.session_cards(mentorship, viewer)
    shown_goals = _goals_by_person(viewer, current)
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
            # Once it ended, the others' goals are their owners' again (selectors.goals_visible_to).
            "goals_closed": not mentorship.is_active and not any(owned for _, owned in shown_goals["goals_of_others"]),
            "viewer_left": _left(mentorship, viewer),
            "sessions": sessions,
            "share_with": session_cards.share_with(mentorship, viewer),
            **shown_goals,
            "can_log_session": relationships.can_log_sessions(mentorship, viewer),
            # A circle's sessions say who came (the mentor ticks them); a one-on-one or a pair is everyone.
            "attendees_to_choose": mentorship.people() if mentorship.is_circle else [],
            # Either person ends a one-on-one or a pair; a circle's mentor closes it, and a member leaves it instead.
            "can_complete": mentorship.is_active and side is not None and not leaving,
            "can_leave": leaving,
            "can_share": side in ("mentee", "peer") and mentorship.format != Program.Format.ONE_ON_ONE,
            "today": timezone.localdate(),
            **meetings.page_context(mentorship, viewer),
            **together.page_context(mentorship, viewer),
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
    to_log = ([("My goals", own)] if own else []) + [(person.full_name, owned) for person, owned in others if owned]
    if len(to_log) == 1:
        to_log = [("", to_log[0][1])]
    return {
        "in_it": in_it,
        "own_goals": own,
        "goals_of_others": others,
        "shared_by_others": [(person, owned) for person, owned in others if owned],
        "goals_to_log": to_log,
    }


@login_required
@ensure_csrf_cookie
def goal_list(request):
    if not mentored_somewhere(request.user):
        raise PermissionDenied("Goals belong to mentees; mentors see their mentees' goals on each mentorship.")
    return render(
        request,
        "mentorship/goal_list.html",
        {
            "goals": selectors.goal_list_for(user=request.user).filter(mentee=request.user),
            "statuses": Goal.Status.choices,
            # Sharing shows a goal to one's circle or peer partner: offered to who has a program of either format.
            "can_share": any(
                m.is_active and m.role in goals.MENTORED_ROLES and m.program.format in SHARED_IN
                for m in memberships_of(request.user)
            ),
        },
    )
