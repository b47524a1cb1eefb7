"""The migration that gives each profile its calendar feed's secret, run on profiles made before it: every one is
carried forward, each with a secret of its own."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("accounts", "0012_profile_search")
AFTER = ("accounts", "0013_calendar_feed")


def _migrate(target):
    MigrationExecutor(connection).migrate([target])
    loader = MigrationExecutor(connection).loader
    return loader.project_state(list(loader.applied_migrations)).apps


@pytest.fixture
def before_feeds():
    apps = _migrate(BEFORE)
    yield apps
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_every_existing_profile_gets_a_secret_of_its_own(before_feeds):
    User = before_feeds.get_model("accounts", "User")
    Profile = before_feeds.get_model("accounts", "Profile")
    for name in ("maya", "otto", "ana"):
        Profile.objects.create(user=User.objects.create(username=name, email=f"{name}@example.org"), headline=name)

    apps = _migrate(AFTER)

    profiles = list(apps.get_model("accounts", "Profile").objects.values_list("headline", "calendar_secret"))
    assert sorted(headline for headline, _ in profiles) == ["ana", "maya", "otto"]
    secrets = [secret for _, secret in profiles]
    assert all(secret and len(secret) >= 40 for secret in secrets)
    assert len(set(secrets)) == 3
