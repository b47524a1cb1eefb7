"""API tokens move from DRF's authtoken (one per person, stored as written, never expiring) to django-rest-knox
(one per client, stored as a digest, expiring).

Every existing token is carried over: knox's table gets its digest, with an expiry API_TOKEN_TTL_HOURS from now,
so that clients signed in before the upgrade keep working until then and sign in again afterwards. Then the
tokens as written are deleted. Going back cannot bring them back (only digests are left): the reverse leaves the
knox tokens, which keep working with this code.
"""

import datetime as dt

from django.conf import settings
from django.db import migrations
from django.utils import timezone
from knox.crypto import hash_token
from knox.settings import CONSTANTS


def carry_tokens_over(apps, schema_editor):
    database = schema_editor.connection.alias
    OldToken = apps.get_model("authtoken", "Token")
    AuthToken = apps.get_model("knox", "AuthToken")
    expiry = timezone.now() + dt.timedelta(hours=settings.API_TOKEN_TTL_HOURS)
    old_tokens = OldToken.objects.using(database)
    AuthToken.objects.using(database).bulk_create(
        [
            AuthToken(
                digest=hash_token(key),
                token_key=key[: CONSTANTS.TOKEN_KEY_LENGTH],
                user_id=user_id,
                expiry=expiry,
            )
            for key, user_id in old_tokens.values_list("key", "user_id").iterator()
        ],
        batch_size=1000,
    )
    old_tokens.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_text_fields_refuse_control_characters"),
        ("authtoken", "0004_alter_tokenproxy_options"),
        ("knox", "0009_extend_authtoken_field"),
    ]

    operations = [migrations.RunPython(carry_tokens_over, migrations.RunPython.noop)]
