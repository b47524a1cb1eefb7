"""Query-string filters of the mentor directory. Unknown values are 400s, not silently ignored."""

import django_filters
from django import forms
from django.db.models import Q
from django_filters.constants import EMPTY_VALUES
from drf_spectacular.utils import extend_schema_field

from accounts.models import TERM_MAX_LENGTH, Skill
from config.inputs import clean_term, is_id, parse_id
from programs.models import Membership

MAX_SKILL_FILTERS = 10


def _term(value: str) -> str | int:
    """A taxonomy term named by id (ASCII digits, at most MAX_ID) or by name (any case; "²" is a name)."""
    term = clean_term(value, max_length=TERM_MAX_LENGTH)
    return parse_id(term) if is_id(term) else term


class _TermsField(forms.Field):
    """Every value of a repeated query parameter (`?skill=a&skill=b`), each an id or a name."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        values = [_term(v) for v in (value or []) if v and v.strip()]
        if len(values) > MAX_SKILL_FILTERS:
            raise forms.ValidationError(f"Filter by at most {MAX_SKILL_FILTERS} skills.")
        return values


class _TermField(forms.CharField):
    """One query parameter naming a taxonomy term by id or by name."""

    def to_python(self, value):
        value = super().to_python(value)
        return _term(value) if value else value


@extend_schema_field({"type": "array", "items": {"type": "string"}, "maxItems": MAX_SKILL_FILTERS})
class TermsFilter(django_filters.Filter):
    field_class = _TermsField


class TermFilter(django_filters.CharFilter):
    field_class = _TermField


def _term_lookup(prefix: str, term: str | int) -> Q:
    return Q(**{f"{prefix}__id": term}) if isinstance(term, int) else Q(**{f"{prefix}__name__iexact": term})


class _ThenDirectoryOrder(django_filters.OrderingFilter):
    """The order asked for, then the directory's own (by name): a page never shows a mentor twice or never, among
    ties or when `ordering` names nothing (`?ordering=,`)."""

    def filter(self, qs, value):
        asked = [self.get_ordering_value(param) for param in value or () if param not in EMPTY_VALUES]
        return qs.order_by(*asked, *qs.query.order_by) if asked else qs


class MentorFilter(django_filters.FilterSet):
    skill = TermsFilter(
        method="filter_skills", help_text="Repeatable; a mentor must have every one (an approved skill's name or id)."
    )
    industry = TermFilter(method="filter_industry", help_text="Industry name (any case) or id.")
    q = django_filters.CharFilter(method="filter_text", max_length=100, help_text="Words in name, headline or bio.")
    accepting = django_filters.TypedChoiceFilter(
        method="filter_accepting",
        choices=[("true", "true"), ("false", "false")],
        coerce=lambda value: value == "true",
        help_text="true: accepting requests with an open slot now; false: the others.",
    )
    ordering = _ThenDirectoryOrder(
        fields=(
            ("user__full_name", "name"),
            ("user__profile__years_experience", "years_experience"),
            ("open_slots", "open_slots"),
            ("created_at", "joined"),
        ),
    )

    class Meta:
        model = Membership
        fields = []

    def filter_skills(self, queryset, name, values):
        # One join per skill: a mentor matches only when every named skill is theirs. Approved ones only: a
        # suggestion waiting for review is not shown to others, so nobody may find who has it either.
        for value in values:
            queryset = queryset.filter(
                _term_lookup("user__profile__skills", value) & Q(user__profile__skills__status=Skill.Status.APPROVED)
            )
        return queryset

    def filter_industry(self, queryset, name, value):
        return queryset.filter(_term_lookup("user__profile__industry", value))

    def filter_text(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(user__full_name__icontains=word)
                | Q(user__profile__headline__icontains=word)
                | Q(user__profile__bio__icontains=word)
            )
        return queryset

    @extend_schema_field({"type": "string", "enum": ["true", "false"]})
    def filter_accepting(self, queryset, name, value):
        open_now = Q(accepting_requests=True, open_slots__gt=0)
        return queryset.filter(open_now) if value else queryset.exclude(open_now)
