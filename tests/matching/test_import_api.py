from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Industry, Skill, User
from tests.openapi import assert_matches_schema

URL = "/api/v1/participants/import/"
HEADER = "role,username,email,full_name,industry,skills,goals,capacity\n"


def upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("participants.csv", text.encode(), content_type="text/csv")


def test_an_admin_imports_a_file_and_gets_the_counts(admin_client_api):
    csv = HEADER + "mentor,nora,nora@example.org,Nora O,Health,Leadership,,3\nmentee,sam,sam@example.org,Sam L,,,,\n"

    response = admin_client_api.post(URL, {"file": upload(csv)}, format="multipart")

    assert response.status_code == 200
    assert response.json() == {"mentors_created": 1, "mentors_updated": 0, "mentees_created": 1, "mentees_updated": 0}
    assert User.objects.filter(username__in=["nora", "sam"]).count() == 2
    # An admin's file may add terms: they are the program's at once, shown to everyone.
    assert list(Skill.objects.values_list("name", "status")) == [("Leadership", "approved")]
    assert list(Industry.objects.values_list("name", flat=True)) == ["Health"]


def test_every_bad_line_comes_back_and_nothing_is_imported(admin_client_api):
    csv = HEADER + "mentor,nora,not-an-email,Nora O,,,,3\nboss,sam,sam@example.org,Sam L,,,,\n"

    response = admin_client_api.post(URL, {"file": upload(csv)}, format="multipart")

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert any(e.startswith("line 2: email:") for e in errors)
    assert any(e.startswith("line 3: role:") for e in errors)
    assert not User.objects.filter(username__in=["nora", "sam"]).exists()
    assert_matches_schema(response)


def test_a_missing_file_is_a_field_error(admin_client_api):
    response = admin_client_api.post(URL, {}, format="multipart")

    assert response.status_code == 400
    assert list(response.json()) == ["file"]
    assert_matches_schema(response)


def test_only_program_admins_import(mentor_client):
    assert mentor_client.post(URL, {"file": upload(HEADER)}, format="multipart").status_code == 403


def test_an_upload_that_would_change_someones_address_is_refused_on_its_line(admin_client_api, mentee):
    csv = HEADER + f"mentee,{mentee.username},admins.own@example.org,Maya Mentee,,,,\n"

    response = admin_client_api.post(URL, {"file": upload(csv)}, format="multipart")

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error.startswith('line 2: email: "admins.own@example.org" is not the address of maya (maya@example.org)')
    mentee.refresh_from_db()
    assert mentee.email == "maya@example.org"


def test_a_body_that_is_not_a_form_is_a_400_the_schema_declares(admin_client_api):
    response = admin_client_api.post(URL, b"a form without its boundary", content_type="multipart/form-data")

    assert response.status_code == 400
    assert "detail" in response.json()
    assert_matches_schema(response)
