"""The engine's vocabulary: plain data in, plain data out. Nothing here knows about Django."""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import ClassVar

BLOCKS = ("skills", "industry", "goals")
PEER_BLOCKS = (*BLOCKS, "language")  # a peer pair's score also counts a language in common
MODES = ("optimal", "stable")


@dataclass(frozen=True)
class Weights:
    """How much each signal counts. Only the proportions matter: (2, 1, 1) scores like (1, 0.5, 0.5)."""

    skills: float = 1.0
    industry: float = 0.5
    goals: float = 1.0

    blocks: ClassVar[tuple[str, ...]] = BLOCKS

    def __post_init__(self):
        for name in self.blocks:
            value = getattr(self, name)
            if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
                raise ValueError(f"{name}: a weight is a finite number.")
            if value < 0:
                raise ValueError(f"{name}: a weight cannot be negative.")
        if self.total == 0:
            raise ValueError("At least one weight must be above zero.")

    @property
    def total(self) -> float:
        return sum(getattr(self, name) for name in self.blocks)

    def shares(self) -> dict[str, float]:
        return {name: getattr(self, name) / self.total for name in self.blocks}


@dataclass(frozen=True)
class PeerWeights(Weights):
    """A peer round's weights: the one-on-one signals and a language in common (any one: two peers need one
    language to talk in, a second adds nothing)."""

    language: float = 0.5

    blocks: ClassVar[tuple[str, ...]] = PEER_BLOCKS


@dataclass(frozen=True)
class Participants:
    """One side of a program, column by column (index i is one person).

    `skills`: for a mentee the skills they want (and their goals' skills), for a mentor their expertise.
    `text`: for a mentee their goals' titles and descriptions and their bio; for a mentor headline and bio.
    `utc_offset_hours`: optional, for the time-zone filter.
    """

    ids: Sequence[int]
    skills: Sequence[Sequence[str]]
    industry: Sequence[str | None]
    text: Sequence[str]
    utc_offset_hours: Sequence[float] | None = None

    def __post_init__(self):
        n = len(self.ids)
        columns = {"skills": self.skills, "industry": self.industry, "text": self.text}
        if self.utc_offset_hours is not None:
            columns["utc_offset_hours"] = self.utc_offset_hours
        for name, column in columns.items():
            if len(column) != n:
                raise ValueError(f"{name} has {len(column)} entries for {n} people.")
        if len(set(self.ids)) != n:
            raise ValueError("ids must be unique.")

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class Peers:
    """A peer program, column by column (index i is one person). Every peer has both sides of a mentee and a
    mentor: what they want, matched against the others' offer, and what they offer, matched against the others'
    wants.

    `wanted_skills`: the skills they want to grow (and their open goals' skills), as a mentee's `skills`.
    `goals_text`: their goals' titles and descriptions and their bio, as a mentee's `text`.
    `skills`: the skills they can help with, as a mentor's `skills`.
    `about_text`: their headline and bio, as a mentor's `text`.
    `languages`: optional, the languages they speak (any case). `utc_offset_hours`: optional, for the time-zone rule.
    """

    ids: Sequence[int]
    wanted_skills: Sequence[Sequence[str]]
    goals_text: Sequence[str]
    skills: Sequence[Sequence[str]]
    about_text: Sequence[str]
    industry: Sequence[str | None]
    languages: Sequence[Sequence[str]] | None = None
    utc_offset_hours: Sequence[float] | None = None

    def __post_init__(self):
        n = len(self.ids)
        columns = {
            "wanted_skills": self.wanted_skills,
            "goals_text": self.goals_text,
            "skills": self.skills,
            "about_text": self.about_text,
            "industry": self.industry,
            "languages": self.languages,
            "utc_offset_hours": self.utc_offset_hours,
        }
        for name, column in columns.items():
            if column is not None and len(column) != n:
                raise ValueError(f"{name} has {len(column)} entries for {n} people.")
        if len(set(self.ids)) != n:
            raise ValueError("ids must be unique.")

    def __len__(self) -> int:
        return len(self.ids)

    def wanting(self) -> Participants:
        """Everyone's wants, as mentees."""
        return Participants(self.ids, self.wanted_skills, self.industry, self.goals_text, self.utc_offset_hours)

    def offering(self) -> Participants:
        """Everyone's offer, as mentors."""
        return Participants(self.ids, self.skills, self.industry, self.about_text, self.utc_offset_hours)


@dataclass(frozen=True)
class Options:
    mode: str = "optimal"
    top_k: int = 50  # candidate mentors kept per mentee: memory grows with mentees × top_k
    min_score: float = 0.0  # pairs scoring below this are never proposed
    same_industry: bool = False
    max_timezone_hours: float | None = None
    chunk_elements: int = 8_000_000  # mentees × mentors scored at once; bounds the candidate search's memory
    min_group_size: int = 1  # group rounds: a circle (its members and those proposed) smaller than this is not proposed

    def __post_init__(self):
        if self.mode not in MODES:
            raise ValueError(f'mode: "{self.mode}" is not one of {", ".join(MODES)}.')
        if not 1 <= self.top_k <= 1000:
            raise ValueError("top_k: from 1 to 1000.")
        if not 0 <= self.min_score <= 1:
            raise ValueError("min_score: from 0 to 1.")
        if self.max_timezone_hours is not None and not 0 <= self.max_timezone_hours <= 26:
            raise ValueError("max_timezone_hours: from 0 to 26.")
        if isinstance(self.min_group_size, bool) or not isinstance(self.min_group_size, int) or self.min_group_size < 1:
            raise ValueError("min_group_size: a whole number from 1.")


@dataclass(frozen=True)
class Proposal:
    mentee_id: int
    mentor_id: int
    score: float
    explanation: dict


@dataclass(frozen=True)
class Unmatched:
    """A mentee of the pool left without a proposal: `reason` (see engine.unmatched) and the counts behind it."""

    mentee_id: int
    reason: str
    details: dict


@dataclass
class MatchResult:
    proposals: list[Proposal]
    stats: dict
    seconds: dict[str, float] = field(default_factory=dict)  # per stage: features, candidates, assignment, explain
    unmatched: list[Unmatched] = field(default_factory=list)
