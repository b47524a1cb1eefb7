"""The directory's search box: the people whose name, headline, bio, taught skills or industry match the words
typed, the most relevant first.

It takes any queryset of rows that lead to a profile: `accounts.Profile` itself, or rows with a `user` (a
`programs.Membership`, a `User`) whose profile it reads through `user__profile`. It filters and annotates
`search_rank`, and orders by it (then by the queryset's own order, so ties keep the directory's).

On PostgreSQL every word typed must be found in a person's profile, exactly or nearly:
- full-text search, a prefix of each word of letters and digits (`mentor` finds "mentoring"), over a weighted
  document: name and skills (A), headline and industry (B), bio (C);
- trigram word similarity on `Profile.search_text` (name, skills, industry) for the misspelt (`pyhton` finds
  Python, `Marko` finds Marco): the `<%` operator, whose threshold the connection sets
  (`pg_trgm.word_similarity_threshold`, config/settings/base.py), so that the GIN trigram index answers it;
- a plain substring of `search_text` (`C++`: a word with signs is looked for as typed, and only there).
The rank is the full-text rank (A counts above B above C) plus the best trigram similarity. The document is
stored (`Profile.search_document`); both GIN indexes are migration accounts.0012's, on PostgreSQL only.

On SQLite (a laptop's `make run`) the fallback is a substring match of each word in `search_text` (so skills and
industry are found too), the headline or the bio, ranked by where the words were found.
"""

import functools
import re

from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection, models
from django.db.models import Case, F, Q, QuerySet, Value, When
from django.db.models.functions import Greatest

from accounts.models import Profile
from accounts.search import CONFIG

MAX_WORDS = 8
# A misspelt word is looked for only from this length on: below it, a trigram or two in common finds anyone.
TRIGRAM_MIN_LENGTH = 4


def profile_path(model: type[models.Model]) -> str:
    """The lookup prefix from `model`'s rows to their profile: "" for profiles, "user__profile__" otherwise."""
    return "" if issubclass(model, Profile) else "user__profile__"


def search_words(text: str) -> list[str]:
    """The words of a search, as typed (at most MAX_WORDS, duplicates once)."""
    return list(dict.fromkeys(text.split()))[:MAX_WORDS]


def search(queryset: QuerySet, text: str) -> QuerySet:
    """`queryset` narrowed to the rows whose profile matches every word of `text`, annotated `search_rank` and
    ordered by it, best first. A text without words leaves it as it is (rank 0)."""
    words = search_words(text)
    if not words:
        return queryset.annotate(search_rank=Value(0.0, output_field=models.FloatField()))
    prefix = profile_path(queryset.model)
    if connection.vendor == "postgresql":
        matched = _search_postgresql(queryset, words, prefix)
    else:
        matched = _search_fallback(queryset, words, prefix)
    return matched.order_by("-search_rank", *queryset.query.order_by)


def _prefix_query(word: str) -> SearchQuery | None:
    """A word of letters and digits as a prefix query (`mentor` finds "mentoring"); None for any other word: the
    parser would drop its signs, and `C++` is not "every word that starts with c". Written raw from letters and
    digits only, none of which is tsquery syntax, so nothing typed can make it fail."""
    if not word.isalnum():
        return None
    return SearchQuery(f"{word}:*", search_type="raw", config=CONFIG)


def _search_postgresql(queryset: QuerySet, words: list[str], prefix: str) -> QuerySet:
    matching = Profile.objects.all()
    text, document = "search_text", "search_document"
    queries = []
    for word in words:
        # `~*` rather than icontains (UPPER(…) LIKE): the trigram index answers the one, not the other.
        found = Q(**{f"{text}__iregex": re.escape(word)})
        query = _prefix_query(word)
        if query is not None:
            found |= Q(**{document: query})
            queries.append(query)
        if len(word) >= TRIGRAM_MIN_LENGTH:
            found |= Q(TrigramWordSimilar(F(text), word))
        matching = matching.filter(found)
    # Matched among profiles alone, where the indexes answer (the directory reaches a profile through an outer
    # join, after which PostgreSQL would test every row); ranked on the rows found.
    queryset = queryset.filter(**{f"{prefix}pk__in": matching.values("pk")})
    text, document = f"{prefix}{text}", f"{prefix}{document}"
    similarity = [TrigramWordSimilarity(Value(word), text) for word in words]
    rank = Greatest(*similarity) if len(similarity) > 1 else similarity[0]
    if queries:
        rank = SearchRank(F(document), functools.reduce(lambda a, b: a | b, queries)) + rank
    return queryset.annotate(search_rank=rank)


def _search_fallback(queryset: QuerySet, words: list[str], prefix: str) -> QuerySet:
    text, headline, bio = f"{prefix}search_text", f"{prefix}headline", f"{prefix}bio"
    rank = Value(0)
    for word in words:
        queryset = queryset.filter(
            Q(**{f"{text}__icontains": word}) | Q(**{f"{headline}__icontains": word}) | Q(**{f"{bio}__icontains": word})
        )
        rank = rank + Case(
            When(Q(**{f"{text}__icontains": word}), then=Value(2)),
            When(Q(**{f"{headline}__icontains": word}), then=Value(1)),
            default=Value(0),
        )
    return queryset.annotate(search_rank=models.ExpressionWrapper(rank, output_field=models.FloatField()))
