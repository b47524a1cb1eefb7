"""Requests and mentorships belong to a program: every existing one joins `main` (made by programs.0002). One
pending request and one active mentorship per pair now hold per program, and the directory's two count indexes lead
with the mentor, then the program."""

import django.db.models.deletion
from django.db import migrations, models


def join_main(apps, schema_editor):
    main = apps.get_model("programs", "Program").objects.get(slug="main")
    for name in ("MentorshipRequest", "Mentorship"):
        apps.get_model("mentorship", name).objects.filter(program__isnull=True).update(program=main)


class Migration(migrations.Migration):
    dependencies = [
        ("mentorship", "0003_text_fields_refuse_control_characters"),
        ("programs", "0002_default_program"),
    ]

    operations = [
        migrations.AddField(
            model_name="mentorship",
            name="program",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="mentorships",
                to="programs.program",
            ),
        ),
        migrations.AddField(
            model_name="mentorshiprequest",
            name="program",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="requests",
                to="programs.program",
            ),
        ),
        migrations.RunPython(join_main, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="mentorship",
            name="program",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="mentorships", to="programs.program"
            ),
        ),
        migrations.AlterField(
            model_name="mentorshiprequest",
            name="program",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="requests", to="programs.program"
            ),
        ),
        migrations.RemoveConstraint(model_name="mentorship", name="one_active_mentorship_per_pair"),
        migrations.RemoveConstraint(model_name="mentorshiprequest", name="one_pending_request_per_pair"),
        migrations.RemoveIndex(model_name="mentorship", name="active_mentorships_by_mentor"),
        migrations.RemoveIndex(model_name="mentorshiprequest", name="offers_held_by_mentor"),
        migrations.AddIndex(
            model_name="mentorship",
            index=models.Index(
                condition=models.Q(("status", "active")),
                fields=["mentor", "program"],
                name="active_mentorships_by_mentor",
            ),
        ),
        migrations.AddIndex(
            model_name="mentorshiprequest",
            index=models.Index(
                condition=models.Q(("origin", "match_round"), ("status", "pending")),
                fields=["mentor", "program"],
                name="offers_held_by_mentor",
            ),
        ),
        migrations.AddConstraint(
            model_name="mentorship",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "active")),
                fields=("program", "mentee", "mentor"),
                name="one_active_mentorship_per_pair",
            ),
        ),
        migrations.AddConstraint(
            model_name="mentorshiprequest",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "pending")),
                fields=("program", "mentee", "mentor"),
                name="one_pending_request_per_pair",
            ),
        ),
    ]
