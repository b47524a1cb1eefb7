"""The engine's vocabulary: plain data in, plain data out. Nothing here knows about Django."""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

BLOCKS = ("skills", "industry", "goals")
MODES = ("optimal", "stable")


@dataclass(frozen=True)
class Weights:
    """How much each signal counts. Only the proportions matter: (2, 1, 1) scores like (1, 0.5, 0.5)."""

    skills: float = 1.0
    industry: float = 0.5
    goals: float = 1.0

    def __post_init__(self):
        for name in BLOCKS:
            value = getattr(self, name)
            if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
                raise ValueError(f"{name}: a weight is a finite number.")
            if value < 0:
                raise ValueError(f"{name}: a weight cannot be negative.")
        if self.total == 0:
            raise ValueError("At least one weight must be above zero.")

    @property
    def total(self) -> float:
        return sum(getattr(self, name) for name in BLOCKS)

    def shares(self) -> dict[str, float]:
        return {name: getattr(self, name) / self.total for name in BLOCKS}


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
class Options:
    mode: str = "optimal"
    top_k: int = 50  # candidate mentors kept per mentee: memory grows with mentees × top_k
    min_score: float = 0.0  # pairs scoring below this are never proposed
    same_industry: bool = False
    max_timezone_hours: float | None = None
    chunk_elements: int = 8_000_000  # mentees × mentors scored at once; bounds the candidate search's memory

    def __post_init__(self):
        if self.mode not in MODES:
            raise ValueError(f'mode: "{self.mode}" is not one of {", ".join(MODES)}.')
        if not 1 <= self.top_k <= 1000:
            raise ValueError("top_k: from 1 to 1000.")
        if not 0 <= self.min_score <= 1:
            raise ValueError("min_score: from 0 to 1.")
        if self.max_timezone_hours is not None and not 0 <= self.max_timezone_hours <= 26:
            raise ValueError("max_timezone_hours: from 0 to 26.")


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
