"""How API calls say who they are: a token (API clients) or the session cookie (the pages, through DRF's own
SessionAuthentication, which also checks CSRF)."""

import functools

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone
from knox.crypto import hash_token
from knox.models import AuthToken
from rest_framework import authentication, exceptions


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's `Authorization: Token <key>` (its header checks and refusal words), for the tokens django-rest-knox
    issues (accounts.services.api_token_create), checked with one plain query for the token's person.

    Every API call pays for this check. The query finds the token by its digest, the primary key of knox's table,
    and refuses an expired one itself; nothing is written (an expiry is fixed when the token is issued, never
    prolonged by use). Knox's own check costs more: it looks the token up by its first characters, compares
    digests, and reads the person's other tokens to delete the expired ones. The query is written out because
    building it with the ORM spent ~0.5 ms, twice what PostgreSQL takes to answer it (bench/load.py).
    `request.auth` is the token's digest (what `auth/logout/` revokes).
    """

    def authenticate_credentials(self, key):
        digest = hash_token(key)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        user = next(iter(get_user_model().objects.raw(_token_holder_sql(), [digest, now])), None)
        if user is None:
            raise exceptions.AuthenticationFailed("Invalid token.")
        if not user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        return user, digest


@functools.cache
def _token_holder_sql() -> str:
    users, tokens = get_user_model()._meta, AuthToken._meta
    return (
        f"SELECT u.* FROM {users.db_table} u JOIN {tokens.db_table} t ON t.user_id = u.{users.pk.column}"
        " WHERE t.digest = %s AND t.expiry > %s"
    )
