import datetime as dt

import factory
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import EmailChange, EmailRevert, Industry, SignUp, Skill, User
from accounts.search import profile_search_refresh
from programs.models import Membership, Program

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


def default_program() -> Program:
    return Program.objects.default()


class ProgramFactory(DjangoModelFactory):
    class Meta:
        model = Program
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"program-{n}")
    name = factory.Sequence(lambda n: f"Program {n}")


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    program = factory.LazyFunction(default_program)
    role = Membership.Role.MENTEE


class AdminFactory(UserFactory):
    """Site staff: they create programs and manage all of them."""

    is_staff = True


class ProgramAdminFactory(UserFactory):
    """An admin of one program (the default one unless `membership__program` says otherwise), not site staff."""

    membership = factory.RelatedFactory(MembershipFactory, factory_related_name="user", role=Membership.Role.ADMIN)


class MentorFactory(UserFactory):
    """A mentor in the default program (capacity 2) whose profile has what the directory lists: a headline, an
    industry and a skill they teach (with_profile replaces them)."""

    membership = factory.RelatedFactory(
        MembershipFactory, factory_related_name="user", role=Membership.Role.MENTOR, capacity=2
    )

    @factory.post_generation
    def headline(user, create, extracted, **kwargs):
        if create:
            profile = user.profile
            profile.headline = "Engineering manager" if extracted is None else extracted
            profile.industry = IndustryFactory(name="Technology")
            profile.save(update_fields=["headline", "industry", "updated_at"])
            profile.skills.set([SkillFactory(name="Mentoring")])
            profile_search_refresh(user_ids=[user.pk])


class MenteeFactory(UserFactory):
    """A mentee in the default program."""

    membership = factory.RelatedFactory(MembershipFactory, factory_related_name="user", role=Membership.Role.MENTEE)

    @factory.post_generation
    def searchable(user, create, extracted, **kwargs):
        if create:
            profile_search_refresh(user_ids=[user.pk])


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

    program = factory.LazyFunction(default_program)
    mentee = factory.SubFactory(MenteeFactory)
    mentor = factory.SubFactory(MentorFactory)
    message = "Would you mentor me?"
    expires_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=14))


class MentorshipFactory(DjangoModelFactory):
    """A one-on-one by default: `mentee` becomes its one member (`mentee=None` for none). A circle: pass
    `format="group"` and add members with MemberFactory."""

    class Meta:
        model = "mentorship.Mentorship"

    program = factory.LazyFunction(default_program)
    format = factory.LazyAttribute(lambda o: o.program.format)
    mentee = factory.SubFactory(MenteeFactory)
    mentor = factory.SubFactory(MentorFactory)
    started_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=30))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        mentee = kwargs.pop("mentee")
        mentorship = super()._create(model_class, *args, **kwargs)
        if mentee is not None:
            MemberFactory(mentorship=mentorship, user=mentee)
        return mentorship


class MemberFactory(DjangoModelFactory):
    """A person in a mentorship (ended with it when it is completed)."""

    class Meta:
        model = "mentorship.MentorshipMember"

    mentorship = factory.SubFactory(MentorshipFactory, mentee=None)
    program = factory.SelfAttribute("mentorship.program")
    mentor = factory.SelfAttribute("mentorship.mentor")
    user = factory.SubFactory(MenteeFactory)
    role = factory.LazyAttribute(lambda o: "peer" if o.mentorship.format == "peer" else "mentee")
    status = factory.LazyAttribute(lambda o: "active" if o.mentorship.status == "active" else "ended")
    joined_at = factory.SelfAttribute("mentorship.started_at")
    left_at = factory.LazyAttribute(
        lambda o: None if o.status == "active" else (o.mentorship.ended_at or timezone.now())
    )


class SessionFactory(DjangoModelFactory):
    class Meta:
        model = "mentorship.Session"
        skip_postgeneration_save = True

    mentorship = factory.SubFactory(MentorshipFactory)
    date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=1))
    duration_minutes = 45
    notes = "Talked about delegation."

    @factory.post_generation
    def attendees(self, create, extracted, **kwargs):
        """Everyone in the mentorship came, unless told who."""
        if create:
            self.attendees.set(extracted if extracted is not None else self.mentorship.people())


class MatchRoundFactory(DjangoModelFactory):
    class Meta:
        model = "matching.MatchRound"

    program = factory.LazyFunction(default_program)
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


def with_profile(user, *, skills=(), industry=None, capacity=None, accepting=None, bio=None, program=None):
    """Give a factory-made mentor or mentee the profile a test needs (skills and industry by name, replacing the
    factory's): `skills` are what a mentor teaches and what a mentee wants to grow; capacity and accepting are the
    mentor's membership's in `program` (the default one)."""
    profile = user.profile
    profile.industry = Industry.objects.get_or_create(name=industry)[0] if industry else None
    if bio is not None:
        profile.bio = bio
    profile.save()
    program = program or default_program()
    mentor = Membership.objects.filter(user=user, program=program, role=Membership.Role.MENTOR).first()
    side = profile.skills if mentor else profile.wanted_skills
    side.set([SkillFactory(name=s) for s in skills])
    if mentor is not None:
        for field, value in (("capacity", capacity), ("accepting_requests", accepting)):
            if value is not None:
                setattr(mentor, field, value)
        mentor.save()
    profile_search_refresh(user_ids=[user.pk])
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
    role = Membership.Role.MENTEE
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
