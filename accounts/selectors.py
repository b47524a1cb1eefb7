"""Reads for accounts: querysets that pages and API views render in a fixed number of queries."""

from django.db.models import OuterRef, QuerySet, Subquery

from accounts.models import EmailChange, EmailRevert, Industry, SignUp, Skill, TaxonomyTerm, User


def _taxonomy_search(model: type[TaxonomyTerm], query: str | None) -> QuerySet:
    terms = model.objects.order_by("name")
    query = (query or "").strip()
    if query:
        terms = terms.filter(name__icontains=query)
    return terms


def skill_list(*, query: str | None = None) -> QuerySet[Skill]:
    return _taxonomy_search(Skill, query)


def industry_list(*, query: str | None = None) -> QuerySet[Industry]:
    return _taxonomy_search(Industry, query)


def user_with_profile(*, user_id: int) -> User:
    """The user and their role profile, with its industry and skills, in three queries; `email_pending` is the
    address of their change waiting for its emailed link (None when none is, or its link has expired)."""
    pending = EmailChange.objects.valid().filter(user=OuterRef("pk")).values("email")[:1]
    return (
        User.objects.select_related("mentor_profile__industry", "mentee_profile__industry")
        .prefetch_related("mentor_profile__skills", "mentee_profile__skills")
        .annotate(email_pending=Subquery(pending))
        .get(pk=user_id)
    )


def signup_for_token(*, token: str) -> SignUp | None:
    """The pending sign-up an emailed link names, while the link still works."""
    return SignUp.objects.valid().for_token(token).first()


def email_change_for_token(*, token: str) -> EmailChange | None:
    """The pending change of address an emailed link names, with its account, while the link still works."""
    return EmailChange.objects.valid().for_token(token).select_related("user").first()


def email_revert_for_token(*, token: str) -> EmailRevert | None:
    """The way back from a change of address an emailed link names, with its account, while the link works."""
    return EmailRevert.objects.valid().for_token(token).select_related("user").first()
