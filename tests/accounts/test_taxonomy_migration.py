"""The migration that made the taxonomy curated, run on a database made by the code before it: every skill and
industry that people added freely is kept, approved, with every profile and goal that names it."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("accounts", "0008_api_tokens_to_knox")
AFTER = ("accounts", "0009_curated_skill_taxonomy")


def _migrate(target):
    """Migrate accounts to `target` (what stands on a later accounts is undone with it; the rest stays) and answer
    the models as the database then has them."""
    MigrationExecutor(connection).migrate([target])
    loader = MigrationExecutor(connection).loader
    return loader.project_state(list(loader.applied_migrations)).apps


@pytest.fixture
def before_curation():
    apps = _migrate(BEFORE)
    yield apps
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())  # the schema the other tests expect


def test_existing_free_terms_are_kept_approved_with_everything_that_names_them(before_curation):
    apps = before_curation
    User = apps.get_model("accounts", "User")
    Skill = apps.get_model("accounts", "Skill")
    Industry = apps.get_model("accounts", "Industry")
    MentorProfile = apps.get_model("accounts", "MentorProfile")
    MenteeProfile = apps.get_model("accounts", "MenteeProfile")
    Goal = apps.get_model("mentorship", "Goal")
    skills = [Skill.objects.create(name=name) for name in ("Python", "Spam 1", "Ärger-Management")]
    retail = Industry.objects.create(name="Retail")
    mentor = MentorProfile.objects.create(
        user=User.objects.create(username="otto", email="otto@example.org", role="mentor"), industry=retail
    )
    mentor.skills.set(skills[:2])
    mentee = MenteeProfile.objects.create(user=User.objects.create(username="maya", email="maya@example.org"))
    mentee.skills.set(skills[1:])
    goal = Goal.objects.create(mentee=mentee.user, title="Grow")
    goal.skills.set(skills)

    apps = _migrate(AFTER)

    Skill = apps.get_model("accounts", "Skill")
    assert sorted(Skill.objects.values_list("name", "status", "suggested_by")) == [
        ("Python", "approved", None),
        ("Spam 1", "approved", None),
        ("Ärger-Management", "approved", None),
    ]
    mentor = apps.get_model("accounts", "MentorProfile").objects.get(user__username="otto")
    mentee = apps.get_model("accounts", "MenteeProfile").objects.get(user__username="maya")
    goal = apps.get_model("mentorship", "Goal").objects.get(title="Grow")
    assert sorted(s.name for s in mentor.skills.all()) == ["Python", "Spam 1"]
    assert sorted(s.name for s in mentee.skills.all()) == ["Spam 1", "Ärger-Management"]
    assert goal.skills.count() == 3
    assert mentor.industry.name == "Retail"
    assert apps.get_model("accounts", "Industry").objects.count() == 1
