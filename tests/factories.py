import datetime as dt

import factory
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import EmailChange, EmailRevert, Industry, MenteeProfile, MentorProfile, SignUp, Skill, User

PASSWORD = "correct-horse-battery"


class SkillFactory(DjangoModelFactory):
    class Meta:
        model = Skill
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Skill {n}")


class IndustryFactory(DjangoModelFactory):
    class Meta:
        model = Industry
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Industry {n}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.LazyFunction(lambda: make_password(PASSWORD))


class AdminFactory(UserFactory):
    is_staff = True


class MentorProfileFactory(DjangoModelFactory):
    class Meta:
        model = MentorProfile
        skip_postgeneration_save = True

    headline = "Engineering manager"
    capacity = 2


class MenteeProfileFactory(DjangoModelFactory):
    class Meta:
        model = MenteeProfile
        skip_postgeneration_save = True


class MentorFactory(UserFactory):
    role = User.Role.MENTOR
    mentor_profile = factory.RelatedFactory(MentorProfileFactory, factory_related_name="user")


class MenteeFactory(UserFactory):
    role = User.Role.MENTEE
    mentee_profile = factory.RelatedFactory(MenteeProfileFactory, factory_related_name="user")


class GoalFactory(DjangoModelFactory):
    class Meta:
        model = "mentorship.Goal"
        skip_postgeneration_save = True

    mentee = factory.SubFactory(MenteeFactory)
    title = factory.Sequence(lambda n: f"Goal {n}")
    description = "Lead a team of five by the end of the year."


class MilestoneFactory(DjangoModelFactory):
    class Meta:
        model = "mentorship.Milestone"

    goal = factory.SubFactory(GoalFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")


class RequestFactory(DjangoModelFactory):
    class Meta:
        model = "mentorship.MentorshipRequest"
        skip_postgeneration_save = True

    mentee = factory.SubFactory(MenteeFactory)
    mentor = factory.SubFactory(MentorFactory)
    message = "Would you mentor me?"
    expires_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=14))


class MentorshipFactory(DjangoModelFactory):
    class Meta:
        model = "mentorship.Mentorship"

    mentee = factory.SubFactory(MenteeFactory)
    mentor = factory.SubFactory(MentorFactory)
    started_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=30))


class SessionFactory(DjangoModelFactory):
    class Meta:
        model = "mentorship.Session"
        skip_postgeneration_save = True

    mentorship = factory.SubFactory(MentorshipFactory)
    date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=1))
    duration_minutes = 45
    notes = "Talked about delegation."


class MatchRoundFactory(DjangoModelFactory):
    class Meta:
        model = "matching.MatchRound"

    name = factory.Sequence(lambda n: f"Round {n}")
    weights = factory.LazyFunction(lambda: {"skills": 1.0, "industry": 0.5, "goals": 1.0})


class MatchProposalFactory(DjangoModelFactory):
    class Meta:
        model = "matching.MatchProposal"

    round = factory.SubFactory(MatchRoundFactory)
    mentee = factory.SubFactory(MenteeFactory)
    mentor = factory.SubFactory(MentorFactory)
    score = 0.5
    explanation = factory.LazyFunction(
        lambda: {
            "blocks": {"skills": 0.3, "industry": 0.2, "goals": 0.0},
            "shared_skills": ["Python"],
            "industry": None,
            "shared_goal_words": [],
        }
    )


def with_profile(user, *, skills=(), industry=None, capacity=None, accepting=None, bio=None):
    """Give a factory-made mentor or mentee the profile a test needs (skills and industry by name)."""
    from accounts.models import Industry

    profile = user.profile
    profile.industry = Industry.objects.get_or_create(name=industry)[0] if industry else None
    for field, value in (("capacity", capacity), ("accepting_requests", accepting), ("bio", bio)):
        if value is not None:
            setattr(profile, field, value)
    profile.save()
    profile.skills.set([SkillFactory(name=s) for s in skills])
    return user


def person(factory, username, **profile):
    """A mentor or mentee named `username` with the profile given (see with_profile)."""
    return with_profile(factory(username=username, full_name=username.title()), **profile)


class SignUpFactory(DjangoModelFactory):
    """A sign-up waiting for its emailed link; `token` is the link's (only its digest is stored)."""

    class Meta:
        model = SignUp

    class Params:
        token = "a-token-from-the-email"

    username = factory.Sequence(lambda n: f"newcomer{n}")
    email = factory.LazyAttribute(lambda signup: f"{signup.username}@example.org")
    full_name = factory.Sequence(lambda n: f"Newcomer {n}")
    role = User.Role.MENTEE
    password = "md5$x"
    token_digest = factory.LazyAttribute(lambda signup: SignUp.digest_of(signup.token))


class EmailChangeFactory(DjangoModelFactory):
    """A change of address waiting for the link emailed to the new one; `token` is the link's."""

    class Meta:
        model = EmailChange

    class Params:
        token = "a-token-from-the-email-change"

    user = factory.SubFactory(MenteeFactory)
    email = factory.Sequence(lambda n: f"new.address{n}@example.org")
    token_digest = factory.LazyAttribute(lambda change: EmailChange.digest_of(change.token))


class EmailRevertFactory(DjangoModelFactory):
    """A confirmed change of address that the link emailed to the old address can undo; `token` is the link's."""

    class Meta:
        model = EmailRevert

    class Params:
        token = "a-token-from-the-email-revert"

    user = factory.SubFactory(MenteeFactory)
    email = factory.LazyAttribute(lambda revert: f"{revert.user.username}@example.org")
    token_digest = factory.LazyAttribute(lambda revert: EmailRevert.digest_of(revert.token))
