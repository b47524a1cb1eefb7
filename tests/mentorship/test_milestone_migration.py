"""mentorship 0008 numbers each goal's milestones in the order they were shown before (by due date, undated
last, then as added), so that nobody's list changes order when positions arrive."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.migration_state import applied_apps

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("mentorship", "0006_member_row_per_stay")]
AFTER = [("mentorship", "0008_agreements_action_items_messages")]


def _migrate(targets):
    """Migrate mentorship to `targets` (the other apps stay at their latest, less what depends on later mentorship
    migrations) and answer the models as they are."""
    MigrationExecutor(connection).migrate(targets)
    return applied_apps()


def test_existing_milestones_keep_their_order(postgres):
    apps = _migrate(BEFORE)
    try:
        User = apps.get_model("accounts", "User")
        Goal = apps.get_model("mentorship", "Goal")
        Milestone = apps.get_model("mentorship", "Milestone")
        owner = User.objects.create(username="mona", email="mona@example.org", full_name="Mona")
        goal, other = (Goal.objects.create(mentee=owner, title=title) for title in ("Talk", "Raise"))
        for title, due in (("undated", None), ("march", dt.date(2030, 3, 1)), ("january", dt.date(2030, 1, 1))):
            Milestone.objects.create(goal=goal, title=title, due_date=due)
        Milestone.objects.create(goal=other, title="only", due_date=None)

        apps = _migrate(AFTER)

        Milestone = apps.get_model("mentorship", "Milestone")
        rows = Milestone.objects.order_by("goal_id", "position").values_list("title", "position")
        assert list(rows) == [("january", 0), ("march", 1), ("undated", 2), ("only", 0)]
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
