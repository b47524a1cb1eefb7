"""The default program `main` (evergreen, one-on-one, open), and everyone who was in the one global program moved
into it: each mentor with their capacity and accepting flag, each mentee, and site staff as its admins. Its mentee
limit and request expiry are what the deployment had configured (MAX_ACTIVE_MENTORSHIPS_PER_MENTEE,
REQUEST_EXPIRY_DAYS), so that nobody's rules change. What admins did so far was done to `main`: the record moves here
from matching (the old table goes in matching.0004)."""

from django.conf import settings
from django.db import migrations

BATCH = 2_000


def default_program_create(apps, schema_editor):
    Program = apps.get_model("programs", "Program")
    Membership = apps.get_model("programs", "Membership")
    AdminAction = apps.get_model("programs", "AdminAction")
    OldAdminAction = apps.get_model("matching", "AdminAction")
    User = apps.get_model("accounts", "User")
    MentorProfile = apps.get_model("accounts", "MentorProfile")
    # These rows carry history (when someone joined, when an admin acted): keep the dates given, which
    # auto_now_add would replace with now. The models here are this migration's own copies.
    Membership._meta.get_field("created_at").auto_now_add = False
    AdminAction._meta.get_field("at").auto_now_add = False

    main, _ = Program.objects.get_or_create(
        slug="main",
        defaults={
            "name": "Mentoring program",
            "description": "The organisation's always-on one-on-one mentoring program.",
            "format": "one_on_one",
            "kind": "evergreen",
            "enrollment": "open",
            "mentee_limit": max(1, min(20, settings.MAX_ACTIVE_MENTORSHIPS_PER_MENTEE)),
            "request_expiry_days": max(1, min(365, settings.REQUEST_EXPIRY_DAYS)),
            "default_weights": {"skills": 1.0, "industry": 0.5, "goals": 1.0},
        },
    )
    mentor_terms = {
        user_id: (capacity, accepting)
        for user_id, capacity, accepting in MentorProfile.objects.values_list(
            "user_id", "capacity", "accepting_requests"
        )
    }
    memberships = []
    people = User.objects.order_by("pk").values_list("pk", "role", "is_staff", "date_joined")
    for user_id, role, is_staff, joined in people.iterator(chunk_size=BATCH):
        if role == "mentor":
            capacity, accepting = mentor_terms.get(user_id, (2, True))
            memberships.append(
                Membership(
                    user_id=user_id,
                    program=main,
                    role="mentor",
                    capacity=capacity,
                    accepting_requests=accepting,
                    created_at=joined,
                )
            )
        elif role == "mentee":
            memberships.append(Membership(user_id=user_id, program=main, role="mentee", created_at=joined))
        if is_staff:
            memberships.append(Membership(user_id=user_id, program=main, role="admin", created_at=joined))
        if len(memberships) >= BATCH:
            Membership.objects.bulk_create(memberships)
            memberships = []
    Membership.objects.bulk_create(memberships)

    actions = [
        AdminAction(
            actor_id=old.actor_id, kind=old.kind, program=main, target=old.target, details=old.details, at=old.at
        )
        for old in OldAdminAction.objects.order_by("pk")
    ]
    AdminAction.objects.bulk_create(actions, batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0001_initial"),
        ("accounts", "0010_one_profile_both_sides"),
        ("matching", "0003_round_name_on_one_line"),
    ]

    operations = [migrations.RunPython(default_program_create, migrations.RunPython.noop, elidable=False)]
