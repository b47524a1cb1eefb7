"""The old role profiles and the global role go: programs.0002 made each of them a membership of `main` (with a
mentor's capacity and accepting flag), and 0010 moved their fields into the one profile. A pending sign-up keeps its
role: following its link joins the program it names (`main` when blank) in that role."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0010_one_profile_both_sides"),
        ("programs", "0002_default_program"),
    ]

    operations = [
        migrations.DeleteModel(name="MenteeProfile"),
        migrations.DeleteModel(name="MentorProfile"),
        migrations.RemoveField(model_name="user", name="role"),
        migrations.AddField(
            model_name="signup",
            name="program",
            field=models.SlugField(blank=True, help_text="The program's slug; the default one if blank."),
        ),
        migrations.AlterField(
            model_name="signup",
            name="role",
            field=models.CharField(
                blank=True,
                help_text="The role to join `program` in when the link is followed (optional).",
                max_length=10,
            ),
        ),
    ]
