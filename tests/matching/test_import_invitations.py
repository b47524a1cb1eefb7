"""Imported people get an invitation: a one-time link that sets their password and lands them in the program."""

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.models import User
from programs.models import Membership
from tests.conftest import client_for
from tests.factories import MenteeFactory, ProgramAdminFactory, ProgramFactory

pytestmark = pytest.mark.django_db
HEADER = "role,username,email,full_name,industry,skills,goals,capacity\n"


def _import(client, path, text, capture):
    upload = SimpleUploadedFile("participants.csv", text.encode(), content_type="text/csv")
    with capture(execute=True):
        return client.post(path, {"file": upload}, format="multipart")


def test_each_new_person_of_an_import_is_invited_to_the_program_and_lands_in_it(django_capture_on_commit_callbacks):
    program = ProgramFactory(slug="spring", name="Spring cohort")
    admin = ProgramAdminFactory(membership__program=program)
    known = MenteeFactory(username="kim", email="kim@example.org")
    csv = HEADER + "mentor,nora,nora@example.org,Nora O,,Leadership,,3\nmentee,kim,kim@example.org,Kim K,,,,\n"

    response = _import(
        client_for(admin), "/api/v1/programs/spring/participants/import/", csv, django_capture_on_commit_callbacks
    )

    assert response.status_code == 200, response.json()
    # Nora is new: one email with her link; Kim has an account and a password already: no invitation.
    assert [message.to for message in mail.outbox] == [["nora@example.org"]]
    token = re.search(r"/invitations/(\S+)/", mail.outbox[0].body).group(1)
    browser = Client()
    browser.get(f"/invitations/{token}/")
    accepted = browser.post(
        reverse("api-invitation-accept"),
        {"token": token, "password": "a-long-unusual-secret"},
        content_type="application/json",
    )
    assert accepted.status_code == 200, accepted.json()
    nora = User.objects.get(username="nora")
    assert nora.check_password("a-long-unusual-secret")
    assert Membership.objects.get(user=nora, program=program).status == Membership.Status.ACTIVE
    assert known.check_password("correct-horse-battery")
    # The link works once.
    again = Client().post(
        reverse("api-invitation-accept"),
        {"token": token, "password": "another-long-secret"},
        content_type="application/json",
    )
    assert again.status_code == 400
