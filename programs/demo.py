"""The demo's six programs and who does what in each (people from accounts.demo, history from mentorship.demo):

- `main`, the evergreen one-on-one program: every demo mentor and mentee, as before programs; the demo `admin` (site
  staff) is its admin.
- a cohort with dates around today, administered by the demo `coordinator` alone: a few mentors and mentees of main.
- reverse mentoring: early-career people (mentees in main) mentor senior ones (mentors in main); the demo `mentee`
  is a mentor there, the demo `mentor` a mentee.
- an invite-only circle whose mentors wait for approval: an admin who mentors in main, a pending mentor (in no
  directory) and an invited person.
- group circles for new managers: a few mentors (the demo `mentor` among them), each with a circle of mentees (the
  demo `mentee` among them).
- peer learning: peers (the demo `mentee` and the last mentees) in pairs, two partners at most each.

Written in bulk through the models, as the rest of the demo: the services would check enrolment and stamp now.
"""

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.demo import DemoPeople
from accounts.models import User
from programs.models import Membership, Program
from programs.selectors import memberships_changed

Role = Membership.Role
Status = Membership.Status
CAPACITIES = [1, 2, 2, 3, 3, 4, 5]
DEMO_MENTOR_CAPACITY = 3
COHORT_DAYS_BEFORE, COHORT_DAYS_AFTER = 21, 100  # the cohort runs around today
REVERSE_SLUG = "reverse-mentoring"
CIRCLE_SLUG = "leadership-circle"
GROUP_SLUG = "new-manager-circles"
PEER_SLUG = "peer-learning"
GROUP_MENTORS = 6  # the demo mentor and the last five mentors
GROUP_MENTEES = 36  # the demo mentee and the mentees just before the peers
GROUP_CAPACITIES = [4, 5, 5, 6]
DEMO_MENTOR_CIRCLE = 5  # four members now: room for the request waiting for them
PEER_LIMIT = 2  # partners at once
SEASONS = {12: "Winter", 1: "Winter", 2: "Winter", 3: "Spring", 4: "Spring", 5: "Spring", 6: "Summer", 7: "Summer"}


@dataclass(frozen=True)
class DemoPrograms:
    main: Program
    cohort: Program
    reverse: Program
    circle: Program
    group: Program
    peer: Program


def cohort_named(starts_on: dt.date) -> tuple[str, str]:
    """The cohort's slug and name after the season it starts in, e.g. ("spring-2027", "Spring 2027 cohort")."""
    season = SEASONS.get(starts_on.month, "Autumn")
    return f"{season.lower()}-{starts_on.year}", f"{season} {starts_on.year} cohort"


@transaction.atomic
def demo_programs_build(*, people: DemoPeople, seed: int = 2026, today: dt.date | None = None) -> DemoPrograms:
    rng = random.Random(seed)
    today = today or timezone.localdate()
    starts_on = today - dt.timedelta(days=COHORT_DAYS_BEFORE)
    cohort_slug, cohort_name = cohort_named(starts_on)
    main = Program.objects.default()
    cohort = Program.objects.create(
        slug=cohort_slug,
        name=cohort_name,
        description="Fourteen weeks, one mentor each, a session every week; it closes on its last day.",
        kind=Program.Kind.COHORT,
        starts_on=starts_on,
        ends_on=today + dt.timedelta(days=COHORT_DAYS_AFTER),
        session_cadence_days=7,
        request_expiry_days=7,
    )
    reverse = Program.objects.create(
        slug=REVERSE_SLUG,
        name="Reverse mentoring",
        description="Early-career colleagues mentor senior leaders on what they know best: new tools, new habits.",
        session_cadence_days=30,
    )
    circle = Program.objects.create(
        slug=CIRCLE_SLUG,
        name="Leadership circle",
        description="By invitation: experienced leaders mentor people stepping into their first leadership role.",
        enrollment=Program.Enrollment.INVITE,
        mentor_approval=True,
    )
    group = Program.objects.create(
        slug=GROUP_SLUG,
        name="Circles for new managers",
        description="A mentor and a circle of up to six first-time managers meet every two weeks: the members learn "
        "from the mentor and from each other.",
        format=Program.Format.GROUP,
    )
    peer = Program.objects.create(
        slug=PEER_SLUG,
        name="Peer learning",
        description="Pair up with a colleague at your level: each of you helps the other with what you know best.",
        format=Program.Format.PEER,
        mentee_limit=PEER_LIMIT,
        session_cadence_days=21,
    )

    mentors, mentees, both = people.mentors, people.mentees, people.both_sides
    demo_mentor, demo_mentee = mentors[0], mentees[0]
    rows: list[Membership] = [Membership(user=people.admin, program=main, role=Role.ADMIN)]

    def member(user: User, program: Program, role: str, **fields) -> None:
        rows.append(Membership(user=user, program=program, role=role, **fields))

    for user in mentors:
        if user is demo_mentor:  # room for the two requests waiting for them, and one more
            member(user, main, Role.MENTOR, capacity=DEMO_MENTOR_CAPACITY, accepting_requests=True)
        else:
            member(user, main, Role.MENTOR, capacity=rng.choice(CAPACITIES), accepting_requests=rng.random() > 0.1)
    for user in mentees:
        member(user, main, Role.MENTEE)

    member(people.coordinator, cohort, Role.ADMIN)
    for user in [demo_mentor, *mentors[both::4]]:
        member(user, cohort, Role.MENTOR, capacity=2)
    for user in [demo_mentee, *mentees[both + 2 :: 5]]:
        member(user, cohort, Role.MENTEE)

    for junior, senior in zip(mentees[:both], mentors[:both], strict=True):
        member(junior, reverse, Role.MENTOR, capacity=1)
        member(senior, reverse, Role.MENTEE)

    circle_admin = mentors[both] if len(mentors) > both else people.admin
    member(circle_admin, circle, Role.ADMIN)
    for user in mentors[both : both + 4]:
        member(user, circle, Role.MENTOR, capacity=2)
    for user in mentees[both : both + 1]:  # asked to mentor: waits for the circle's admin
        member(user, circle, Role.MENTOR, status=Status.PENDING, capacity=1)
    for user in mentees[both + 1 : both + 2]:
        member(user, circle, Role.MENTEE, status=Status.INVITED, invited_by=circle_admin)
    for user in mentees[both + 2 : both + 8]:
        member(user, circle, Role.MENTEE, invited_by=circle_admin)

    member(people.admin, group, Role.ADMIN)
    member(demo_mentor, group, Role.MENTOR, capacity=DEMO_MENTOR_CIRCLE)
    for user in [u for u in mentors[-(GROUP_MENTORS - 1) :] if u is not demo_mentor]:
        member(user, group, Role.MENTOR, capacity=rng.choice(GROUP_CAPACITIES))
    for user in group_mentees(people):
        member(user, group, Role.MENTEE)

    member(people.admin, peer, Role.ADMIN)
    for user in people.peers:
        member(user, peer, Role.PEER)

    Membership.objects.bulk_create(rows, batch_size=5_000)
    memberships_changed()  # written in bulk: no signal told the memberships' cache
    return DemoPrograms(main=main, cohort=cohort, reverse=reverse, circle=circle, group=group, peer=peer)


def group_mentees(people: DemoPeople) -> list[User]:
    """The group program's mentees: the demo mentee and the mentees just before the peers (in a small demo, every
    other mentee)."""
    mentees = people.mentees
    first_peer = len(mentees) - len(people.peers) + 1
    before_peers = mentees[max(1, first_peer - (GROUP_MENTEES - 1)) : first_peer]
    return [mentees[0], *(before_peers or mentees[1:])]
