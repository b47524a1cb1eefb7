"""The load benchmark's settings: production's, plus one bare JSON view to compare the app with."""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.load_urls"
