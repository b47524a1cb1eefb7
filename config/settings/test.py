"""pytest settings: the local ones, made fast and quiet. Database and broker still come from the environment."""

from .local import *  # noqa: F403

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
