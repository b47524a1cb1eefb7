"""Small worlds of the other formats, for the page tests (tests/mentorship/test_format_pages.py, the browser tests
and the page walks): a mentor's circle in a group program, a pair in a peer program."""

from django.utils import timezone

from accounts.models import Industry
from programs.models import Membership
from tests.factories import (
    GoalFactory,
    MemberFactory,
    MembershipFactory,
    MentorshipFactory,
    ProgramFactory,
    SkillFactory,
    UserFactory,
)


def person(username: str, full_name: str, program, role: str, *, headline: str = "", **membership):
    """Someone in `program` with `role` there (and a headline), made by UserFactory."""
    user = UserFactory(username=username, full_name=full_name)
    if headline:
        user.profile.headline = headline
        user.profile.save(update_fields=["headline", "updated_at"])
    MembershipFactory(user=user, program=program, role=role, **membership)
    return user


def circle_world(mentor=None, *, capacity: int = 4) -> dict:
    """Otto's circle in the group program `circles` (capacity 4): Ana, Ben and Cy are in it, Dan left it. Ana and Ben
    each have a private goal and a shared one; Cy has a private one."""
    program = ProgramFactory(slug="circles", name="Leadership circles", format="group")
    if mentor is None:
        mentor = UserFactory(username="otto", full_name="Otto Mentor")
    mentor.profile.headline = mentor.profile.headline or "Engineering manager"
    mentor.profile.save(update_fields=["headline", "updated_at"])
    MembershipFactory(user=mentor, program=program, role=Membership.Role.MENTOR, capacity=capacity)
    members = {
        name: person(name, full, program, Membership.Role.MENTEE, headline=headline)
        for name, full, headline in (
            ("ana", "Ana Alvarez", "Team lead in logistics"),
            ("ben", "Ben Brown", "New manager at a bank"),
            ("cy", "Cy Chen", ""),
            ("dan", "Dan Dorsey", ""),
        )
    }
    circle = MentorshipFactory(program=program, mentor=mentor, mentee=None)
    for name in ("ana", "ben", "cy"):
        MemberFactory(mentorship=circle, user=members[name])
    MemberFactory(mentorship=circle, user=members["dan"], status="left", left_at=timezone.now())
    goals = {
        "ana_private": GoalFactory(mentee=members["ana"], title="Hire my first engineer"),
        "ana_shared": GoalFactory(mentee=members["ana"], title="Run better one-on-ones", shared=True),
        "ben_private": GoalFactory(mentee=members["ben"], title="Ask for a raise"),
        "ben_shared": GoalFactory(mentee=members["ben"], title="Delegate the weekly report", shared=True),
        "cy_private": GoalFactory(mentee=members["cy"], title="Speak up in meetings"),
    }
    return {"program": program, "mentor": mentor, "circle": circle, "goals": goals, **members}


def peer_world() -> dict:
    """The peer program `peers` (mentee limit 1): Ivy and Jon are a pair, each with a private and a shared goal;
    Kai and Lea are peers without a partner, with skills to teach and to grow."""
    program = ProgramFactory(slug="peers", name="Peer learning", format="peer")
    role = Membership.Role.PEER
    people = {
        "ivy": person("ivy", "Ivy Ito", program, role, headline="Data analyst"),
        "jon": person("jon", "Jon Jones", program, role, headline="Backend developer"),
        "kai": person("kai", "Kai Kim", program, role, headline="Product designer"),
        "lea": person("lea", "Lea Lund", program, role, headline="QA engineer"),
    }
    industry = Industry.objects.get_or_create(name="Software")[0]
    for name, teaches, wants in (
        ("kai", ["Figma", "User research"], ["SQL"]),
        ("lea", ["Test automation"], ["Public speaking"]),
        ("ivy", ["SQL"], ["User research"]),
    ):
        profile = people[name].profile
        profile.industry = industry
        profile.save(update_fields=["industry", "updated_at"])
        profile.skills.set([SkillFactory(name=skill) for skill in teaches])
        profile.wanted_skills.set([SkillFactory(name=skill) for skill in wants])
    pair = MentorshipFactory(program=program, mentor=None, mentee=None)
    for name in ("ivy", "jon"):
        MemberFactory(mentorship=pair, user=people[name])
    goals = {
        "ivy_private": GoalFactory(mentee=people["ivy"], title="Learn dbt"),
        "ivy_shared": GoalFactory(mentee=people["ivy"], title="Present at the data guild", shared=True),
        "jon_private": GoalFactory(mentee=people["jon"], title="Get promoted"),
        "jon_shared": GoalFactory(mentee=people["jon"], title="Write a design doc", shared=True),
    }
    return {"program": program, "pair": pair, "goals": goals, **people}
