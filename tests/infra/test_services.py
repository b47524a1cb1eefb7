"""CI runs the suite on the real services; these make sure it does (and say so when it does not)."""

import pytest
import redis
from django.db import IntegrityError, connection, transaction

from accounts.models import Skill


@pytest.mark.postgres
def test_the_suite_runs_on_postgresql(postgres):
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    assert int(version.split(".")[0]) >= 13


@pytest.mark.postgres
def test_postgresql_connections_do_not_jit_compile(postgres):
    # JIT spent ~40 ms compiling the directory's page query under load (bench/load.py); web requests turn it off.
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


@pytest.mark.redis
def test_redis_answers_and_stores(redis_url):
    client = redis.Redis.from_url(redis_url)
    client.set("mentorship:test", "hello", ex=10)
    assert client.get("mentorship:test") == b"hello"
    client.delete("mentorship:test")


@pytest.mark.django_db
def test_the_database_refuses_a_skill_name_differing_only_in_case():
    Skill.objects.create(name="Python")

    with pytest.raises(IntegrityError), transaction.atomic():
        Skill.objects.create(name="PYTHON")
