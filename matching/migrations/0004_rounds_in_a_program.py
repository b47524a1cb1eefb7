"""Match rounds belong to a program: every existing one joins `main`. The admins' record moved to programs
(copied by programs.0002), so the old table goes."""

import django.db.models.deletion
from django.db import migrations, models


def join_main(apps, schema_editor):
    main = apps.get_model("programs", "Program").objects.get(slug="main")
    apps.get_model("matching", "MatchRound").objects.filter(program__isnull=True).update(program=main)


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0003_round_name_on_one_line"),
        ("programs", "0002_default_program"),
    ]

    operations = [
        migrations.AddField(
            model_name="matchround",
            name="program",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="match_rounds",
                to="programs.program",
            ),
        ),
        migrations.RunPython(join_main, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="matchround",
            name="program",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="match_rounds", to="programs.program"
            ),
        ),
        migrations.DeleteModel(name="AdminAction"),
    ]
