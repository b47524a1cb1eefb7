"""The embedded default: `make run` on a laptop. DEBUG on, a fixed development key, SQLite unless told."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="django-insecure-local-development-only-never-use-in-production")

# Static files come straight from static/ through WhiteNoise's finders; only production collects them.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
