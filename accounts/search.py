"""What the directory's search reads of a person that is not on their profile row: their name (on the user), the
approved skills they teach (a many-to-many) and their industry's name, copied into `Profile.search_text` so that
one indexed column of one table answers a search (mentorship.search reads it; its indexes are in migration
accounts.0012).

The copy is kept by whoever changes what it holds: `profile_search_refresh(user_ids=...)` after a change of a
person's name, skills or industry (profile edits, imports, the demo), and the taxonomy's reviews here (a suggestion
approved or merged becomes visible, so findable). Only approved skills are copied: a suggestion waiting for review
is shown to nobody but its author, so nobody may find who has it either.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.contrib.postgres.search import SearchVector
from django.db import models
from django.db.models import F, Func, Value

from accounts.models import Profile, Skill

BATCH = 2_000
CONFIG = "simple"  # names and skills are not English words: no stemming, no stop words


def search_text_compose(*, name: str, skills: Iterable[str], industry: str) -> str:
    """Line 1: the words that name the person and what they teach (ranked first); line 2: their industry (ranked
    with the headline). mentorship.search splits the lines again (`split_part`), so neither may hold a newline:
    names, skills and industries are single-line fields."""
    return "\n".join((" ".join([name, *sorted(skills, key=str.lower)]).strip(), industry))


def profile_search_refresh(*, user_ids: Iterable[int] | None = None) -> int:
    """Recompute `search_text` of these people's profiles (every profile when `user_ids` is None); the number
    rewritten. Call it after a change of a person's name, taught skills or industry, in the same transaction."""
    profiles = Profile.objects.all()
    if user_ids is not None:
        profiles = profiles.filter(user_id__in=list(user_ids))
    return search_texts_refresh(profile_model=Profile, approved=Skill.Status.APPROVED, profiles=profiles)


def search_texts_refresh(*, profile_model: type[models.Model], approved: str, profiles: models.QuerySet) -> int:
    """The work of profile_search_refresh on the models given: the migration that adds the column fills it
    through here with its own historical models. A few queries per BATCH profiles, whatever their skills."""
    through = profile_model.skills.through
    changed = 0
    rows = profiles.order_by("pk").values_list("pk", "user__full_name", "industry__name", "search_text")
    batch: list[tuple] = []
    for row in rows.iterator(chunk_size=BATCH):
        batch.append(row)
        if len(batch) == BATCH:
            changed += _batch_refresh(profile_model, through, approved, batch)
            batch = []
    if batch:
        changed += _batch_refresh(profile_model, through, approved, batch)
    return changed


def _batch_refresh(profile_model, through, approved: str, rows: list[tuple]) -> int:
    skills = defaultdict(list)
    links = through.objects.filter(profile_id__in=[row[0] for row in rows], skill__status=approved)
    for profile_id, skill_name in links.values_list("profile_id", "skill__name"):
        skills[profile_id].append(skill_name)
    stale = []
    for pk, name, industry, kept in rows:
        text = search_text_compose(name=name or "", skills=skills[pk], industry=industry or "")
        if text != kept:
            stale.append(profile_model(pk=pk, search_text=text))
    profile_model.objects.bulk_update(stale, ["search_text"], batch_size=BATCH)
    return len(stale)


def search_document(prefix: str = "") -> SearchVector:
    """The weighted full-text document of a profile reached through `prefix` (e.g. "user__profile__"): name and
    skills (A), headline and industry (B), bio (C). Migration accounts.0012 indexes this very expression (prefix
    ""): a query must spell it the same way for PostgreSQL to use that index."""
    text = F(f"{prefix}search_text")
    return (
        SearchVector(_line(text, 1), config=CONFIG, weight="A")
        + SearchVector(F(f"{prefix}headline"), _line(text, 2), config=CONFIG, weight="B")
        + SearchVector(F(f"{prefix}bio"), config=CONFIG, weight="C")
    )


def _line(text: F, number: int) -> Func:
    return Func(text, Value("\n"), Value(number), function="split_part", output_field=models.TextField())
