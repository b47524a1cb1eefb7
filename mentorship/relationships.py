"""Every write of a running mentorship, in any format: starting it (or joining a mentor's circle) when a request is
accepted, leaving a circle, completing it, logging sessions, rating them (everyone who came) and rating the
mentees' progress on the goals they worked on (the mentor; in a peer pair, the partner). Each public function is
one transaction; capacity itself is counted by the request services, under the memberships' row locks, before they
call `mentorship_start`.
"""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.directory import directory_changed
from accounts.models import User
from config.errors import Conflict
from mentorship.models import (
    Feedback,
    Goal,
    Mentorship,
    MentorshipMember,
    MentorshipRequest,
    ProgressRating,
    Session,
)
from programs.models import Membership, Program

Format = Program.Format
Member = MentorshipMember


def mentorship_start(*, request: MentorshipRequest, now: dt.datetime) -> Mentorship:
    """The accepted `request` brings its people together in its program's format: a new one-on-one; a place in
    the mentor's circle (the circle starts with its first member); a new peer pair. The caller holds the locks and
    has checked capacity and limits."""
    program = request.program
    if program.format == Format.PEER:
        mentorship = Mentorship.objects.create(
            program=program, format=Format.PEER, mentor=None, request=request, started_at=now
        )
        for user_id in (request.mentee_id, request.mentor_id):
            _member_add(mentorship, user_id=user_id, role=Member.Role.PEER, request=request, now=now)
        return mentorship
    circle = None
    if program.format == Format.GROUP:
        circle = (
            Mentorship.objects.active()
            .in_program(program)
            .filter(format=Format.GROUP, mentor_id=request.mentor_id)
            .select_for_update()
            .first()
        )
    mentorship = circle or Mentorship.objects.create(
        program=program, format=program.format, mentor_id=request.mentor_id, request=request, started_at=now
    )
    _member_add(mentorship, user_id=request.mentee_id, role=Member.Role.MENTEE, request=request, now=now)
    return mentorship


def _member_add(mentorship: Mentorship, *, user_id: int, role: str, request, now: dt.datetime) -> None:
    # A new row even for someone back in a circle they left: their first stay and its request stay as they were.
    Member.objects.create(
        mentorship=mentorship,
        program_id=mentorship.program_id,
        mentor_id=mentorship.mentor_id,
        user_id=user_id,
        role=role,
        joined_at=now,
        request=request,
    )


def _lock(mentorship_id: int) -> Mentorship:
    return Mentorship.objects.select_for_update().select_related("program").get(pk=mentorship_id)


@transaction.atomic
def mentorship_complete(*, mentorship_id: int, user: User) -> Mentorship:
    """Ends it for everyone. One-on-one and peer: either person; a circle: its mentor closes it (a member leaves
    instead, `member_leave`)."""
    mentorship = _lock(mentorship_id)
    side = mentorship.side_of(user)
    if side is None or (mentorship.is_circle and side != "mentor"):
        raise PermissionDenied(
            "Only the circle's mentor closes it; a member leaves it."
            if mentorship.is_circle
            else "Only the people in a mentorship can complete it."
        )
    if not mentorship.is_active:
        raise Conflict("This mentorship is already completed.", code="not_active")
    now = timezone.now()
    mentorship.status = Mentorship.Status.COMPLETED
    mentorship.ended_at = now
    mentorship.ended_by = user
    mentorship.save(update_fields=["status", "ended_at", "ended_by", "updated_at"])
    mentorship.members.filter(status=Member.Status.ACTIVE).update(
        status=Member.Status.ENDED, left_at=now, updated_at=now
    )
    _meetings().meetings_withdraw(mentorship=mentorship, by=user)
    directory_changed()  # slots freed
    return mentorship


@transaction.atomic
def member_leave(*, mentorship_id: int, user: User) -> Mentorship:
    """A member leaves a circle that goes on without them; their place is free for someone else."""
    mentorship = _lock(mentorship_id)
    if mentorship.side_of(user) not in (Member.Role.MENTEE, Member.Role.PEER):
        raise PermissionDenied("Only a member of this circle can leave it.")
    if not mentorship.is_circle:
        raise Conflict("Only a group circle can be left; complete this mentorship instead.", code="not_a_circle")
    if not mentorship.is_active:
        raise Conflict("This circle is closed already.", code="not_active")
    member = mentorship.members.get(user=user, status=Member.Status.ACTIVE)
    member.status, member.left_at = Member.Status.LEFT, timezone.now()
    member.save(update_fields=["status", "left_at", "updated_at"])
    _meetings().meetings_withdraw(mentorship=mentorship, by=user, leaving=user)
    directory_changed()  # a place freed
    return mentorship


def _meetings():
    """mentorship.meetings records a meeting through session_log here: imported when called, not at the top."""
    from mentorship import meetings

    return meetings


def can_log_sessions(mentorship: Mentorship, user: User) -> bool:
    """The mentor logs a mentorship's sessions; in a peer pair, either peer."""
    side = mentorship.side_of(user)
    return mentorship.is_active and (side == "mentor" or (mentorship.is_peer and side == "peer"))


@transaction.atomic
def session_log(
    *,
    mentorship: Mentorship,
    author: User,
    date: dt.date,
    duration_minutes: int,
    notes: str = "",
    topics: Iterable[str] = (),
    goal_ids: Iterable[int] = (),
    attendee_ids: Iterable[int] | None = None,
) -> Session:
    """One record for everyone in it. `attendee_ids`: who came (everyone in it now when not given); the goals
    worked on are attending members' goals (not the mentor's)."""
    side = mentorship.side_of(author)
    if side not in ("mentor", "peer"):
        raise PermissionDenied("Only the mentor logs sessions." if not mentorship.is_peer else "Only the peers log.")
    if not mentorship.is_active:
        raise Conflict("This mentorship is completed; it takes no new sessions.", code="not_active")
    if date > timezone.localdate():
        raise ValidationError({"date": ["A session cannot be logged for a date in the future."]})
    if date < timezone.localtime(mentorship.started_at).date():
        raise ValidationError({"date": ["This date is before the mentorship started."]})
    people = {person.pk: person for person in mentorship.people()}
    attendees = list(people) if attendee_ids is None else list(dict.fromkeys(attendee_ids))
    strangers = [pk for pk in attendees if pk not in people]
    if strangers:
        raise ValidationError({"attendees": [f"{pk} is not in this mentorship." for pk in strangers]})
    if not attendees:
        raise ValidationError({"attendees": ["Name at least one person who came."]})
    # The members' goals: a mentor's own (they may be mentored elsewhere) are no business of this mentorship.
    goals = _goals_of([pk for pk in attendees if pk != mentorship.mentor_id], goal_ids)
    session = Session(
        mentorship=mentorship,
        date=date,
        duration_minutes=duration_minutes,
        notes=notes,
        topics=list(dict.fromkeys(topics)),
    )
    session.full_clean()
    session.save()
    session.attendees.set(attendees)
    session.goals.set(goals)
    return session


def _goals_of(members: list[int], goal_ids: Iterable[int]) -> list[Goal]:
    goal_ids = list(dict.fromkeys(goal_ids))
    goals = {g.pk: g for g in Goal.objects.filter(mentee_id__in=members, pk__in=goal_ids)}
    unknown = [pk for pk in goal_ids if pk not in goals]
    if unknown:
        raise ValidationError({"goals": [f"No goal {pk} of a member who came." for pk in unknown]})
    return [goals[pk] for pk in goal_ids]


def can_rate(session: Session, user: User) -> bool:
    """Everyone who came rates a session: the mentor, each attending member (the mentee of a one-on-one, a circle's
    members, both peers). A member who left a circle still rates the sessions they came to."""
    mentorship = session.mentorship
    in_it = user.pk == mentorship.mentor_id or any(m.user_id == user.pk for m in mentorship.members.all())
    return in_it and any(a.pk == user.pk for a in session.attendees.all())


def reads_confidential(mentorship: Mentorship, user: User) -> bool:
    """The program's admins (and site staff) read every comment, shared or not. One query, asked afresh: the
    person's memberships kept on their user object would make a list's first page cost more than its next."""
    if user.is_staff:
        return True
    return Membership.objects.filter(user=user, program_id=mentorship.program_id).admins().active().exists()


def comment_visible(feedback: Feedback, viewer: User, *, confidential: bool) -> bool:
    """A comment is its author's and the program admins' (`confidential`: the viewer is one) until its author
    shares it with the others in the mentorship."""
    return feedback.shared or feedback.author_id == viewer.pk or confidential


def progress_visible(rating: ProgressRating, viewer: User, *, confidential: bool) -> bool:
    """A progress rating is for the goal's owner, from its rater; the program's admins read them all."""
    return confidential or viewer.pk in (rating.rater_id, rating.goal.mentee_id)


@transaction.atomic
def feedback_give(*, session: Session, author: User, rating: int, comment: str = "", shared: bool = False) -> Feedback:
    if not can_rate(session, author):
        raise PermissionDenied("Only someone who came to this session rates it.")
    feedback = Feedback(session=session, author=author, rating=rating, comment=comment, shared=shared)
    feedback.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            feedback.save()
    except IntegrityError:
        raise Conflict("You have already rated this session.", code="already_rated") from None
    return feedback


def rates_progress(mentorship: Mentorship, user: User) -> bool:
    """The mentor rates the mentees' progress; in a peer pair, each peer their partner's."""
    return mentorship.side_of(user) in ("mentor", "peer")


def goals_to_rate(session: Session, user: User, *, mentorship: Mentorship | None = None) -> list[Goal]:
    """The goals touched in `session` whose progress `user` rates: all of them for the mentor; a peer, their
    partner's. Reads the prefetched `goals`, and `mentorship` (the session's) when the caller has it whole."""
    if not rates_progress(mentorship or session.mentorship, user):
        return []
    return [goal for goal in session.goals.all() if goal.mentee_id != user.pk]


@transaction.atomic
def progress_rate(*, session: Session, rater: User, ratings: Iterable[dict]) -> list[ProgressRating]:
    """Rate the progress on goals the session worked on, all at once (each `{goal, rating, note?}`): any goal
    the rater may not rate here is a 400 and nothing is saved; a goal they rated for this session already, a 409."""
    if not rates_progress(session.mentorship, rater):
        raise PermissionDenied("Only the mentor (in a peer pair, the partner) rates progress on goals.")
    rateable = {goal.pk: goal for goal in goals_to_rate(session, rater)}
    items = list(ratings)
    if not items:
        raise ValidationError({"ratings": ["Rate at least one goal."]})
    errors, seen = [], set()
    for item in items:
        goal_id = item["goal"]
        if goal_id in seen:
            errors.append(f"Goal {goal_id} is rated twice.")
        elif goal_id not in rateable:
            errors.append(f"Goal {goal_id} is not one you rate in this session: it was not worked on here.")
        seen.add(goal_id)
    if errors:
        raise ValidationError({"ratings": errors})
    rows = [
        ProgressRating(
            session=session,
            goal=rateable[item["goal"]],
            rater=rater,
            rating=item["rating"],
            note=item.get("note", ""),
        )
        for item in items
    ]
    for row in rows:
        row.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            ProgressRating.objects.bulk_create(rows)
    except IntegrityError:
        raise Conflict("You have already rated progress on this goal for this session.", code="already_rated") from None
    return rows
