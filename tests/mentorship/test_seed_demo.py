import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Q
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD
from accounts.models import Industry, Profile, Skill, User
from mentorship.models import Feedback, Goal, Mentorship, MentorshipMember, MentorshipRequest, Milestone, Session
from programs.models import Membership, Program
from programs.selectors import is_program_admin

Role = Membership.Role


def _main() -> Program:
    return Program.objects.default()


def _members(program: Program, role: str):
    return Membership.objects.in_program(program).filter(role=role)


def _listed_mentors(program: Program):
    """Who a mentee of `program` may choose from: its active, accepting mentors (the directory adds profile rules)."""
    return _members(program, Role.MENTOR).active().accepting()


@pytest.mark.django_db
def test_seed_demo_builds_a_believable_program_and_prints_the_logins(capsys):
    call_command("seed_demo")

    out = capsys.readouterr()
    main = _main()
    mentors = Profile.objects.filter(user__memberships__in=_members(main, Role.MENTOR))
    mentees = Profile.objects.filter(user__memberships__in=_members(main, Role.MENTEE))
    assert mentors.count() >= 50
    assert mentees.count() >= 150
    assert Industry.objects.count() >= 10
    assert not mentors.filter(skills=None).exists()  # a mentor's expertise is what they can teach
    assert not mentees.filter(wanted_skills=None).exists()  # a mentee's what they want to grow
    assert not mentees.filter(industry=None).exists()
    for username in ("admin", "coordinator", "mentor", "mentee"):
        assert username in out.out
    assert DEMO_PASSWORD in out.out
    assert "100%" in out.err  # the progress bar ran to the end


@pytest.mark.django_db
def test_seed_demo_creates_six_programs_each_with_its_people():
    call_command("seed_demo")

    today = timezone.localdate()
    main = Program.objects.get(slug="main")
    assert (main.kind, main.format, main.enrollment) == ("evergreen", "one_on_one", "open")
    cohort = Program.objects.get(kind="cohort")
    assert cohort.starts_on <= today <= cohort.ends_on and not cohort.has_ended()
    reverse = Program.objects.get(slug="reverse-mentoring")
    circle = Program.objects.get(enrollment="invite")
    assert circle.mentor_approval
    group = Program.objects.get(format="group")
    peer = Program.objects.get(format="peer")
    assert Program.objects.count() == 6
    for program in (main, cohort, reverse, circle, group):
        assert _members(program, Role.MENTOR).active().exists(), program
        assert _members(program, Role.MENTEE).active().exists(), program
    # A peer program's people are peers: no mentor, no mentee.
    assert _members(peer, Role.PEER).active().count() >= 20
    assert not _members(peer, Role.MENTOR).exists() and not _members(peer, Role.MENTEE).exists()
    assert peer.mentee_limit == 2
    assert MentorshipRequest.objects.filter(program=cohort).exists()
    assert Mentorship.objects.filter(program=reverse, status="active").exists()
    # The circle: a mentor waiting for approval, someone invited who has not answered yet.
    assert _members(circle, Role.MENTOR).filter(status="pending", user__is_active=True).exists()
    invited = _members(circle, Role.MENTEE).get(status="invited")
    assert invited.invited_by is not None and is_program_admin(invited.invited_by, circle)


@pytest.mark.django_db
def test_in_reverse_mentoring_the_demo_mentee_mentors_and_the_demo_mentor_is_mentored():
    call_command("seed_demo")

    reverse = Program.objects.get(slug="reverse-mentoring")
    assert _members(reverse, Role.MENTOR).active().filter(user__username="mentee").exists()
    assert _members(reverse, Role.MENTEE).active().filter(user__username="mentor").exists()
    # Its mentors are mentees in main, its mentees mentors there.
    main = _main()
    juniors = _members(reverse, Role.MENTOR).values("user")
    seniors = _members(reverse, Role.MENTEE).values("user")
    assert _members(main, Role.MENTEE).filter(user__in=juniors).count() == juniors.count()
    assert _members(main, Role.MENTOR).filter(user__in=seniors).count() == seniors.count()
    # The demo mentee has a request to answer there, as a mentor.
    assert (
        MentorshipRequest.objects.pending()
        .filter(program=reverse, mentor__username="mentee", mentee__username="mentor")
        .exists()
    )
    # People with both sides: those who mentor there can teach, those mentored there want to grow.
    assert not Profile.objects.filter(user__in=juniors, skills=None).exists()
    assert not Profile.objects.filter(user__in=seniors, wanted_skills=None).exists()
    both = Profile.objects.filter(skills__isnull=False, wanted_skills__isnull=False).distinct()
    assert both.count() >= juniors.count() + seniors.count()


@pytest.mark.django_db
def test_the_pending_mentor_of_the_invite_only_program_is_in_no_directory():
    call_command("seed_demo")

    pending = Membership.objects.get(status="pending")
    assert (pending.role, pending.program.enrollment) == ("mentor", "invite")
    assert pending.user.profile.skills.exists()  # ready to mentor, waiting for the admin
    assert not Membership.objects.filter(user=pending.user, role=Role.MENTOR).active().exists()
    for program in Program.objects.all():
        assert not _listed_mentors(program).filter(user=pending.user).exists(), program


@pytest.mark.django_db
def test_program_admins_are_memberships_and_the_coordinator_administers_the_cohort_only():
    call_command("seed_demo")

    main, cohort = _main(), Program.objects.get(kind="cohort")
    admin = User.objects.get(username="admin")
    assert admin.is_staff and _members(main, Role.ADMIN).filter(user=admin).exists()
    coordinator = User.objects.get(username="coordinator")
    assert not coordinator.is_staff and coordinator.is_program_admin
    assert [m.program for m in coordinator.memberships.all()] == [cohort]
    assert is_program_admin(coordinator, cohort)
    for program in Program.objects.exclude(pk=cohort.pk):
        assert not is_program_admin(coordinator, program), program
    circle = Program.objects.get(enrollment="invite")
    circle_admin = _members(circle, Role.ADMIN).get().user
    assert not circle_admin.is_staff and _members(main, Role.MENTOR).filter(user=circle_admin).exists()


@pytest.mark.django_db
def test_demo_logins_work_with_the_printed_password():
    call_command("seed_demo")

    assert User.objects.get(username="admin").is_program_admin
    for username in ("admin", "coordinator", "mentor", "mentee"):
        assert User.objects.get(username=username).check_password(DEMO_PASSWORD)


@pytest.mark.django_db
def test_seed_demo_twice_adds_nothing_the_second_time(capsys):
    call_command("seed_demo")
    models = (User, Program, Membership, MentorshipRequest, Mentorship, MentorshipMember, Session, Feedback, Goal)
    counts = [model.objects.count() for model in models]

    call_command("seed_demo")

    assert [model.objects.count() for model in models] == counts
    assert Program.objects.count() == 6
    assert "already loaded" in capsys.readouterr().out


@pytest.mark.django_db
def test_demo_usernames_and_emails_are_unique_whatever_the_case():
    call_command("seed_demo")

    usernames = [u.lower() for u in User.objects.values_list("username", flat=True)]
    assert len(usernames) == len(set(usernames))
    assert Profile.objects.count() == User.objects.count()  # everyone has their one profile


@pytest.mark.django_db
def test_the_demo_history_keeps_every_rule_of_each_program():
    call_command("seed_demo")

    main = _main()
    statuses = set(MentorshipRequest.objects.filter(program=main).values_list("status", flat=True))
    assert statuses == {"pending", "accepted", "declined", "withdrawn", "expired"}
    assert set(Mentorship.objects.filter(program=main).values_list("status", flat=True)) == {"active", "completed"}
    members = MentorshipMember.objects.active()
    active = members.filter(mentor__isnull=False).values("program", "mentor").annotate(n=Count("id"))
    capacity = {(m.program_id, m.user_id): m.capacity for m in Membership.objects.mentors()}
    for row in active:
        assert row["n"] <= capacity[(row["program"], row["mentor"])], row
    limits = dict(Program.objects.values_list("pk", "mentee_limit"))
    for row in members.values("program", "user").annotate(n=Count("id")):
        assert row["n"] <= limits[row["program"]], f"a person in too many mentorships: {row}"
    # Nothing crosses programs: each side of a request or mentorship is an active member there in its role.
    roles = set(Membership.objects.active().values_list("program", "user", "role"))
    sides = [*MentorshipRequest.objects.values_list("program", "mentee", "mentor", "program__format")]
    sides += [*MentorshipMember.objects.values_list("program", "user", "mentor", "mentorship__format")]
    for program, mentee, mentor, form in sides:
        if form == "peer":
            assert {(program, mentee, "peer"), (program, mentor, "peer")} <= roles or mentor is None
            assert (program, mentee, "peer") in roles
        else:
            assert (program, mentee, "mentee") in roles and (program, mentor, "mentor") in roles
    pending = MentorshipRequest.objects.pending().values("program", "mentee", "mentor").annotate(n=Count("id"))
    assert not pending.filter(n__gt=1).exists()
    for session in Session.objects.select_related("mentorship"):
        assert session.mentorship.started_at.date() <= session.date <= timezone.localdate()
        if session.mentorship.ended_at:
            assert session.date <= session.mentorship.ended_at.date()
    for request in MentorshipRequest.objects.select_related("program"):
        assert request.expires_at - request.created_at == dt.timedelta(days=request.program.request_expiry_days)
    assert Feedback.objects.exists()
    assert Milestone.objects.filter(done=True).exists() and Milestone.objects.filter(done=False).exists()
    assert MentorshipRequest.objects.filter(created_at__lt=timezone.now() - dt.timedelta(days=30)).exists()


@pytest.mark.django_db
def test_the_demo_group_program_keeps_the_rules_of_circles():
    call_command("seed_demo")

    group = Program.objects.get(format="group")
    circles = Mentorship.objects.filter(program=group)
    assert set(circles.values_list("format", flat=True)) == {"group"}
    assert not circles.filter(mentor=None).exists()
    # One open circle per mentor, of three to six members, within the mentor's capacity there.
    open_circles = circles.active()
    assert open_circles.count() >= 4
    per_mentor = open_circles.values("mentor").annotate(n=Count("id"))
    assert not per_mentor.filter(n__gt=1).exists()
    capacity = dict(_members(group, Role.MENTOR).values_list("user", "capacity"))
    for circle in open_circles.annotate(size=Count("members", filter=Q(members__status="active"))):
        assert 3 <= circle.size <= 6, circle
        assert circle.size <= capacity[circle.mentor_id], circle
    # A circle that closed (its members ended with it), a member who left one that goes on.
    closed = circles.get(status="completed")
    assert set(closed.members.values_list("status", flat=True)) == {"ended"}
    left = MentorshipMember.objects.get(program=group, status="left")
    assert left.mentorship.is_active and left.left_at > left.joined_at
    # Every member is a mentee of the program, brought in by an accepted request of theirs to the circle's mentor.
    for member in MentorshipMember.objects.filter(program=group).select_related("request", "mentorship"):
        assert member.role == "mentee"
        assert member.mentor_id == member.mentorship.mentor_id
        assert (member.request.status, member.request.mentee_id) == ("accepted", member.user_id)
        assert member.request.mentor_id == member.mentor_id
    # Not every member came to every session; some of those who came rated it.
    attended = Session.attendees.through.objects.filter(session__mentorship__program=group)
    members_at = Count("mentorship__members", filter=Q(mentorship__members__status="active"))
    sessions = Session.objects.filter(mentorship__program=group, mentorship__status="active").annotate(n=members_at)
    assert any(attended.filter(session=s).count() - 1 < s.n for s in sessions)  # the mentor is an attendee too
    assert Feedback.objects.filter(session__mentorship__program=group).exists()
    # Someone waits, asking the demo mentor; a goal or two is shared with the circle.
    assert MentorshipRequest.objects.pending().filter(program=group, mentor__username="mentor").exists()
    waiting = _members(group, Role.MENTEE).exclude(user__in=MentorshipMember.objects.active().values("user"))
    assert waiting.exists()
    assert Goal.objects.filter(shared=True, mentee__in=MentorshipMember.objects.filter(program=group).values("user"))


@pytest.mark.django_db
def test_the_demo_peer_program_keeps_the_rules_of_pairs():
    call_command("seed_demo")

    peer = Program.objects.get(format="peer")
    pairs = Mentorship.objects.filter(program=peer)
    assert pairs.active().count() >= 10 and pairs.filter(status="completed").exists()
    assert set(pairs.values_list("format", flat=True)) == {"peer"}
    assert not pairs.exclude(mentor=None).exists()
    for pair in pairs.prefetch_related("members"):
        members = list(pair.members.all())
        assert len(members) == 2 and {m.role for m in members} == {"peer"}, pair
        assert members[0].user_id != members[1].user_id
        assert members[0].request_id == members[1].request_id == pair.request_id
        assert {pair.request.mentee_id, pair.request.mentor_id} == {m.user_id for m in members}
    # No two peers in two active pairs together; nobody over the program's limit of partners, some at it.
    active = MentorshipMember.objects.active().filter(program=peer)
    couples = [frozenset(m.user_id for m in p.members.all()) for p in pairs.active().prefetch_related("members")]
    assert len(couples) == len(set(couples))
    partners = active.values("user").annotate(n=Count("id"))
    assert max(row["n"] for row in partners) == peer.mentee_limit
    # A pair too new to have met, and peers not paired yet.
    assert pairs.active().filter(sessions=None).exists()
    assert _members(peer, Role.PEER).exclude(user__in=active.values("user")).count() >= 2
    # Sessions are attended by both and rated by one, both or neither.
    ratings = Session.objects.filter(mentorship__program=peer).annotate(n=Count("feedback")).values_list("n", flat=True)
    assert set(ratings) == {0, 1, 2}
    attended = Session.objects.filter(mentorship__program=peer).annotate(n=Count("attendees"))
    assert set(attended.values_list("n", flat=True)) == {2}


@pytest.mark.django_db
def test_every_demo_session_is_attended_and_rated_by_its_people_of_the_day():
    call_command("seed_demo")

    members_of = {}
    for member in MentorshipMember.objects.all():
        members_of.setdefault(member.mentorship_id, []).append(member)
    sessions = Session.objects.select_related("mentorship").prefetch_related("attendees", "feedback", "goals")
    for session in sessions:
        there = {
            m.user_id
            for m in members_of[session.mentorship_id]
            if m.joined_at.date() <= session.date and (m.left_at is None or m.left_at.date() >= session.date)
        }
        came = {user.pk for user in session.attendees.all()}
        mentor = {session.mentorship.mentor_id} - {None}
        assert mentor <= came and came - mentor, session  # its mentor, and at least one member
        assert came - mentor <= there, f"{session}: an attendee who was not a member that day"
        assert {f.author_id for f in session.feedback.all()} <= came - mentor, session
        assert {g.mentee_id for g in session.goals.all()} <= came - mentor, session


@pytest.mark.django_db
def test_the_demo_logins_have_something_to_do():
    call_command("seed_demo")

    main = _main()
    mentor = _members(main, Role.MENTOR).get(user__username="mentor")
    active_in_main = Mentorship.objects.active().filter(program=main)
    assert mentor.accepting_requests
    assert mentor.capacity - active_in_main.filter(mentor=mentor.user).count() >= 2
    assert MentorshipRequest.objects.pending().filter(program=main, mentor=mentor.user).count() >= 2
    assert active_in_main.filter(mentor=mentor.user).exists()
    assert not active_in_main.filter(members__user__username="mentee").exists()
    assert Goal.objects.filter(mentee__username="mentee").exists()
    # The demo mentor runs a circle with room for the request waiting; the demo mentee is in another circle, and
    # in a peer pair with a request from another peer to answer.
    group, peer = Program.objects.get(format="group"), Program.objects.get(format="peer")
    circle = Mentorship.objects.active().get(program=group, mentor__username="mentor")
    assert circle.members.filter(status="active").count() < _members(group, Role.MENTOR).get(user=mentor.user).capacity
    in_circle = MentorshipMember.objects.active().get(program=group, user__username="mentee")
    assert in_circle.mentorship.mentor != mentor.user and in_circle.mentorship.sessions.exists()
    paired = MentorshipMember.objects.active().get(program=peer, user__username="mentee")
    assert paired.mentorship.sessions.exists()
    assert MentorshipRequest.objects.pending().filter(program=peer, mentor__username="mentee").exists()
    # In more than one program each, so they see the program switcher.
    for username in ("mentor", "mentee"):
        assert Membership.objects.filter(user__username=username).values("program").distinct().count() >= 3


@pytest.mark.django_db
def test_the_demo_has_a_round_waiting_for_review():
    from matching.models import MatchRound

    call_command("seed_demo")

    demo_round = MatchRound.objects.get(status="proposed")  # beside the history's published one (evaluation)
    assert demo_round.program == _main()
    assert demo_round.status == "proposed"
    assert demo_round.proposals.count() > 10


@pytest.mark.django_db
def test_seed_demo_refuses_under_production_settings(settings):
    settings.DEMO_DATA_ALLOWED = False  # what config.settings.production says

    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")

    assert not User.objects.filter(username="admin").exists()


@pytest.mark.django_db
def test_seed_demo_loads_under_production_settings_when_forced(settings):
    settings.DEMO_DATA_ALLOWED = False

    call_command("seed_demo", "--force", "--mentors", "3", "--mentees", "6")

    assert User.objects.get(username="admin").check_password(DEMO_PASSWORD)
    assert Program.objects.count() == 6  # small, yet every program has its people
    for program in Program.objects.exclude(format="peer"):
        assert _members(program, Role.MENTOR).exists() and _members(program, Role.MENTEE).exists(), program
    peer = Program.objects.get(format="peer")
    assert _members(peer, Role.PEER).count() >= 2
    assert Mentorship.objects.filter(program=peer).exists()
    assert Mentorship.objects.filter(program__format="group").exists()


@pytest.mark.django_db
def test_seed_demo_refuses_a_demo_too_small_for_its_programs():
    with pytest.raises(CommandError, match="at least 3 mentors and 6 mentees"):
        call_command("seed_demo", "--mentors", "2")

    assert not User.objects.exists()


@pytest.mark.django_db
def test_the_demo_taxonomy_is_approved_but_for_a_few_suggestions_of_the_demo_logins():
    call_command("seed_demo")

    suggestions = Skill.objects.suggestions().order_by("name")
    assert [(s.name, s.suggested_by.username) for s in suggestions] == [
        ("Platform engineering", "mentor"),
        ("Prompt engineering", "mentee"),
        ("Storytelling with data", "mentee"),
    ]
    assert Skill.objects.approved().count() >= 50
    assert User.objects.get(username="mentor").profile.skills.filter(name="Platform engineering").exists()
    assert User.objects.get(username="mentee").profile.wanted_skills.filter(name="Prompt engineering").exists()
    # Nobody else names them.
    naming = Profile.objects.filter(Q(skills__in=suggestions) | Q(wanted_skills__in=suggestions))
    assert set(naming.values_list("user__username", flat=True)) == {"mentor", "mentee"}


@pytest.mark.django_db
def test_the_demo_logins_mentorships_show_the_whole_relationship():
    call_command("seed_demo")
    now = timezone.now()
    theirs = (
        Mentorship.objects.active()
        .filter(Q(mentor__username="mentor") | Q(members__user__username="mentee", members__status="active"))
        .distinct()
    )
    assert {m.format for m in theirs} == {"one_on_one", "group", "peer"}
    for mentorship in theirs:
        people = set(mentorship.people())
        assert mentorship.agreement.cadence_days > 0 and mentorship.agreement.expectations
        assert mentorship.meetings.filter(status="planned", starts_at__gt=now).exists()
        held = mentorship.meetings.get(status="held")
        assert held.session.mentorship == mentorship and held.starts_at < now
        assert {m.author for m in mentorship.messages.all()} <= people and mentorship.messages.count() >= 3
        items = list(mentorship.action_items.all())
        assert {i.owner for i in items} <= people
        assert any(not i.done and i.due_on < now.date() for i in items)  # one overdue, shown as such
    # The demo mentee has a message to read and, in the peer pair, an agreement to confirm.
    pair = theirs.get(format="peer")
    assert not pair.agreement.confirmations.filter(user__username="mentee").exists()
    assert pair.messages.exclude(author__username="mentee").exists()
