import pytest

from tests.factories import GoalFactory, MenteeFactory, MentorFactory, MentorshipFactory, person

URL = "/api/v1/match-rounds/"


@pytest.fixture
def program(db):
    """Three mentees waiting, two mentors with three slots between them, and people who are not in the pool."""
    people = {
        "amy": person(MenteeFactory, "amy", skills=["Python", "SQL"], industry="Healthcare"),
        "bo": person(MenteeFactory, "bo", skills=["Leadership"], industry="Retail"),
        "cy": person(MenteeFactory, "cy", skills=["Python"], industry="Retail"),
        "pia": person(MentorFactory, "pia", skills=["Python", "SQL"], industry="Healthcare", capacity=2),
        "lou": person(MentorFactory, "lou", skills=["Leadership"], industry="Retail", capacity=1),
    }
    GoalFactory(mentee=people["amy"], title="Build data pipelines in Python")
    MentorshipFactory()  # a mentee with a mentor and a full mentor (capacity 2: one mentee) - not all waiting
    return people


@pytest.fixture
def run_round(admin_client_api, django_capture_on_commit_callbacks):
    def run(**body):
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client_api.post(URL, {"name": "Spring", **body}, format="json")
        return response

    return run
