"""The models as the database has them after a migration test moved some app back: the state of exactly the
migrations applied. (Migrating an app back also unapplies the later migrations of other apps that depend on it, so
"the other apps at their latest" would describe tables that are no longer there.)"""

from django.apps.registry import Apps
from django.db import connection
from django.db.migrations.loader import MigrationLoader


def applied_apps() -> Apps:
    loader = MigrationLoader(connection)
    return loader.project_state(list(loader.applied_migrations)).apps
