"""pytest settings: the local ones, made fast and quiet. Database and broker still come from the environment."""

import os
import re

# Under pytest-xdist (make test runs two processes) each test process gets a Redis database of its own (1, 2, …), so
# that one's cache.clear() or broker traffic never reaches the other's. Set before the settings read the
# environment; a Celery worker a test starts inherits it.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _worker.startswith("gw") and os.environ.get("REDIS_URL"):
    _base = re.sub(r"/\d+$", "", os.environ["REDIS_URL"])
    os.environ["REDIS_URL"] = f"{_base}/{int(_worker[2:]) + 1}"

from .local import *  # noqa: E402, F403

SECRET_KEY = "django-insecure-test-only"
DEBUG = False
# Hashing is not what the tests are about; PBKDF2 at full strength would dominate their time.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run in-process unless a test starts a real worker and turns this off for itself.
CELERY_TASK_ALWAYS_EAGER = True
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Threads of the live server and the concurrency tests must not keep connections open past their request.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# The API takes JSON bodies (multipart only for the participants import): tests send what clients send.
REST_FRAMEWORK = {**REST_FRAMEWORK, "TEST_REQUEST_DEFAULT_FORMAT": "json"}  # noqa: F405
