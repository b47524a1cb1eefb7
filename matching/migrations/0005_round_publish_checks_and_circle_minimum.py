"""A round's minimum circle size (group programs; 1, no minimum, for every existing round) and why publishing
skipped a proposal (blank for every existing one)."""

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0004_rounds_in_a_program"),
    ]

    operations = [
        migrations.AddField(
            model_name="matchproposal",
            name="skip_reason",
            field=models.CharField(
                blank=True,
                choices=[
                    ("mentee_left", "The mentee left the program"),
                    ("mentee_matched", "The mentee has as many mentors as the program allows"),
                    ("mentee_asked", "The mentee has a request pending"),
                    ("pair_excluded", "The mentor declined this mentee, or they were paired before"),
                    ("mentor_left", "The mentor left the program"),
                    ("mentor_not_accepting", "The mentor stopped accepting requests"),
                    ("mentor_full", "The mentor has no slot left"),
                    ("circle_too_small", "The circle would be below the round's minimum size"),
                ],
                help_text="Why publishing did not make a request.",
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="matchround",
            name="min_group_size",
            field=models.PositiveSmallIntegerField(
                default=1,
                help_text="Group programs: a circle (its members and those proposed) smaller than this is not proposed.",
                validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(50)],
            ),
        ),
        migrations.AddConstraint(
            model_name="matchround",
            constraint=models.CheckConstraint(
                condition=models.Q(("min_group_size__gte", 1)), name="round_min_group_size_positive"
            ),
        ),
    ]
