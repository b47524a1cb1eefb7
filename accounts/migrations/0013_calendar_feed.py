"""Each profile gets the secret of its calendar feed. A default callable would give every existing row the same
value (it is evaluated once for the column), so the column is added empty, filled row by row, then made unique."""

from django.db import migrations, models

import accounts.models


def give_each_profile_its_own_secret(apps, schema_editor):
    Profile = apps.get_model("accounts", "Profile")
    for profile in Profile.objects.filter(calendar_secret__isnull=True).only("pk").iterator():
        Profile.objects.filter(pk=profile.pk).update(calendar_secret=accounts.models.calendar_secret_new())


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0012_profile_search"),
    ]

    operations = [
        migrations.AddField(
            model_name="profile",
            name="calendar_secret",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.RunPython(give_each_profile_its_own_secret, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="profile",
            name="calendar_secret",
            field=models.CharField(
                default=accounts.models.calendar_secret_new,
                editable=False,
                help_text="The key in the address of the person's calendar feed; a new one makes the old address "
                "fail.",
                max_length=64,
                unique=True,
            ),
        ),
    ]
