"""What a stored text may hold (config.inputs): names, titles, headlines and every single-line value hold no line
break, tab or other control character; multi-line texts (a bio, notes, messages) hold line breaks and tabs and no
other control character. One rule per kind, on the model fields and the API fields that fill them, so the API, the
pages (which send through it) and the import answer alike, each naming the field."""

import datetime as dt

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.models import User
from matching.imports import HEADER, participants_validate
from tests.conftest import client_for
from tests.factories import GoalFactory, RequestFactory, SessionFactory

ONE_LINE_BREAKERS = ["\n", "\r", "\t", "\x07", "\x1b", "\x7f", "\x85", "\u2028"]
NOT_IN_A_TEXT = ["\x00", "\x07", "\x1b", "\x7f", "\x9b"]


@pytest.fixture
def world(mentee, mentor, mentorship, admin_user, outsider, outsider_mentor):
    return {
        "people": {"mentee": mentee, "mentor": mentor, "admin": admin_user, "outsider": outsider},
        "goal": GoalFactory(mentee=mentee).pk,
        "mentorship": mentorship.pk,
        "session": SessionFactory(mentorship=mentorship).pk,
        "request": RequestFactory(mentor=mentor).pk,  # from another mentee, for Otto to answer
        "other_mentor": outsider_mentor.pk,  # Oscar, who has no mentor yet, may ask Olga
    }


def _send(world, persona, method, url, body):
    client = client_for(world["people"][persona]) if persona != "anonymous" else client_for(None)
    return getattr(client, method)(url.format(**world), body, format="json")


TODAY = str(dt.date.today())
SIGN_UP = {"username": "nora", "email": "nora@example.org", "password": "a-long-unusual-secret", "role": "mentee"}

# persona, method, url, field, the rest of a valid body; the text under test goes into `field`
SINGLE_LINE = [
    ("mentee", "patch", "/api/v1/me/", "full_name", {}),
    ("mentor", "patch", "/api/v1/me/", "full_name", {}),
    ("mentor", "patch", "/api/v1/me/", "headline", {}),
    ("anonymous", "post", "/api/v1/auth/register/", "full_name", SIGN_UP),
    ("mentee", "post", "/api/v1/goals/", "title", {}),
    ("mentee", "patch", "/api/v1/goals/{goal}/", "title", {}),
    ("mentee", "post", "/api/v1/goals/{goal}/milestones/", "title", {}),
    ("admin", "post", "/api/v1/match-rounds/", "name", {}),
]


@pytest.mark.parametrize("character", ONE_LINE_BREAKERS, ids=repr)
@pytest.mark.parametrize(("persona", "method", "url", "field", "rest"), SINGLE_LINE)
def test_a_single_line_field_refuses_a_control_character(world, persona, method, url, field, rest, character):
    response = _send(world, persona, method, url, {**rest, field: f"Maya{character}Mentee"})

    assert response.status_code == 400, response.content
    assert list(response.json()) == [field]


@pytest.mark.parametrize("character", ONE_LINE_BREAKERS, ids=repr)
def test_each_topic_of_a_session_is_one_line(world, character):
    session = {"date": TODAY, "duration_minutes": 30, "topics": ["Feedback", f"Dele{character}gation"]}

    response = _send(world, "mentor", "post", "/api/v1/mentorships/{mentorship}/sessions/", session)

    assert response.status_code == 400
    assert list(response.json()) == ["topics"]


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b", "\x7f", "\x9b"], ids=repr)
def test_a_skill_or_industry_name_refuses_a_control_character(world, character):
    skills = _send(world, "mentee", "patch", "/api/v1/me/", {"skills": [f"Py{character}thon"]})
    industry = _send(world, "mentee", "patch", "/api/v1/me/", {"industry": f"Fin{character}tech"})

    assert skills.status_code == 400
    assert list(skills.json()) == ["skills"]
    assert industry.status_code == 400
    assert list(industry.json()) == ["industry"]


def test_whitespace_in_a_term_is_one_space_as_before(world):
    """A term is compared and kept with its whitespace squashed, line breaks and tabs too: none is stored."""
    response = _send(world, "mentee", "patch", "/api/v1/me/", {"skills": ["Data\tScience", "Public\n speaking"]})

    assert response.status_code == 200
    assert sorted(response.json()["skills"]) == ["Data Science", "Public speaking"]


# persona, method, url, field, the rest of a valid body
MULTI_LINE = [
    ("mentee", "patch", "/api/v1/me/", "bio", {}),
    ("mentee", "post", "/api/v1/goals/", "description", {"title": "Speak up"}),
    ("outsider", "post", "/api/v1/requests/", "message", {"mentor": None}),
    ("mentor", "post", "/api/v1/requests/{request}/decline/", "note", {"reason": "other"}),
    ("mentor", "post", "/api/v1/mentorships/{mentorship}/sessions/", "notes", {"date": TODAY, "duration_minutes": 30}),
    ("mentee", "post", "/api/v1/mentorships/{mentorship}/sessions/{session}/feedback/", "comment", {"rating": 4}),
]


def _rest(world, rest):
    return {**rest, "mentor": world["other_mentor"]} if "mentor" in rest else rest


@pytest.mark.parametrize(("persona", "method", "url", "field", "rest"), MULTI_LINE)
def test_a_multi_line_field_keeps_line_breaks_and_tabs(world, persona, method, url, field, rest):
    text = "First line,\r\nsecond line:\n\t- an indented point"

    response = _send(world, persona, method, url, {**_rest(world, rest), field: text})

    assert response.status_code in (200, 201), response.content


@pytest.mark.parametrize("character", NOT_IN_A_TEXT, ids=repr)
@pytest.mark.parametrize(("persona", "method", "url", "field", "rest"), MULTI_LINE)
def test_a_multi_line_field_refuses_other_control_characters(world, persona, method, url, field, rest, character):
    response = _send(world, persona, method, url, {**_rest(world, rest), field: f"Hello{character}there"})

    assert response.status_code == 400, response.content
    assert list(response.json()) == [field]


def test_a_name_with_a_line_break_never_reaches_an_email_header(
    mentee_client, mentor, django_capture_on_commit_callbacks
):
    """It was saved, then the request's email to the mentor failed on its subject: a 500 after the save."""
    renamed = mentee_client.patch("/api/v1/me/", {"full_name": "Maya\nBcc: everyone@example.org"}, format="json")
    with django_capture_on_commit_callbacks(execute=True):
        sent = mentee_client.post("/api/v1/requests/", {"mentor": mentor.pk}, format="json")

    assert renamed.status_code == 400
    assert sent.status_code == 201
    assert [m.subject for m in mail.outbox] == ["New mentorship request from Maya Mentee"]


@pytest.mark.parametrize(
    ("cells", "field"),
    [
        ('mentor,nora,nora@example.org,"Nora\nNoble",,,,', "full_name"),
        ("mentor,nora,nora@example.org,Nora\tNoble,,,,", "full_name"),
        ("mentor,nora,nora@example.org,Nora\x1bNoble,,,,", "full_name"),
        ("mentor,nora,nora@example.org,Nora,Fin\x07tech,,,", "industry"),
        ("mentor,nora,nora@example.org,Nora,,Python;S\x1bQL,,", "skills"),
        ("mentee,milo,milo@example.org,Milo,,,Speak\tup;Lead,", "goals"),
    ],
)
def test_the_import_lists_a_control_character_with_its_line_and_field(db, cells, field):
    errors = participants_validate(csv_file=f"{','.join(HEADER)}\n{cells}\n").errors

    assert [(error.line, error.field) for error in errors] == [(2, field)]


def test_the_import_page_s_endpoint_reports_it_too(admin_client_api):
    upload = SimpleUploadedFile("people.csv", f'{",".join(HEADER)}\nmentor,nora,n@example.org,"No\nra",,,,\n'.encode())

    response = admin_client_api.post("/api/v1/participants/import/", {"file": upload}, format="multipart")

    assert response.status_code == 400
    assert response.json()["errors"][0].startswith("line 2: full_name: No line breaks")
    assert not User.objects.filter(username="nora").exists()


@pytest.mark.django_db(transaction=True)
def test_the_migration_puts_names_saved_before_on_one_line():
    before = ("accounts", "0006_email_revert")
    after = ("accounts", "0007_text_fields_refuse_control_characters")
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    old = executor.loader.project_state([before]).apps
    people = old.get_model("accounts", "User")
    people.objects.create(username="maya", email="maya@example.org", full_name="Maya\r\nMentee\x07")
    people.objects.create(username="otto", email="otto@example.org", full_name="Otto Mentor")
    people.objects.create(username="zed", email="zed@example.org", full_name="\n\t")
    old.get_model("accounts", "SignUp").objects.create(
        email="nora@example.org", username="nora", full_name="Nora\u2028Noble", role="mentee", token_digest="0" * 64
    )

    executor = MigrationExecutor(connection)
    executor.migrate([after])
    new = executor.loader.project_state([after]).apps
    names = dict(new.get_model("accounts", "User").objects.values_list("username", "full_name"))
    signup = new.get_model("accounts", "SignUp").objects.get()

    assert names == {"maya": "Maya Mentee", "otto": "Otto Mentor", "zed": "zed"}
    assert signup.full_name == "Nora Noble"
    MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())
