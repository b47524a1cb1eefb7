"""What the directory's search reads of a person, kept on their profile so that indexed columns of one table
answer a search (mentorship.search reads them; their indexes are in migration accounts.0012):
- `search_text`: their name (on the user), the approved skills they teach (a many-to-many) and their industry's
  name, for trigram and substring matching;
- `search_document` (PostgreSQL only): the weighted full-text document of those and the headline and bio, stored
  rather than computed per query: ranking thousands of matches would otherwise parse every bio each time.

Both are kept by whoever changes what they hold: `profile_search_refresh(user_ids=...)` after a change of a
person's name, skills, industry, headline or bio (profile edits, imports, the demo), and the taxonomy's reviews
here (a suggestion approved or merged becomes visible, so findable). Only approved skills are copied: a suggestion
waiting for review is shown to nobody but its author, so nobody may find who has it either.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.contrib.postgres.search import SearchVector
from django.db import connection, models
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
    """Recompute `search_text` and `search_document` of these people's profiles (every profile when `user_ids` is
    None); the number whose `search_text` changed. Call it after a change of a person's name, taught skills,
    industry, headline or bio, in the same transaction."""
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
    postgresql = connection.vendor == "postgresql"
    batch: list[tuple] = []
    for row in rows.iterator(chunk_size=BATCH):
        batch.append(row)
        if len(batch) == BATCH:
            changed += _batch_refresh(profile_model, through, approved, batch, postgresql)
            batch = []
    if batch:
        changed += _batch_refresh(profile_model, through, approved, batch, postgresql)
    return changed


def _batch_refresh(profile_model, through, approved: str, rows: list[tuple], postgresql: bool) -> int:
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
    if postgresql:  # every one: the headline or the bio may have changed where search_text did not
        profile_model.objects.filter(pk__in=[row[0] for row in rows]).update(search_document=search_document())
    return len(stale)


def search_document(prefix: str = "") -> SearchVector:
    """The weighted full-text document of a profile reached through `prefix`: name and skills (A), headline and
    industry (B), bio (C). Stored in `search_document` by the refresh."""
    text = F(f"{prefix}search_text")
    return (
        SearchVector(_line(text, 1), config=CONFIG, weight="A")
        + SearchVector(F(f"{prefix}headline"), _line(text, 2), config=CONFIG, weight="B")
        + SearchVector(F(f"{prefix}bio"), config=CONFIG, weight="C")
    )


def _line(text: F, number: int) -> Func:
    return Func(text, Value("\n"), Value(number), function="split_part", output_field=models.TextField())
