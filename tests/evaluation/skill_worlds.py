"""Skills to rate in the three formats: goals brought to a mentorship through the request that started it."""

from mentorship.models import MentorshipMember
from tests.factories import GoalFactory, RequestFactory, SkillFactory


def bring(mentorship, person, *skills: str, title: str = ""):
    """`person` came into `mentorship` with a goal naming `skills` (their request's goal); returns the goal."""
    goal = GoalFactory(mentee=person, title=title or f"Grow in {', '.join(skills)}")
    goal.skills.set([SkillFactory(name=name) for name in skills])
    other = mentorship.mentor or next(p for p in mentorship.people() if p.pk != person.pk)
    request = RequestFactory(program=mentorship.program, mentee=person, mentor=other, status="accepted")
    request.goals.add(goal)
    MentorshipMember.objects.filter(mentorship=mentorship, user=person).update(request=request)
    return goal


def skill_id(name: str) -> int:
    return SkillFactory(name=name).pk
