"""Query-string filters of the mentor directory and of a peer program's peers. Unknown values are 400s, not silently
ignored.

Both list a program's memberships (`programs.Membership`); every profile field is read through
`mentorship.search.profile_path`, so the same filters serve a queryset of profiles too."""

import datetime as dt
import functools
import json
import operator
import re
from decimal import Decimal
from zoneinfo import ZoneInfo, available_timezones

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django_filters.constants import EMPTY_VALUES
from drf_spectacular.utils import extend_schema_field

from accounts.models import LANGUAGE_MAX_LENGTH, TERM_MAX_LENGTH, Profile, Skill, validate_timezone
from config.inputs import clean_term, is_id, parse_id
from mentorship.search import profile_path, search
from programs.models import Membership

MAX_SKILL_FILTERS = 10
MAX_LANGUAGE_FILTERS = 10
MAX_SEARCH_LENGTH = 100
# UTC-12 to UTC+14: no two places are further apart.
MAX_TIMEZONE_HOURS = 26
_HOURS = re.compile(r"[0-9]{1,2}(\.[0-9]{1,2})?")
_timezone_names = functools.cache(available_timezones)


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


class _LanguagesField(forms.Field):
    """Every value of `?language=`: names, as a profile lists them (any case)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        names = [clean_term(v, max_length=LANGUAGE_MAX_LENGTH) for v in (value or []) if v and v.strip()]
        if len(names) > MAX_LANGUAGE_FILTERS:
            raise forms.ValidationError(f"Filter by at most {MAX_LANGUAGE_FILTERS} languages.")
        return names


class _SearchField(forms.CharField):
    """Words to search for: one line (a NUL or a lone surrogate is a 400, not a database error)."""

    def to_python(self, value):
        value = super().to_python(value)
        return clean_term(value, max_length=MAX_SEARCH_LENGTH) if value else value


class _HoursField(forms.Field):
    """A number of hours from 0 to MAX_TIMEZONE_HOURS, whole or with up to two decimals (ASCII digits: "٣" is
    refused, though Python's Decimal would read it)."""

    def to_python(self, value):
        if value in EMPTY_VALUES:
            return None
        value = value.strip()
        if not _HOURS.fullmatch(value) or Decimal(value) > MAX_TIMEZONE_HOURS:
            raise forms.ValidationError(f"A number of hours from 0 to {MAX_TIMEZONE_HOURS}.", code="invalid")
        return Decimal(value)


class _TimezoneField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        if value:
            try:
                validate_timezone(value)
            except ValidationError as error:
                raise forms.ValidationError(error.messages, code="invalid") from None
        return value


@extend_schema_field({"type": "array", "items": {"type": "string"}, "maxItems": MAX_SKILL_FILTERS})
class TermsFilter(django_filters.Filter):
    field_class = _TermsField


class TermFilter(django_filters.CharFilter):
    field_class = _TermField


@extend_schema_field({"type": "array", "items": {"type": "string"}, "maxItems": MAX_LANGUAGE_FILTERS})
class LanguagesFilter(django_filters.Filter):
    field_class = _LanguagesField


class SearchFilter(django_filters.CharFilter):
    field_class = _SearchField


@extend_schema_field({"type": "number", "minimum": 0, "maximum": MAX_TIMEZONE_HOURS})
class HoursFilter(django_filters.Filter):
    field_class = _HoursField


class TimezoneFilter(django_filters.CharFilter):
    field_class = _TimezoneField


def _term_lookup(prefix: str, term: str | int) -> Q:
    return Q(**{f"{prefix}__id": term}) if isinstance(term, int) else Q(**{f"{prefix}__name__iexact": term})


def _offset_hours(zone: str, at: dt.datetime) -> Decimal:
    return Decimal(int(at.astimezone(ZoneInfo(zone)).utcoffset().total_seconds())) / 3600


@functools.lru_cache(maxsize=256)
def timezones_within(zone: str, hours: Decimal, hour: dt.datetime) -> tuple[str, ...]:
    """The time zones whose UTC offset at `hour` is within `hours` of `zone`'s (the offsets of summer time
    included): a few hundred names, computed once an hour per window."""
    center = _offset_hours(zone, hour)
    return tuple(sorted(name for name in _timezone_names() if abs(_offset_hours(name, hour) - center) <= hours))


def viewer_timezone(request) -> str:
    """The time zone a window without `tz` is around: the viewer's profile's (UTC for nobody)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return "UTC"
    return user.profile.timezone


def directory_cache_variant(request) -> str:
    """What, besides the query string, a directory answer depends on, for its cache key: the viewer's time zone
    when `tz_within_hours` is around it (no `tz`)."""
    params = request.GET
    if params.get("tz_within_hours") and not params.get("tz"):
        return f"|tz={viewer_timezone(request)}"
    return ""


class _ThenDirectoryOrder(django_filters.OrderingFilter):
    """The order asked for, then the directory's own (by relevance to `q`, then by name): a page never shows a
    mentor twice or never, among ties or when `ordering` names nothing (`?ordering=,`)."""

    def filter(self, qs, value):
        asked = [self.get_ordering_value(param) for param in value or () if param not in EMPTY_VALUES]
        return qs.order_by(*asked, *qs.query.order_by) if asked else qs


class _ProfileFilterSet(django_filters.FilterSet):
    """The filter methods of a directory of people (mentors, peers): each reads the profile of a row through
    `profile_path`."""

    class Meta:
        model = Membership
        fields = []

    def _profile(self, queryset) -> str:
        return profile_path(queryset.model)

    def filter_skills(self, queryset, name, values):
        return self._every_skill(queryset, "skills", values)

    def filter_wanted_skills(self, queryset, name, values):
        return self._every_skill(queryset, "wanted_skills", values)

    def _every_skill(self, queryset, relation: str, values):
        # One join per skill: a person matches only when every named skill is theirs. Approved ones only: a
        # suggestion waiting for review is not shown to others, so nobody may find who has it either.
        skills = f"{self._profile(queryset)}{relation}"
        for value in values:
            queryset = queryset.filter(_term_lookup(skills, value) & Q(**{f"{skills}__status": Skill.Status.APPROVED}))
        return queryset

    def filter_skills_any(self, queryset, name, values):
        if not values:
            return queryset
        named = functools.reduce(operator.or_, (Q(pk=v) if isinstance(v, int) else Q(name__iexact=v) for v in values))
        teaching = Profile.skills.through.objects.filter(skill__in=Skill.objects.approved().filter(named))
        # A subquery rather than a join: a mentor with two of the skills is listed once, without DISTINCT.
        return queryset.filter(**{f"{self._profile(queryset)}pk__in": teaching.values("profile_id")})

    def filter_industry(self, queryset, name, value):
        return queryset.filter(_term_lookup(f"{self._profile(queryset)}industry", value))

    def filter_languages(self, queryset, name, values):
        # The list's JSON text holds each name in quotes, as JSON writes it: PostgreSQL's jsonb prints the
        # characters, SQLite keeps the text Django wrote (non-ASCII escaped). Any case (on SQLite, of ASCII only).
        if not values:
            return queryset
        ascii_only = connection.vendor != "postgresql"
        queryset = queryset.alias(_languages=Cast(f"{self._profile(queryset)}languages", TextField()))
        found = functools.reduce(
            operator.or_, (Q(_languages__icontains=json.dumps(v, ensure_ascii=ascii_only)) for v in values)
        )
        return queryset.filter(found)

    def filter_timezone_window(self, queryset, name, hours):
        if hours is None:
            return queryset
        around = self.form.cleaned_data.get("tz") or viewer_timezone(self.request)
        hour = timezone.now().replace(minute=0, second=0, microsecond=0)
        zones = timezones_within(around, hours, hour)
        return queryset.filter(**{f"{self._profile(queryset)}timezone__in": zones})

    def filter_nothing(self, queryset, name, value):
        return queryset  # `tz` only says what tz_within_hours is around

    def filter_text(self, queryset, name, value):
        return search(queryset, value)


class MentorFilter(_ProfileFilterSet):
    skill = TermsFilter(
        method="filter_skills", help_text="Repeatable; a mentor must have every one (an approved skill's name or id)."
    )
    skill_any = TermsFilter(
        method="filter_skills_any",
        help_text="Repeatable; a mentor must have at least one (an approved skill's name or id).",
    )
    industry = TermFilter(method="filter_industry", help_text="Industry name (any case) or id.")
    language = LanguagesFilter(
        method="filter_languages", help_text="Repeatable; a mentor must speak at least one (any case)."
    )
    tz_within_hours = HoursFilter(
        method="filter_timezone_window",
        help_text=f"0 to {MAX_TIMEZONE_HOURS}: mentors whose UTC offset now is within this many hours of `tz`'s "
        "(the viewer's profile's time zone when `tz` is not given).",
    )
    tz = TimezoneFilter(
        method="filter_nothing", help_text="An IANA time zone (Europe/Berlin) that `tz_within_hours` is around."
    )
    q = SearchFilter(
        method="filter_text",
        max_length=MAX_SEARCH_LENGTH,
        help_text="Words in name, headline, bio, skills or industry, misspelt words too; the best matches first.",
    )
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

    @extend_schema_field({"type": "string", "enum": ["true", "false"]})
    def filter_accepting(self, queryset, name, value):
        open_now = Q(accepting_requests=True, open_slots__gt=0)
        return queryset.filter(open_now) if value else queryset.exclude(open_now)


class PeerFilter(_ProfileFilterSet):
    """A peer program's peers: what they can teach, what they want to grow, their industry, languages, words."""

    skill = TermsFilter(
        method="filter_skills", help_text="Repeatable; a peer must be able to teach every one (an approved skill)."
    )
    wanted_skill = TermsFilter(
        method="filter_wanted_skills", help_text="Repeatable; a peer must want to grow every one (an approved skill)."
    )
    industry = TermFilter(method="filter_industry", help_text="Industry name (any case) or id.")
    language = LanguagesFilter(
        method="filter_languages", help_text="Repeatable; a peer must speak at least one (any case)."
    )
    q = SearchFilter(
        method="filter_text",
        max_length=MAX_SEARCH_LENGTH,
        help_text="Words in name, headline, bio, skills or industry, misspelt words too; the best matches first.",
    )
    open = django_filters.TypedChoiceFilter(
        method="filter_open",
        choices=[("true", "true"), ("false", "false")],
        coerce=lambda value: value == "true",
        help_text="true: peers with room for another partner now; false: the others.",
    )

    class Meta:
        model = Membership
        fields = []

    @extend_schema_field({"type": "string", "enum": ["true", "false"]})
    def filter_open(self, queryset, name, value):
        return queryset.filter(open_slots__gt=0) if value else queryset.filter(open_slots=0)
