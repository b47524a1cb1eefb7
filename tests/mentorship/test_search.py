"""The directory's search box and filters (mentorship.search, mentorship.api.filters): names, headline, bio,
taught skills and industry, ranked; misspelt words found on PostgreSQL; a substring fallback elsewhere; skills
(all of / any of), languages and a time-zone window; a 400 naming the parameter for a bad value."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import QueryDict
from django.test import RequestFactory as HttpRequestFactory

from accounts.models import Skill
from accounts.search import profile_search_refresh
from accounts.taxonomy import skill_suggestion_approve
from mentorship.api.filters import MentorFilter, directory_cache_variant
from mentorship.search import _search_fallback, search
from programs.models import Membership, Program
from tests.conftest import client_for
from tests.factories import AdminFactory, IndustryFactory, MenteeFactory, MentorFactory, SkillFactory, UserFactory
from tests.migration_state import applied_apps


def _mentor(full_name, *, skills=(), industry=None, headline="", bio="", languages=(), tz="UTC"):
    user = MentorFactory(full_name=full_name, headline=headline)
    profile = user.profile
    profile.bio, profile.languages, profile.timezone = bio, list(languages), tz
    profile.industry = IndustryFactory(name=industry) if industry else None
    profile.save()
    profile.skills.set([SkillFactory(name=name) for name in skills])
    profile_search_refresh(user_ids=[user.pk])
    return user


def _directory():
    return (
        Membership.objects.in_program(Program.objects.default())
        .mentors()
        .active()
        .select_related("user__profile")
        .order_by("user__full_name", "user_id")
    )


def _query(params: dict) -> QueryDict:
    """`params` as a query string arrives: a list is a repeated parameter."""
    query = QueryDict(mutable=True)
    for name, value in params.items():
        query.setlist(name, value if isinstance(value, list) else [value])
    return query


def _found(params, *, request=None) -> list[str]:
    filters = MentorFilter(_query(params), queryset=_directory(), request=request)
    assert filters.is_valid(), filters.errors
    return [membership.user.full_name for membership in filters.qs]


def _errors(params) -> dict:
    filters = MentorFilter(_query(params), queryset=_directory())
    assert not filters.is_valid()
    return filters.errors


# --- PostgreSQL: full text with weights, trigrams --------------------------------------------------------------


def test_a_misspelt_skill_finds_its_mentors(postgres):
    _mentor("Paula Programmer", skills=["Python"])
    _mentor("Sam Sales", skills=["Negotiation"])
    assert _found({"q": "pyhton"}) == ["Paula Programmer"]


def test_a_misspelt_name_finds_the_person(postgres):
    _mentor("Marco Rossi")
    _mentor("Greta Weber")
    assert _found({"q": "Marko"}) == ["Marco Rossi"]


def test_a_skill_or_industry_alone_finds_the_mentor(postgres):
    _mentor("Kim Kube", skills=["Kubernetes"], headline="Engineer", bio="Ten years of operations.")
    _mentor("Fay Finance", industry="Fintech")
    _mentor("Nobody Else")
    assert _found({"q": "kubernetes"}) == ["Kim Kube"]
    assert _found({"q": "fintech"}) == ["Fay Finance"]


def test_name_and_skill_matches_rank_above_a_bio_only_match(postgres):
    _mentor("Aaron Bio", bio="I once wrote some Python at university.")  # first by name, last by relevance
    _mentor("Zoe Skill", skills=["Python"])
    _mentor("Mia Python")
    found = _found({"q": "python"})
    assert found[-1] == "Aaron Bio"
    assert set(found[:2]) == {"Zoe Skill", "Mia Python"}


def test_every_word_must_be_found_and_a_prefix_counts(postgres):
    _mentor("Lena Lead", headline="Mentoring engineering managers", skills=["Leadership"])
    _mentor("Paul Lead", skills=["Leadership"])
    assert _found({"q": "leadership mentor"}) == ["Lena Lead"]


def test_what_full_text_search_drops_is_found_as_typed(postgres):
    _mentor("Cora Cpp", skills=["C++"])
    _mentor("Cole Other", skills=["Cobol"])
    assert _found({"q": "C++"}) == ["Cora Cpp"]


def test_a_suggested_skill_finds_nobody_until_it_is_approved(postgres, django_capture_on_commit_callbacks):
    user = _mentor("Sue Suggests")
    suggestion = Skill.objects.create(name="Quantum gardening", status=Skill.Status.SUGGESTED, suggested_by=user)
    user.profile.skills.add(suggestion)
    profile_search_refresh(user_ids=[user.pk])
    assert _found({"q": "quantum"}) == []
    with django_capture_on_commit_callbacks(execute=True):  # the teachers' search text is refreshed after commit
        skill_suggestion_approve(suggestion_id=suggestion.pk, by=AdminFactory())
    assert _found({"q": "quantum"}) == ["Sue Suggests"]


def test_the_search_is_answered_from_its_indexes(postgres):
    from accounts.models import Profile

    _mentor("Marco Rossi", skills=["Python"])
    with connection.cursor() as cursor:
        # A table of one row is read whole whatever its indexes: ask for the plan of a large one.
        cursor.execute("SET enable_seqscan = off; SET enable_indexscan = off")
        try:
            plan = search(Profile.objects.all(), "pyhton").explain()
        finally:
            cursor.execute("RESET enable_seqscan; RESET enable_indexscan")
    assert "profile_search_trigram" in plan
    assert "profile_search_document" in plan


def test_searching_costs_no_query_of_its_own(postgres, django_assert_num_queries):
    _mentor("Marco Rossi", skills=["Python"], languages=["Italian"], tz="Europe/Rome")
    params = {"q": "pyhton marko", "skill": "Python", "language": "italian", "tz": "Europe/Berlin"}
    filters = MentorFilter(_query({**params, "tz_within_hours": "1"}), queryset=_directory())
    assert filters.is_valid(), filters.errors
    with django_assert_num_queries(1):
        assert [m.user.full_name for m in filters.qs] == ["Marco Rossi"]


# --- Any database ------------------------------------------------------------------------------------------------


def test_the_fallback_finds_skills_industry_headline_and_bio(db):
    _mentor("Kim Kube", skills=["Kubernetes"])
    _mentor("Fay Finance", industry="Fintech")
    _mentor("Hal Head", headline="Kubernetes operator")
    _mentor("Bea Bio", bio="Fintech founder")
    _mentor("Nobody Else")

    def found(text):
        return [m.user.full_name for m in _search_fallback(_directory(), text.split(), "user__profile__")]

    assert set(found("kubernetes")) == {"Kim Kube", "Hal Head"}
    assert set(found("FINTECH")) == {"Fay Finance", "Bea Bio"}
    assert found("nobody else") == ["Nobody Else"]


def test_a_skill_match_ranks_above_a_headline_match_in_the_fallback(db):
    _mentor("Aaron Head", headline="Kubernetes operator")
    _mentor("Zed Skill", skills=["Kubernetes"])
    ranked = _search_fallback(_directory(), ["kubernetes"], "user__profile__").order_by("-search_rank")
    assert [m.user.full_name for m in ranked] == ["Zed Skill", "Aaron Head"]


def test_the_search_box_finds_a_mentor_by_skill(db):
    _mentor("Kim Kube", skills=["Kubernetes"])
    _mentor("Nobody Else")
    assert _found({"q": "Kubernetes"}) == ["Kim Kube"]


def test_the_search_text_follows_name_skills_and_industry(db):
    user = _mentor("Marco Rossi", skills=["Python", "Django"], industry="Fintech")
    user.profile.refresh_from_db()
    assert user.profile.search_text == "Marco Rossi Django Python\nFintech"
    user.full_name = "Marco Bianchi"
    user.save()
    user.profile.skills.remove(Skill.objects.get(name="Django"))
    assert profile_search_refresh(user_ids=[user.pk]) == 1
    user.profile.refresh_from_db()
    assert user.profile.search_text == "Marco Bianchi Python\nFintech"
    assert profile_search_refresh(user_ids=[user.pk]) == 0  # nothing changed, nothing written


def test_skill_repeated_means_all_of_them_and_skill_any_one_of_them(db):
    _mentor("Both", skills=["Python", "SQL"])
    _mentor("Only Python", skills=["Python"])
    _mentor("Only SQL", skills=["SQL"])
    _mentor("Neither", skills=["Go"])
    assert _found({"skill": ["Python", "sql"]}) == ["Both"]
    assert _found({"skill_any": ["Python", "sql"]}) == ["Both", "Only Python", "Only SQL"]
    assert _found({"skill_any": [str(Skill.objects.get(name="Go").pk)]}) == ["Neither"]


def test_the_language_filter_finds_who_speaks_any_of_them(db):
    _mentor("Ana", languages=["Español", "English"])
    _mentor("Ben", languages=["English"])
    _mentor("Dora", languages=["German"])
    _mentor("Eve", languages=["Englishish"])
    assert _found({"language": "español"}) == ["Ana"]
    assert _found({"language": ["english", "German"]}) == ["Ana", "Ben", "Dora"]


def test_the_time_zone_window_is_around_the_given_zone(db):
    _mentor("Berta Berlin", tz="Europe/Berlin")
    _mentor("Nick New York", tz="America/New_York")
    _mentor("Tom Tokyo", tz="Asia/Tokyo")
    assert _found({"tz": "Europe/Paris", "tz_within_hours": "0"}) == ["Berta Berlin"]
    assert _found({"tz": "Europe/Paris", "tz_within_hours": "26"}) == ["Berta Berlin", "Nick New York", "Tom Tokyo"]
    assert _found({"tz": "Asia/Seoul", "tz_within_hours": "1.5"}) == ["Tom Tokyo"]


def test_the_time_zone_window_is_around_the_viewer_without_a_zone(db):
    _mentor("Berta Berlin", tz="Europe/Berlin")
    _mentor("Nick New York", tz="America/New_York")
    viewer = UserFactory()
    viewer.profile.timezone = "America/Toronto"
    viewer.profile.save()
    request = HttpRequestFactory().get("/api/v1/mentors/", {"tz_within_hours": "0"})
    request.user = viewer
    assert _found({"tz_within_hours": "0"}, request=request) == ["Nick New York"]
    # The answer depends on who asks: the directory's caches key on it.
    assert directory_cache_variant(request) == "|tz=America/Toronto"
    assert directory_cache_variant(HttpRequestFactory().get("/", {"tz_within_hours": "0", "tz": "UTC"})) == ""


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"tz_within_hours": "abc"}, "tz_within_hours"),
        ({"tz_within_hours": "27"}, "tz_within_hours"),
        ({"tz_within_hours": "-1"}, "tz_within_hours"),
        ({"tz_within_hours": "٣"}, "tz_within_hours"),
        ({"tz_within_hours": "NaN"}, "tz_within_hours"),
        ({"tz_within_hours": "1e1"}, "tz_within_hours"),
        ({"tz_within_hours": "1", "tz": "Mars/Olympus_Mons"}, "tz"),
        ({"language": "x" * 41}, "language"),
        ({"language": "Eng\x00lish"}, "language"),
        ({"skill_any": [f"Skill {n}" for n in range(11)]}, "skill_any"),
        ({"q": "pyt\x00hon"}, "q"),
        ({"q": "x" * 101}, "q"),
    ],
    ids=repr,
)
def test_a_bad_filter_value_is_refused_naming_its_parameter(db, params, field):
    assert list(_errors(params)) == [field]


def test_the_migration_fills_the_search_text_of_existing_profiles(transactional_db):
    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", "0011_roles_are_memberships")])
    try:
        apps = applied_apps()
        User, Profile = apps.get_model("accounts", "User"), apps.get_model("accounts", "Profile")
        Skill, Industry = apps.get_model("accounts", "Skill"), apps.get_model("accounts", "Industry")
        profile = Profile.objects.create(
            user=User.objects.create(username="marco", email="m@example.org", full_name="Marco Rossi"),
            industry=Industry.objects.create(name="Fintech"),
        )
        profile.skills.set(
            [Skill.objects.create(name="Python"), Skill.objects.create(name="Secret", status="suggested")]
        )
        Profile.objects.create(user=User.objects.create(username="empty", email="e@example.org"))

        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
        from accounts.models import Profile as CurrentProfile

        texts = dict(CurrentProfile.objects.values_list("user__username", "search_text"))
        assert texts == {"marco": "Marco Rossi Python\nFintech", "empty": "\n"}
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def test_imported_mentors_are_found_by_their_name_skills_and_industry(db, tmp_path):
    """An import writes profiles in bulk: it refreshes what the search reads, so the directory finds them at once."""
    participants = tmp_path / "participants.csv"
    participants.write_text(
        "role,username,email,full_name,industry,skills,goals,capacity,headline\n"
        "mentor,nora,nora@example.org,Nora Okafor,Healthcare,Negotiation,,2,Head of procurement\n"
    )
    call_command("import_participants", str(participants), stdout=io.StringIO())
    mentee = client_for(MenteeFactory())

    for words in ("negotiation", "healthcare", "okafor"):
        found = mentee.get("/api/v1/mentors/", {"q": words}).json()["results"]
        assert [m["username"] for m in found] == ["nora"], words
