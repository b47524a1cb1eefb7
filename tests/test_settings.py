"""Configuration by environment: production refuses to start without a real secret key."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; a deployment never has it.
TEST_ONLY_VARIABLES = {"SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
PRINT_DEBUG = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
GOOD_KEY = "k3y-" + "x7Qp9-Lm2Zr8Vt4Wn6Bc1Hd5Jf0Gs3Ke" * 2


def _django_setup(settings_module: str, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in TEST_ONLY_VARIABLES}
    return subprocess.run(
        [sys.executable, "-c", PRINT_DEBUG],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": settings_module, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "key",
    [None, "", "django-insecure-abc" * 5, "short-key", "a" * 60],
    ids=["unset", "empty", "insecure", "short", "one-letter"],
)
def test_production_refuses_to_start_without_a_real_secret_key(key):
    env = {} if key is None else {"SECRET_KEY": key}

    result = _django_setup("config.settings.production", **env)

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_starts_with_a_real_key_and_debug_off():
    result = _django_setup("config.settings.production", SECRET_KEY=GOOD_KEY)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_local_settings_need_no_environment_at_all():
    result = _django_setup("config.settings.local")

    assert result.returncode == 0, result.stderr


def test_production_passes_the_deploy_check_at_warning_level():
    clean = {k: v for k, v in os.environ.items() if k not in TEST_ONLY_VARIABLES}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings.production", "SECRET_KEY": GOOD_KEY,
             "ALLOWED_HOSTS": "mentoring.example.org"},
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_forbid_the_demo_accounts():
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEMO_DATA_ALLOWED)"
    clean = {k: v for k, v in os.environ.items() if k not in TEST_ONLY_VARIABLES}
    env = {**clean, "DJANGO_SETTINGS_MODULE": "config.settings.production", "SECRET_KEY": GOOD_KEY}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)

    assert result.stdout.strip() == "False", result.stderr


def test_the_embedded_default_sends_tasks_without_a_broker_warning():
    code = (
        "import django; django.setup(); from config.tasks import task_send; "
        "from mentorship.tasks import expire_requests; task_send(expire_requests, required=False)"
    )
    clean = {k: v for k, v in os.environ.items() if k not in {*TEST_ONLY_VARIABLES, "REDIS_URL", "DATABASE_URL"}}
    env = {**clean, "DJANGO_SETTINGS_MODULE": "config.settings.local", "DATABASE_URL": "sqlite://:memory:"}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)

    assert "mentorship.tasks.expire_requests" in result.stderr  # sent, and run in-process (no tables: it failed)
    assert "No hostname" not in result.stderr, result.stderr
