import factory
from django.contrib.auth.hashers import make_password
from factory.django import DjangoModelFactory

from accounts.models import Industry, MenteeProfile, MentorProfile, Skill, User

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
