"""Group rounds: each mentor leads one circle, and a circle smaller than the round's minimum is not proposed.

`x_j = 0 or existing_j + x_j >= minimum` for every mentor j (x_j: the members proposed to their circle) makes the
assignment a semi-continuous, lower-bounded problem, NP-hard in general like facility location with minimum
loads. It is solved by closing circles, then improving:

1. A circle whose room cannot reach the minimum is closed at once.
2. Assign on the candidate graph with the open circles' room. `optimal` fills the circles' minimums first (a
   min-cost flow with a bonus on each circle's first `need_j` slots), then maximises the score; `stable` takes
   pairs by descending score as always (filling a circle by force would make pairs who would rather swap).
3. Circles that got some members but fewer than they need: close the weaker half of them (at least one; the
   lowest fill, then the lowest total score, then the lowest index: deterministic). Their mentees go back to the
   pool and to other circles where they fit on the next pass. Repeat from 2 until no circle is under the minimum.
4. `optimal` only: try closing one open circle, or opening one closed circle, and keep the first change that
   raises the total score, within IMPROVE_PASSES more assignments.

Each pass of 3 closes at least one circle: at most (mentors with candidates + 1) passes, in practice a few
(halving the circles under the minimum). A pass costs one assignment on the candidate graph (E edges, M mentors):
a min-cost flow for `optimal`, a sort for `stable`. With a minimum of 1 no circle is ever under it and the round
needs no pass of 3 or 4 (the plain assignment, as in one-on-one rounds).

How close: on 300 random small programs (10 mentees, 5 circles with room 2 to 5, some members already, minimum 3),
against the exact optimum (every set of open circles enumerated, tests/matching/test_engine_circles.py): equal on
84%, 0.991 of it on average, 0.83 at worst.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from matching.engine.assignment import assign_optimal, assign_stable
from matching.engine.candidates import Candidates
from matching.engine.features import normalise_tag

COMMON_WANTS = 3  # the skills a member shares with others of the circle, named in their explanation
IMPROVE_PASSES = 24  # assignments spent on step 4: enough for a program of tens of circles, bounded for large ones


@dataclass(frozen=True)
class CircleAssignment:
    chosen: np.ndarray  # indices into the candidates, as the plain assignment's
    room: np.ndarray  # each mentor's room once closed circles have none
    closed: int  # circles that had candidates but were closed: below the minimum
    passes: int  # assignments run


def assign_circles(
    candidates: Candidates,
    capacities: Sequence[int],
    n_mentees: int,
    *,
    existing: Sequence[int],
    minimum: int,
    mode: str,
) -> CircleAssignment:
    """Assign in `mode`, no circle (its `existing` members plus those proposed) below `minimum` (see above)."""
    capacities = np.asarray(capacities, dtype=np.int64)
    existing = np.asarray(existing, dtype=np.int64)
    need = minimum - existing  # members a circle must be proposed to be kept: a need of 1 holds whatever happens
    solver = _Solver(candidates, n_mentees, need=np.where(need > 1, need, 0), mode=mode)
    room = np.where(capacities >= solver.need, capacities, 0)
    while True:
        chosen = solver.solve(room)
        counts = solver.counts(chosen)
        under = np.flatnonzero((counts > 0) & (counts < solver.need))
        if not len(under):
            break
        fill = (existing[under] + counts[under]) / minimum
        weakest = under[np.lexsort((under, solver.totals(chosen)[under], fill))]
        room[weakest[: max(1, len(under) // 2)]] = 0

    with_candidates = np.bincount(candidates.mentor, minlength=len(room)) > 0
    may_open = with_candidates & (capacities > 0) & (capacities >= solver.need)
    if mode == "optimal":
        room, chosen = _improve(solver, room, chosen, capacities, may_open)
    closed = int(np.count_nonzero(with_candidates & (capacities > 0) & (room == 0)))
    return CircleAssignment(chosen=chosen, room=room, closed=closed, passes=solver.passes)


class _Solver:
    """The round's assignment with given room, counting the passes."""

    def __init__(self, candidates: Candidates, n_mentees: int, *, need: np.ndarray, mode: str):
        self.candidates, self.n_mentees, self.need, self.mode = candidates, n_mentees, need, mode
        self.passes = 0

    def solve(self, room: np.ndarray) -> np.ndarray:
        self.passes += 1
        if self.mode == "optimal":
            loads = np.where(room > 0, self.need, 0)
            return assign_optimal(self.candidates, room, self.n_mentees, minimum_loads=loads if loads.any() else None)
        return assign_stable(self.candidates, room, self.n_mentees)

    def counts(self, chosen: np.ndarray) -> np.ndarray:
        return np.bincount(self.candidates.mentor[chosen], minlength=len(self.need))

    def totals(self, chosen: np.ndarray) -> np.ndarray:
        c = self.candidates
        return np.bincount(c.mentor[chosen], weights=c.score[chosen].astype(np.float64), minlength=len(self.need))

    def feasible(self, chosen: np.ndarray) -> bool:
        counts = self.counts(chosen)
        return not ((counts > 0) & (counts < self.need)).any()


def _improve(
    solver: _Solver, room: np.ndarray, chosen: np.ndarray, capacities: np.ndarray, may_open: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Step 4: first-improvement moves (close one open circle that needs members, weakest first; or open one
    closed circle that could reach the minimum) until none raises the total or IMPROVE_PASSES are spent."""
    best = float(solver.totals(chosen).sum())
    budget = solver.passes + IMPROVE_PASSES
    improved = True
    while improved:
        improved = False
        counts, totals = solver.counts(chosen), solver.totals(chosen)
        open_ones = np.flatnonzero((room > 0) & (solver.need > 0) & (counts > 0))
        open_ones = open_ones[np.lexsort((open_ones, totals[open_ones]))]
        closed_ones = np.flatnonzero((room == 0) & may_open)
        for mentor in [*open_ones.tolist(), *closed_ones.tolist()]:
            if solver.passes >= budget:
                return room, chosen
            trial = room.copy()
            trial[mentor] = 0 if room[mentor] > 0 else capacities[mentor]
            tried = solver.solve(trial)
            score = float(solver.totals(tried).sum())
            if solver.feasible(tried) and score > best + 1e-9:
                best, room, chosen, improved = score, trial, tried, True
                break
    return room, chosen


def circle_explanations(
    mentee_skills: Sequence[Sequence[str]],
    mentee_index: np.ndarray,
    mentor_index: np.ndarray,
    existing: np.ndarray,
) -> list[dict]:
    """Why each proposed member (mentee_index[i]) is in their circle (mentor_index[i]) besides what they share
    with the mentor: the circle's size and the wants they have in common with the others proposed to it."""
    members: dict[int, list[int]] = {}
    for a, b in zip(mentee_index.tolist(), mentor_index.tolist(), strict=True):
        members.setdefault(b, []).append(a)
    wants = {a: _wants(mentee_skills[a]) for a in mentee_index.tolist()}
    wanted_in = {b: Counter(key for a in people for key in wants[a]) for b, people in members.items()}
    result = []
    for a, b in zip(mentee_index.tolist(), mentor_index.tolist(), strict=True):
        already = int(existing[b])
        common = [
            {"skill": name, "others": wanted_in[b][key] - 1} for key, name in wants[a].items() if wanted_in[b][key] > 1
        ]
        common.sort(key=lambda c: (-c["others"], c["skill"].casefold()))
        circle = {"size": already + len(members[b]), "already": already, "common_wants": common[:COMMON_WANTS]}
        circle["summary"] = circle_summary(circle)
        result.append(circle)
    return result


def circle_summary(circle: dict) -> str:
    """The circle in words: "A circle of 4 (1 already in it); 2 others want Python."."""
    size, already = circle["size"], circle["already"]
    words = f"A circle of {size}" + (f" ({already} already in it)" if already else "")
    if circle["common_wants"]:
        top = circle["common_wants"][0]
        others = f"{top['others']} other{'s' if top['others'] != 1 else ''}"
        words += f"; {others} {'want' if top['others'] != 1 else 'wants'} {top['skill']} too"
    return words + "."


def _wants(skills: Sequence[str]) -> dict[str, str]:
    """A person's wanted skills by normalised name, each as they spell it (first spelling kept)."""
    wants: dict[str, str] = {}
    for name in skills:
        wants.setdefault(normalise_tag(name), name)
    return wants
