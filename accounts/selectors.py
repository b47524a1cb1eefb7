"""Reads for accounts: querysets that pages and API views render in a fixed number of queries."""

from django.apps import apps
from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse

from accounts.models import EmailChange, EmailRevert, Industry, SignUp, Skill, User


def _taxonomy_search(terms: QuerySet, query: str | None) -> QuerySet:
    terms = terms.order_by("name")
    query = (query or "").strip()
    if query:
        terms = terms.filter(name__icontains=query)
    return terms


def skill_list(*, viewer: User, query: str | None = None, status: str | None = None) -> QuerySet[Skill]:
    """The skills `viewer` may see (approved ones and their own suggestions; admins all), by name."""
    skills = Skill.objects.visible_to(viewer)
    if status:
        skills = skills.filter(status=status)
    return _taxonomy_search(skills, query)


def industry_list(*, query: str | None = None) -> QuerySet[Industry]:
    return _taxonomy_search(Industry.objects.all(), query)


def taxonomy_term_named(*, name: str) -> Skill | Industry | None:
    """The approved skill or the industry of that name (any case), if there is one."""
    name = name.strip()
    if not name or len(name) > Skill._meta.get_field("name").max_length:
        return None
    skill = Skill.objects.approved().filter(name__iexact=name).first()
    return skill or Industry.objects.filter(name__iexact=name).first()


def skill_suggestion_list() -> QuerySet[Skill]:
    """The suggestions waiting for an admin's review, oldest first (index `skill_suggestions`), with who made each
    and `uses`: how many profiles and goals name it."""
    uses = [
        Coalesce(
            Subquery(
                link.through.objects.filter(**{link.skill: OuterRef("pk")})
                .order_by()
                .values(link.skill)
                .annotate(n=Count("pk"))
                .values("n"),
                output_field=IntegerField(),
            ),
            Value(0),
        )
        for link in Skill.links()
    ]
    return (
        Skill.objects.suggestions()
        .select_related("suggested_by")
        .annotate(uses=sum(uses[1:], uses[0]))
        .order_by("suggested_at", "id")
    )


def user_with_profile(*, user_id: int) -> User:
    """The user with their profile (its industry and both sides' skills) and their memberships with the programs,
    in four queries; `email_pending` is the address of their change waiting for its emailed link (None when none is,
    or its link has expired)."""
    pending = EmailChange.objects.valid().filter(user=OuterRef("pk")).values("email")[:1]
    return (
        User.objects.select_related("profile__industry")
        .prefetch_related(
            "profile__skills",
            "profile__wanted_skills",
            Prefetch("memberships", queryset=_memberships().select_related("program").order_by("program__name", "id")),
        )
        .annotate(email_pending=Subquery(pending))
        .get(pk=user_id)
    )


def _memberships() -> QuerySet:
    """The memberships table, looked up by name: accounts imports nothing of programs, which stands on it."""
    return apps.get_model("programs", "Membership").objects.all()


def mentoring_in_default_program(user: User):
    """`user`'s active mentor membership in the default program (what `/me/`'s `capacity` and `accepting_requests`
    are), from the memberships user_with_profile read; None when they do not mentor there."""
    return _membership_in_default_program(user, "mentor")


def _membership_in_default_program(user: User, role: str):
    for membership in user.memberships.all():
        if membership.program.is_default and membership.role == role and membership.status == "active":
            return membership
    return None


def role_in_default_program(user: User) -> str:
    """The one role the v1 API had per account, for the clients that still read it: "mentor" for an active mentor of
    the default program, else "mentee" for an active mentee there, else ""."""
    for role in ("mentor", "mentee"):
        if _membership_in_default_program(user, role) is not None:
            return role
    return ""


def signup_for_token(*, token: str) -> SignUp | None:
    """The pending sign-up an emailed link names, while the link still works."""
    return SignUp.objects.valid().for_token(token).first()


def email_change_for_token(*, token: str) -> EmailChange | None:
    """The pending change of address an emailed link names, with its account, while the link still works."""
    return EmailChange.objects.valid().for_token(token).select_related("user").first()


def email_revert_for_token(*, token: str) -> EmailRevert | None:
    """The way back from a change of address an emailed link names, with its account, while the link works."""
    return EmailRevert.objects.valid().for_token(token).select_related("user").first()


def calendar_feed_url(profile) -> str:
    """The absolute address of the person's calendar feed (mentorship.api's view, keyed by their secret)."""
    return settings.SITE_URL + reverse("calendar-feed", kwargs={"secret": profile.calendar_secret})
