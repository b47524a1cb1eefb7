"""How API calls say who they are: a token (API clients) or the session cookie (the pages, through DRF's own
SessionAuthentication, which also checks CSRF)."""

import functools

from django.contrib.auth import get_user_model
from rest_framework import authentication, exceptions


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's `Authorization: Token <key>`, checked with one plain query for the token's person.

    Every API call pays for this check. DRF's own lookup (`select_related("user").get(key=…)`) spends ~0.5 ms
    building its query, about twice what PostgreSQL takes to answer it (bench/load.py). `request.auth` is the key.
    """

    def authenticate_credentials(self, key):
        user = next(iter(get_user_model().objects.raw(_token_holder_sql(self.get_model()), [key])), None)
        if user is None:
            raise exceptions.AuthenticationFailed("Invalid token.")
        if not user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        return user, key


@functools.cache
def _token_holder_sql(token_model) -> str:
    users = get_user_model()._meta
    return (
        f"SELECT u.* FROM {users.db_table} u JOIN {token_model._meta.db_table} t ON t.user_id = u.{users.pk.column}"
        " WHERE t.key = %s"
    )
