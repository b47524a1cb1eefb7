import re

import pytest
from django.core import mail
from django.http import HttpRequest

from accounts.models import User
from matching.imports import participants_import

CSV = "role,username,email,full_name,industry,skills,goals,capacity\nmentee,ivy,ivy@example.org,Ivy Imported,,,,\n"


@pytest.mark.django_db
def test_an_imported_participant_chooses_a_password_through_the_reset_flow(client):
    participants_import(csv_file=CSV)
    assert not User.objects.get(username="ivy").has_usable_password()

    response = client.post("/accounts/password-reset/", {"email": "IVY@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)

    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": "a-fresh-secret-42", "new_password2": "a-fresh-secret-42"}
    )
    assert done.status_code == 302

    assert client.login(request=HttpRequest(), username="ivy", password="a-fresh-secret-42")  # the lockout needs one


@pytest.mark.django_db
def test_an_unknown_email_gets_the_same_answer_and_no_mail(client):
    response = client.post("/accounts/password-reset/", {"email": "nobody@example.org"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert mail.outbox == []


def test_error_pages_are_ours(client, db, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()
