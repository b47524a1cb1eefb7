"""Program admins' acts are recorded: who, when, what; and only when the act itself happened."""

from django.core.files.uploadedfile import SimpleUploadedFile

from matching.models import MatchProposal
from programs.models import AdminAction
from tests.factories import MentorFactory, person
from tests.matching.test_rounds_api import URL

HEADER = "role,username,email,full_name,industry,skills,goals,capacity\n"


def kinds():
    return list(AdminAction.objects.order_by("id").values_list("kind", flat=True))


def test_running_overriding_and_publishing_a_round_are_recorded(run_round, admin_client_api, admin_user, program):
    round_id = run_round().json()["id"]
    spare = person(MentorFactory, "sam", skills=["Python"], capacity=1)
    proposal = MatchProposal.objects.filter(round_id=round_id).first()
    admin_client_api.patch(f"{URL}{round_id}/proposals/{proposal.pk}/", {"mentor": spare.pk}, format="json")
    admin_client_api.post(f"{URL}{round_id}/publish/")

    assert kinds() == ["round_create", "proposal_override", "round_publish"]
    publish = AdminAction.objects.get(kind="round_publish")
    assert publish.actor == admin_user
    assert publish.target == f"match round {round_id}"
    assert publish.details == {"published": 3, "skipped": 0, "skipped_reasons": {}}
    override = AdminAction.objects.get(kind="proposal_override")
    assert override.details["to_mentor"] == spare.pk


def test_a_refused_act_leaves_no_record(run_round, admin_client_api, program):
    round_id = run_round().json()["id"]
    admin_client_api.post(f"{URL}{round_id}/publish/")

    assert admin_client_api.post(f"{URL}{round_id}/publish/").status_code == 409
    assert kinds().count("round_publish") == 1


def test_an_import_is_recorded_with_its_counts_and_a_failed_one_is_not(admin_client_api, admin_user):
    good = HEADER + "mentor,nora,nora@example.org,Nora O,,,,3\n"
    bad = HEADER + "mentor,zed,not-an-email,Zed,,,,3\n"

    admin_client_api.post(
        "/api/v1/participants/import/", {"file": SimpleUploadedFile("a.csv", bad.encode())}, format="multipart"
    )
    admin_client_api.post(
        "/api/v1/participants/import/", {"file": SimpleUploadedFile("b.csv", good.encode())}, format="multipart"
    )

    (action,) = AdminAction.objects.all()
    assert (action.kind, action.actor) == ("participants_import", admin_user)
    assert action.details["mentors_created"] == 1


def test_an_imports_record_lists_who_was_created_and_every_field_it_changed_per_person(admin_client_api):
    first = HEADER + (
        "mentor,nora,nora@example.org,Nora O,Health,Leadership,,3\n"
        "mentee,sam,sam@example.org,Sam L,,Python,Ship a project,\n"
        "mentee,ida,ida@example.org,Ida Idle,Retail,,,\n"
    )
    again = HEADER + (
        "mentor,NORA,Nora@example.org,Nora Okafor,Health,Leadership;Negotiation,,5\n"  # the address in another case
        "mentee,sam,sam@example.org,Sam L,Retail,Python,Ship a project;Give a talk,\n"
        "mentee,ida,ida@example.org,Ida Idle,Retail,,,\n"  # nothing changes
        "mentor,tom,tom@example.org,Tom New,,,,\n"
    )
    admin_client_api.post(
        "/api/v1/participants/import/", {"file": SimpleUploadedFile("a.csv", first.encode())}, format="multipart"
    )

    admin_client_api.post(
        "/api/v1/participants/import/", {"file": SimpleUploadedFile("b.csv", again.encode())}, format="multipart"
    )

    first_record, second_record = AdminAction.objects.order_by("id")
    assert (first_record.details["created"], first_record.details["changed"]) == (["ida", "nora", "sam"], {})
    assert second_record.details["created"] == ["tom"]
    assert second_record.details["changed"] == {
        "nora": ["full_name", "skills", "capacity"],
        "sam": ["industry", "goals"],
    }
