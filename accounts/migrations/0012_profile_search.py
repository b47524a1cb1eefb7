"""The directory's search: `Profile.search_text` (name and taught skills, then industry) and, on PostgreSQL,
`search_document` (the weighted full-text document), filled for every existing profile (accounts.search), and on
PostgreSQL the pg_trgm extension and two GIN indexes, one of trigrams of `search_text` (misspelt names and skills,
substrings) and one of the document. SQLite has neither: its fallback reads every row, which a laptop's demo can.

The indexes are made here rather than declared on the model because SQLite cannot make a GIN index."""

import django.contrib.postgres.search
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

from accounts.search import search_texts_refresh

TRIGRAM_INDEX = "profile_search_trigram"
DOCUMENT_INDEX = "profile_search_document"


def _indexes():
    return [
        GinIndex(fields=["search_text"], opclasses=["gin_trgm_ops"], name=TRIGRAM_INDEX),
        GinIndex(fields=["search_document"], name=DOCUMENT_INDEX),
    ]


class TrigramExtensionKept(TrigramExtension):
    """pg_trgm on PostgreSQL (nothing elsewhere), left in place when migrating back: other objects may use it."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass


def search_texts_fill(apps, schema_editor):
    Profile = apps.get_model("accounts", "Profile")
    search_texts_refresh(profile_model=Profile, approved="approved", profiles=Profile.objects.all())


def indexes_add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    Profile = apps.get_model("accounts", "Profile")
    for index in _indexes():
        schema_editor.add_index(Profile, index)


def indexes_remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    Profile = apps.get_model("accounts", "Profile")
    for index in _indexes():
        schema_editor.remove_index(Profile, index)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0011_roles_are_memberships"),
    ]

    operations = [
        # Does nothing on SQLite. pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner, which the
        # app's role is in CI and by README's setup, may create it without being a superuser.
        TrigramExtensionKept(),
        migrations.AddField(
            model_name="profile",
            name="search_text",
            field=models.TextField(
                blank=True,
                editable=False,
                help_text="Name and taught (approved) skills, then industry: what the directory's search matches "
                "besides headline and bio. Kept by accounts.search.profile_search_refresh.",
            ),
        ),
        migrations.AddField(
            model_name="profile",
            name="search_document",
            field=django.contrib.postgres.search.SearchVectorField(
                editable=False,
                help_text="The weighted full-text document of name, skills, headline, industry and bio (PostgreSQL "
                "only). Kept by accounts.search.profile_search_refresh.",
                null=True,
            ),
        ),
        migrations.RunPython(indexes_add, indexes_remove, elidable=False),
        migrations.RunPython(search_texts_fill, migrations.RunPython.noop, elidable=False),
    ]
