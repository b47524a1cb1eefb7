"""The home page: a first-run checklist, how complete one's profile is, and what each of one's roles in the current
program needs first, assembled from every app's selectors."""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from evaluation.survey_selectors import surveys_pending
from matching import recommendations
from matching.selectors import round_list
from mentorship import action_items, meetings, naming
from mentorship import selectors as mentorship
from mentorship.models import Goal, Mentorship, MentorshipRequest
from programs import selectors as programs
from programs.models import Membership

SURVEYS_ON_HOME = 3

RECOMMENDED_ON_HOME = 5
ACTION_ITEMS_ON_HOME = 20
MEETINGS_ON_HOME = 5
Role = Membership.Role


def _profile_meter(profile, *, teaches: bool, learns: bool) -> tuple[list[tuple[str, bool]], bool]:
    """What of the profile is filled in, and whether it has the minimum others need to choose the person (the
    directory's rule for mentors: headline or bio, a skill, an industry; a mentee's wanted skill for mentors)."""
    skills = list(profile.skills.all()) if teaches else []
    wanted = list(profile.wanted_skills.all()) if learns else []
    parts = [
        ("A headline", bool(profile.headline)),
        ("A short bio", bool(profile.bio)),
        ("Your industry", profile.industry_id is not None),
        ("The languages you speak", bool(profile.languages)),
    ]
    if teaches or not learns:
        parts.append(("Skills you can teach", bool(skills)))
    if learns:
        parts.append(("Skills you want to grow", bool(wanted)))
    # For a mentor, the directory's own rule (Membership.objects.listed()): a skill counts once approved, so
    # "complete" here means "listed there".
    minimum = (
        bool(profile.headline or profile.bio)
        and profile.industry_id is not None
        and (not teaches or any(not skill.is_suggestion for skill in skills))
        and (not learns or bool(wanted))
    )
    return parts, minimum


def _named(user, mentorship_ids: set[int]) -> dict[int, str]:
    """Each mentorship's name as `user` calls it ("Rosa's circle", "Mei Santos")."""
    if not mentorship_ids:
        return {}
    theirs = mentorship.mentorship_list_for(user=user).filter(pk__in=mentorship_ids)
    return {m.pk: naming.mentorship_card_title(m, user) for m in theirs}


def _open_action_items(user) -> list:
    """The person's open action items in every mentorship they are in, the overdue first, each with the name of
    its mentorship as the person calls it."""
    items = list(action_items.action_items_open_for(owner=user)[:ACTION_ITEMS_ON_HOME])
    named = _named(user, {item.mentorship_id for item in items})
    today = timezone.localdate()
    for item in items:
        item.overdue = action_items.is_overdue(item, today)
        item.where = named.get(item.mentorship_id, "")
    return items


def _next_meetings(user) -> list:
    """The person's next planned meetings, each with its time in their own zone and its mentorship's name."""
    upcoming = list(meetings.upcoming_for(user=user, now=timezone.now())[:MEETINGS_ON_HOME])
    named = _named(user, {meeting.mentorship_id for meeting in upcoming})
    for meeting in upcoming:
        meeting.when = meetings.when_for(meeting, user)
        meeting.where = named.get(meeting.mentorship_id, "")
    return upcoming


@login_required
def home(request):
    user = request.user
    program = programs.current_program(request)
    roles = programs.roles_in(user, program)
    everywhere = {m.role for m in programs.memberships_of(user) if m.is_active}
    can_request = Role.MENTEE in roles
    pairs_here = Role.PEER in roles
    mentors_here = Role.MENTOR in roles
    profile = user.profile
    parts, profile_ready = _profile_meter(
        profile, teaches=Role.MENTOR in everywhere, learns=bool(everywhere & {Role.MENTEE, Role.PEER})
    )
    checklist = [("Complete your profile", reverse("profile-page"), profile_ready)]
    participates = bool(everywhere - {Role.ADMIN})
    if not participates:
        checklist.insert(0, ("Join a program", reverse("program-list-page"), False))
    if not participates and (user.is_staff or Role.ADMIN in everywhere):
        checklist = []  # someone who runs programs has no first steps as a participant to take
    if can_request or pairs_here:
        checklist.append(("Set a goal", reverse("goal-list-page"), Goal.objects.filter(mentee=user).exists()))
        if pairs_here:  # asked, or asked by a peer: either way a pair is in the making
            asked = MentorshipRequest.objects.filter(Q(mentee=user) | Q(mentor=user), program=program).exists()
            checklist.append(("Ask a peer", reverse("peer-directory", args=[program.slug]), asked))
        else:
            asked = MentorshipRequest.objects.filter(mentee=user, program=program).exists()
            checklist.append(("Ask a mentor", reverse("mentor-directory"), asked))
    context = {
        "account": user,
        "program": program,
        "checklist": checklist,
        "checklist_done": all(done for _, _, done in checklist),
        "profile_parts": parts,
        "profile_filled": sum(done for _, done in parts),
        "profile_share": sum(done for _, done in parts) / len(parts),
        "can_request": can_request,
        "pairs_here": pairs_here,
        "mentors_here": mentors_here,
        "is_admin_here": programs.is_program_admin(user, program),
    }
    mine_here = mentorship.mentorship_list_for(user=user).filter(pk__in=mentorship.mentorships_in(user, program))
    if can_request:
        context["recommended"] = recommendations.recommended_mentors(
            mentee=user, program=program, limit=RECOMMENDED_ON_HOME
        )
        context["requests"] = mentorship.request_list_for(user=user).filter(mentee=user, program=program)[:5]
        context["mentorship"] = mine_here.first()
    if can_request or pairs_here:
        context["goals"] = mentorship.goal_list_for(user=user).filter(mentee=user)
    if pairs_here:
        pairs = list(mine_here)
        for pair in pairs:
            pair.partners = ", ".join(str(person) for person in naming.partners_of(pair, user))
        context["pairs"] = pairs
        peer_requests = list(
            mentorship.request_list_for(user=user).filter(Q(mentee=user) | Q(mentor=user), program=program)[:5]
        )
        for item in peer_requests:
            item.heading = naming.request_heading(item, user)
        context["peer_requests"] = peer_requests
    if mentors_here:
        membership = programs.membership_in(user, program, Role.MENTOR)
        context["capacity"] = membership.capacity
        context["pending"] = mentorship.request_list_for(user=user).filter(
            mentor=user, program=program, status=MentorshipRequest.Status.PENDING
        )
        mentoring = list(
            mentorship.mentorship_list_for(user=user).filter(
                mentor=user, program=program, status=Mentorship.Status.ACTIVE
            )
        )
        context["mentorships"] = mentoring
        # A circle holds several of the mentor's places; a one-on-one, one.
        context["taken"] = sum(len(m.current_members()) for m in mentoring)
        context["circle"] = next((m for m in mentoring if m.is_circle), None)
    context["action_items"] = _open_action_items(user)
    context["next_meetings"] = _next_meetings(user)
    context["surveys_waiting"] = list(surveys_pending(user)[:SURVEYS_ON_HOME])
    if context["is_admin_here"]:
        context["rounds"] = round_list(program)[:5]
    return render(request, "home.html", context)
