"""One profile per person, both sides: a mentor's profile becomes what they can teach (`skills`), a mentee's what
they want to grow (`wanted_skills`). The old profiles and the global role go in 0011, once programs.0002 has
turned each role (with a mentor's capacity) into a membership of the default program."""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import accounts.models
import config.inputs

BATCH = 2_000


def _batches(queryset):
    batch = []
    for row in queryset.iterator(chunk_size=BATCH):
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def profiles_merge(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    MentorProfile = apps.get_model("accounts", "MentorProfile")
    MenteeProfile = apps.get_model("accounts", "MenteeProfile")
    Profile = apps.get_model("accounts", "Profile")
    # Keep when each profile was made (auto_now_add would say now); the model here is this migration's own copy.
    Profile._meta.get_field("created_at").auto_now_add = False
    mentors = {p.user_id: p for p in MentorProfile.objects.all()}
    mentees = {p.user_id: p for p in MenteeProfile.objects.all()}
    for users in _batches(User.objects.order_by("pk").only("pk")):
        profiles = []
        for user in users:
            mentor, mentee = mentors.get(user.pk), mentees.get(user.pk)
            source = mentor or mentee
            profiles.append(
                Profile(
                    user_id=user.pk,
                    headline=mentor.headline if mentor else "",
                    bio=source.bio if source else "",
                    industry_id=source.industry_id if source else None,
                    timezone=source.timezone if source else "UTC",
                    years_experience=mentor.years_experience if mentor else 0,
                    created_at=source.created_at if source else user.date_joined,
                )
            )
        Profile.objects.bulk_create(profiles, batch_size=BATCH)
    profile_of = dict(Profile.objects.values_list("user_id", "pk"))
    for old, new_field, owner in (
        (MentorProfile, "skills", "mentorprofile"),
        (MenteeProfile, "wanted_skills", "menteeprofile"),
    ):
        links = old.skills.through.objects.values_list(f"{owner}__user_id", "skill_id").order_by("pk")
        through = getattr(Profile, new_field).through
        for batch in _batches(links):
            through.objects.bulk_create(
                [through(profile_id=profile_of[user_id], skill_id=skill_id) for user_id, skill_id in batch],
                batch_size=BATCH,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0009_curated_skill_taxonomy"),
    ]

    operations = [
        migrations.CreateModel(
            name="Profile",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True, db_index=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "headline",
                    models.CharField(blank=True, max_length=160, validators=[config.inputs.validate_single_line]),
                ),
                (
                    "bio",
                    models.TextField(blank=True, max_length=4000, validators=[config.inputs.validate_multi_line]),
                ),
                (
                    "timezone",
                    models.CharField(default="UTC", max_length=64, validators=[accounts.models.validate_timezone]),
                ),
                (
                    "languages",
                    models.JSONField(blank=True, default=list, validators=[accounts.models.validate_languages]),
                ),
                (
                    "years_experience",
                    models.PositiveSmallIntegerField(
                        default=0, validators=[django.core.validators.MaxValueValidator(70)]
                    ),
                ),
                (
                    "industry",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="accounts.industry",
                    ),
                ),
                (
                    "skills",
                    models.ManyToManyField(
                        blank=True, help_text="Can teach.", related_name="teaching_profiles", to="accounts.skill"
                    ),
                ),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="profile",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "wanted_skills",
                    models.ManyToManyField(
                        blank=True, help_text="Wants to grow.", related_name="learning_profiles", to="accounts.skill"
                    ),
                ),
            ],
            options={"abstract": False},
        ),
        migrations.RunPython(profiles_merge, migrations.RunPython.noop, elidable=False),
    ]
