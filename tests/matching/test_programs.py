"""Matching inside programs: a round's pool, its permissions, imports and recommendations are one program's."""

import datetime as dt
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from matching.models import MatchProposal
from matching.rounds import round_create
from matching.runner import round_run
from programs.models import Membership, Program
from tests.conftest import client_for
from tests.factories import (
    MembershipFactory,
    MenteeFactory,
    MentorFactory,
    ProgramAdminFactory,
    ProgramFactory,
    default_program,
    person,
    with_profile,
)

Role, Status = Membership.Role, Membership.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def other():
    return ProgramFactory(slug="reverse", name="Reverse mentoring")


def member(user, program, role, **fields):
    MembershipFactory(user=user, program=program, role=role, **fields)
    return user


def proposed_pairs(program, admin) -> set[tuple[str, str]]:
    match_round = round_create(program=program, name="Round", created_by=admin, enqueue=False)
    round_run(round_id=match_round.pk)
    return {
        (p.mentee.username, p.mentor.username)
        for p in MatchProposal.objects.filter(round=match_round).select_related("mentee", "mentor")
    }


def test_a_rounds_pool_is_its_programs_only(admin_user, other):
    person(MenteeFactory, "amy", skills=["Python"])
    person(MentorFactory, "pia", skills=["Python"], industry="Retail")
    bea = member(with_profile(MenteeFactory(username="bea"), skills=["Python"]), other, Role.MENTEE)
    Membership.objects.filter(user=bea, program=default_program()).delete()  # in the other program only
    rex = member(MentorFactory(username="rex"), other, Role.MENTOR)
    rex.profile.skills.set(bea.profile.wanted_skills.all())

    assert proposed_pairs(default_program(), admin_user) == {("amy", "pia")}
    assert proposed_pairs(other, admin_user) == {("bea", "rex")}


def test_a_pending_mentor_is_in_no_round(admin_user):
    person(MenteeFactory, "amy", skills=["Python"])
    person(MentorFactory, "pia", skills=["Python"])
    person(MentorFactory, "pat", skills=["Python"])
    Membership.objects.filter(user__username="pia").update(status=Status.PENDING)

    assert proposed_pairs(default_program(), admin_user) == {("amy", "pat")}


def test_an_ended_cohort_takes_no_round(admin_client_api, other):
    today = timezone.localdate()
    Program.objects.filter(pk=other.pk).update(
        kind=Program.Kind.COHORT, starts_on=today - dt.timedelta(days=90), ends_on=today - dt.timedelta(days=1)
    )
    member(MenteeFactory(), other, Role.MENTEE)
    member(MentorFactory(), other, Role.MENTOR)

    response = admin_client_api.post("/api/v1/programs/reverse/match-rounds/", {"name": "Late"}, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "program_ended"


def test_an_admin_of_one_program_cannot_reach_anothers_rounds(other):
    admin_of_other = ProgramAdminFactory(membership__program=other)
    client = client_for(admin_of_other)

    assert client.post("/api/v1/match-rounds/", {"name": "Main"}, format="json").status_code == 404
    assert client.get("/api/v1/match-rounds/").status_code == 404
    assert client.get("/api/v1/programs/main/report/").status_code == 404
    assert client.get("/api/v1/programs/reverse/match-rounds/").status_code == 200


def test_an_admin_of_main_creating_a_round_in_another_program_gets_404(other):
    member(MenteeFactory(), other, Role.MENTEE)
    member(MentorFactory(), other, Role.MENTOR)
    client = client_for(ProgramAdminFactory())

    response = client.post("/api/v1/programs/reverse/match-rounds/", {"name": "Not mine"}, format="json")

    assert response.status_code == 404
    assert not other.match_rounds.exists()


def test_a_rounds_weights_default_to_its_programs(admin_user, other):
    Program.objects.filter(pk=other.pk).update(default_weights={"skills": 2.0, "industry": 0.0, "goals": 1.0})
    other.refresh_from_db()
    member(MenteeFactory(), other, Role.MENTEE)
    member(MentorFactory(), other, Role.MENTOR)

    match_round = round_create(program=other, name="Weighted", created_by=admin_user, weights={"goals": 3.0})

    assert match_round.weights == {"skills": 2.0, "industry": 0.0, "goals": 3.0}


def test_import_with_program_puts_people_there_with_the_right_skill_sides(tmp_path: Path, other):
    path = tmp_path / "people.csv"
    path.write_text(
        "role,username,email,full_name,industry,skills,goals,capacity,headline,wanted_skills\n"
        "mentor,nora,nora@example.org,Nora,Healthcare,Leadership,,3,Head of nursing,Spanish\n"
        "mentee,milo,milo@example.org,Milo,Healthcare,Public speaking,Lead a ward,,,\n"
    )

    call_command("import_participants", str(path), "--program", "reverse")

    nora = Membership.objects.get(user__username="nora")
    milo = Membership.objects.get(user__username="milo")
    assert (nora.program, nora.role, nora.status, nora.capacity) == (other, Role.MENTOR, Status.ACTIVE, 3)
    assert (milo.program, milo.role) == (other, Role.MENTEE)
    assert list(nora.user.profile.skills.values_list("name", flat=True)) == ["Leadership"]
    assert list(nora.user.profile.wanted_skills.values_list("name", flat=True)) == ["Spanish"]
    assert nora.user.profile.headline == "Head of nursing"
    assert list(milo.user.profile.wanted_skills.values_list("name", flat=True)) == ["Public speaking"]
    assert not milo.user.profile.skills.exists()


def test_commands_ask_for_a_program_only_when_there_are_several(tmp_path: Path, other):
    path = tmp_path / "people.csv"
    path.write_text(
        "role,username,email,full_name,industry,skills,goals,capacity\nmentee,milo,milo@example.org,Milo,,,,\n"
    )

    with pytest.raises(CommandError, match="--program"):
        call_command("import_participants", str(path))
    with pytest.raises(CommandError, match="--program"):
        call_command("run_match_round", "--name", "Which one?", "--sync")

    other.delete()
    call_command("import_participants", str(path))
    assert Membership.objects.get(user__username="milo").program == default_program()


def test_an_import_names_its_new_people_for_their_invitations(other):
    from matching.imports import participants_import

    known = MenteeFactory(username="known", email="known@example.org")
    report = participants_import(
        csv_file="role,username,email,full_name,industry,skills,goals,capacity\n"
        "mentee,known,known@example.org,Known,,,,\nmentee,newbie,newbie@example.org,Newbie,,,,\n",
        program=other,
    )

    assert report.new_user_ids == (Membership.objects.get(user__username="newbie").user_id,)
    assert set(known.memberships.values_list("program__slug", flat=True)) == {"main", "reverse"}


@pytest.mark.django_db(transaction=True)
def test_recommendations_of_one_program_do_not_come_from_anothers_cache(other):
    seeker = with_profile(MenteeFactory(username="maya"), skills=["Python"])
    member(seeker, other, Role.MENTEE)
    with_profile(MentorFactory(username="pia"), skills=["Python"], industry="Retail")
    rex = member(MentorFactory(username="rex"), other, Role.MENTOR)
    Membership.objects.filter(user=rex, program=default_program()).delete()
    rex.profile.industry = Membership.objects.get(user__username="pia").user.profile.industry
    rex.profile.save()
    rex.profile.skills.set(seeker.profile.wanted_skills.all())
    client = client_for(seeker)

    main = client.get("/api/v1/mentors/recommended/")
    reverse = client.get("/api/v1/programs/reverse/mentors/recommended/")

    assert [r["mentor"]["username"] for r in main.json()] == ["pia"]
    assert [r["mentor"]["username"] for r in reverse.json()] == ["rex"]


def test_recommendations_are_for_the_programs_mentees(mentee, other):
    response = client_for(mentee).get("/api/v1/programs/reverse/mentors/recommended/")

    assert response.status_code == 403
