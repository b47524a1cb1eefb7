"""API tokens issued before django-rest-knox (DRF's authtoken, stored as written) are carried over by a migration:
they keep working until API_TOKEN_TTL_HOURS after the upgrade, and no token is left stored as written."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

MIGRATION = ("accounts", "0008_api_tokens_to_knox")


@pytest.mark.django_db(transaction=True)
def test_a_token_issued_before_the_upgrade_keeps_working_until_the_new_expiry(settings):
    settings.API_TOKEN_TTL_HOURS = 24
    executor = MigrationExecutor(connection)
    before = [parent.key for parent in executor.loader.graph.node_map[MIGRATION].parents]
    executor.migrate(before)
    people = executor.loader.project_state(before).apps.get_model("accounts", "User")
    maya = people.objects.create(username="maya", email="maya@example.org", full_name="Maya Mentee")
    key = Token.objects.create(user_id=maya.pk).key  # as the token endpoint made them until now

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    me = APIClient(HTTP_AUTHORIZATION=f"Token {key}").get("/api/v1/me/")
    assert me.status_code == 200 and me.json()["username"] == "maya"
    carried = AuthToken.objects.get()
    assert abs(carried.expiry - (timezone.now() + dt.timedelta(hours=24))) < dt.timedelta(minutes=1)
    assert key not in str(AuthToken.objects.values().get())
    assert not Token.objects.exists()
