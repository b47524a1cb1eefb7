"""Stable roommates: Irving's algorithm (1985) with incomplete preference lists, and a count of blocking pairs.

Preferences are given as a CSR table: person i ranks `indices[indptr[i]:indptr[i + 1]]`, best first, and
acceptability is mutual (j is on i's list exactly when i is on j's). A pair is deleted by truncating a list: an
entry is alive while it lies before its own list's `tail` and its mirror entry before the other list's `tail`, so
a deletion touches one number and both sides see it.

Phase 1: everyone proposes down their list; whoever receives a proposal holds it and deletes everyone they like
less. Phase 2: while someone has two or more left, find a rotation (x_i's second choice y_i+1 holds x_i+1: x_i
moves to y_i+1) and eliminate it. A list that runs empty in phase 2 means no stable matching exists (Gusfield and
Irving, "The Stable Marriage Problem", 1989, §4.2 and §4.5.2 for incomplete lists).
"""

import numpy as np


def mirror_entries(indptr: np.ndarray, indices: np.ndarray) -> np.ndarray:
    """For each entry (i ranks j), the index of the entry (j ranks i)."""
    owner = np.repeat(np.arange(len(indptr) - 1), np.diff(indptr))
    forward = np.lexsort((indices, owner))  # entries by (owner, other)
    backward = np.lexsort((owner, indices))  # entries by (other, owner): the mirrors, in the same order
    if not (np.array_equal(owner[forward], indices[backward]) and np.array_equal(indices[forward], owner[backward])):
        raise ValueError("Preferences must be mutual: j on i's list exactly when i is on j's.")
    mirror = np.empty(len(indices), dtype=np.int64)
    mirror[forward] = backward
    return mirror


def stable_roommates(indptr: np.ndarray, indices: np.ndarray) -> np.ndarray | None:
    """Each person's partner in a stable matching (-1: unmatched, as in every stable matching), or None when no
    stable matching exists."""
    n = len(indptr) - 1
    mirror = mirror_entries(indptr, indices).tolist()
    other = indices.tolist()
    start = indptr[:-1].tolist()
    head = list(start)  # first entry that may be alive (everything before it is deleted)
    tail = indptr[1:].tolist()  # entries from tail on are deleted

    def first(person: int) -> int | None:
        entry = head[person]
        while entry < tail[person] and not mirror[entry] < tail[other[entry]]:
            entry += 1
        head[person] = entry
        return entry if entry < tail[person] else None

    def second(person: int) -> int | None:
        entry = first(person)
        if entry is None:
            return None
        entry += 1
        while entry < tail[person] and not mirror[entry] < tail[other[entry]]:
            entry += 1
        return entry if entry < tail[person] else None

    def last(person: int) -> int | None:
        entry = tail[person] - 1
        while entry >= head[person] and not mirror[entry] < tail[other[entry]]:
            entry -= 1
        tail[person] = entry + 1  # the entries passed were deleted already: the list is unchanged
        return entry if entry >= head[person] else None

    def hold(entry: int) -> None:
        """other[entry] holds the proposal of entry's owner: everyone they like less is deleted."""
        tail[other[entry]] = mirror[entry] + 1

    # Phase 1: proposals. A proposal always lands on someone who likes the proposer better than whoever they
    # hold (the one they hold is their last alive entry), so the one held before is freed.
    free = list(range(n - 1, -1, -1))
    held_by = [-1] * n  # held_by[y]: whose proposal y holds
    while free:
        proposer = free.pop()
        entry = first(proposer)
        if entry is None:
            continue  # nobody left who would have them: unmatched in every stable matching
        receiver = other[entry]
        freed = held_by[receiver]
        hold(entry)
        held_by[receiver] = proposer
        if freed >= 0:
            free.append(freed)

    # Phase 2: rotations. The path of people followed is kept after an elimination (its prefix stays valid);
    # each rotation is checked before it is eliminated, and the path restarts if one ever is not.
    path: list[int] = []
    on_path: dict[int, int] = {}
    scan = 0
    while True:
        if not path:
            while scan < n and second(scan) is None:
                scan += 1
            if scan == n:
                break
            path, on_path = [scan], {scan: 0}
        person = path[-1]
        entry = second(person)
        if entry is None:
            on_path.pop(path.pop())
            continue
        following = other[last(other[entry])]  # not empty: the second choice still has `person` on their list
        if following not in on_path:
            on_path[following] = len(path)
            path.append(following)
            continue
        cut = on_path[following]
        rotation = path[cut:]
        for person in path[cut:]:
            del on_path[person]
        del path[cut:]
        if not _is_rotation(rotation, second, last, other):
            path, on_path = [], {}
            continue
        seconds = [second(x) for x in rotation]
        for entry in seconds:
            hold(entry)  # each x's second choice now holds x, deleting whoever they held (the next x)
        for x in rotation:
            if first(x) is None:
                return None
        for entry in seconds:
            if first(other[entry]) is None:
                return None

    partner = np.full(n, -1, dtype=np.int64)
    for person in range(n):
        entry = first(person)
        if entry is not None:
            partner[person] = other[entry]
    matched = partner >= 0
    if np.any(partner[partner[matched]] != np.flatnonzero(matched)):
        return None  # an odd one left with a list that is not returned: no stable matching
    return partner


def _is_rotation(rotation, second, last, other) -> bool:
    for i, x in enumerate(rotation):
        entry = second(x)
        if entry is None:
            return False
        back = last(other[entry])
        if back is None or other[back] != rotation[(i + 1) % len(rotation)]:
            return False
    return True


def blocking_pairs(indptr: np.ndarray, indices: np.ndarray, partner: np.ndarray) -> int:
    """Pairs who would both rather be with each other than with their partner (or alone)."""
    n = len(indptr) - 1
    owner = np.repeat(np.arange(n), np.diff(indptr))
    position = np.arange(len(indices)) - indptr[owner]
    partner_position = np.full(n, np.iinfo(np.int64).max)
    is_partner = indices == partner[owner]
    partner_position[owner[is_partner]] = position[is_partner]
    wants = position < partner_position[owner]
    return int(np.count_nonzero(wants & wants[mirror_entries(indptr, indices)]) // 2)
