"""Pairs on a peer program's candidate graph (a general graph, not bipartite): each peer in at most one pair.

`exact`: the maximum-weight matching, by Edmonds' blossom algorithm (rustworkx's, in Rust: the same algorithm as
networkx's `max_weight_matching`, which the tests hold it to, some hundred times faster). Its time grows with the
cube of the peers in the worst case: about 1 s at 2,000 peers and 8 s at 5,000 on the benchmark's programs.

`double_cover`, for larger programs: every peer stands on both sides of a bipartite graph (as a mentee and as a
mentor of capacity 1, each edge both ways) and the one-on-one engine's exact min-cost flow solves it. Half of that
optimum is the optimum of the matching's linear relaxation, so it bounds the exact answer from above; its solution
is a pair where both directions were chosen (kept) or a cycle of half pairs. The peers left out of the kept pairs
are then matched exactly with the blossom algorithm: few (under 4 % on the benchmark) and on a sparse graph.

`stable`: Irving's stable roommates on each peer's candidates ranked by score (ties by id). Because a pair's
score is the same for both, every ranking follows one order of the pairs (score, then ids), so a stable matching
always exists here (it is the one found by taking the best pair left, again and again); the fallback for
preferences without one is kept for the general algorithm's sake and reported in the stats.
"""

from dataclasses import dataclass

import numpy as np
import rustworkx

from matching.engine.assignment import assign_optimal
from matching.engine.candidates import Candidates
from matching.engine.roommates import stable_roommates

# The blossom algorithm compares weights as integers: scores become integers in units of 1e-15, exact in a float.
WEIGHT_SCALE = 10**15
# Up to this many peers (with a candidate) the exact algorithm runs; above it, the double cover.
EXACT_MAX_PEERS = 3000
METHODS = ("auto", "exact", "double_cover")


@dataclass(frozen=True)
class PeerGraph:
    """The candidate graph: undirected edges (a[i], b[i]) with a < b, peers by index, each edge once."""

    n: int
    a: np.ndarray
    b: np.ndarray
    score: np.ndarray

    def __len__(self) -> int:
        return len(self.score)

    def order(self) -> np.ndarray:
        """Edges best first: by score, then by the lower index, then the higher one. Every peer's ranking of their
        own candidates follows it (ties by the other's index, which is id order)."""
        return np.lexsort((self.b, self.a, -self.score))

    def preferences(self) -> tuple[np.ndarray, np.ndarray]:
        """Each peer's candidates, best first, as a CSR table (indptr, indices)."""
        rank = np.empty(len(self), dtype=np.int64)
        rank[self.order()] = np.arange(len(self))
        owner = np.concatenate([self.a, self.b])
        other = np.concatenate([self.b, self.a])
        entries = np.lexsort((np.concatenate([rank, rank]), owner))
        indptr = np.concatenate([[0], np.cumsum(np.bincount(owner, minlength=self.n))])
        return indptr, other[entries]


@dataclass(frozen=True)
class Pairing:
    chosen: np.ndarray  # indices of the chosen edges
    method: str
    stable: bool | None = None  # stable mode: whether a stable matching exists
    bound: float | None = None  # an upper bound on the best total, when the method gives one


def pair_optimal(graph: PeerGraph, *, method: str = "auto") -> Pairing:
    if method not in METHODS:
        raise ValueError(f'method: "{method}" is not one of {", ".join(METHODS)}.')
    if method == "auto":
        with_candidates = np.count_nonzero(np.bincount(np.concatenate([graph.a, graph.b]), minlength=graph.n))
        method = "exact" if with_candidates <= EXACT_MAX_PEERS else "double_cover"
    if method == "exact":
        chosen = exact_matching(graph)
        return Pairing(chosen, "exact", bound=float(graph.score[chosen].sum()))
    return double_cover_matching(graph)


def exact_matching(graph: PeerGraph, edges: np.ndarray | None = None) -> np.ndarray:
    """The maximum-weight matching of the graph (or of the given edges only): indices of the chosen edges."""
    edges = np.arange(len(graph)) if edges is None else edges
    if len(edges) == 0:
        return np.array([], dtype=np.int64)
    nodes, local = np.unique(np.concatenate([graph.a[edges], graph.b[edges]]), return_inverse=True)
    u, v = local[: len(edges)], local[len(edges) :]
    solver = rustworkx.PyGraph(multigraph=False)
    solver.add_nodes_from(range(len(nodes)))
    weights = np.rint(graph.score[edges] * WEIGHT_SCALE).astype(np.int64)
    solver.add_edges_from(list(zip(u.tolist(), v.tolist(), weights.tolist(), strict=True)))
    pairs = np.array(sorted(rustworkx.max_weight_matching(solver, weight_fn=int)), dtype=np.int64).reshape(-1, 2)
    # Back to edge indices: the key of an edge is its two ends, lower first (a < b keeps that order locally).
    keys = u * len(nodes) + v
    by_key = np.argsort(keys)
    wanted = pairs.min(axis=1) * len(nodes) + pairs.max(axis=1)
    chosen = by_key[np.searchsorted(keys, wanted, sorter=by_key)]
    return np.sort(edges[np.array(chosen, dtype=np.int64)])


def double_cover_matching(graph: PeerGraph) -> Pairing:
    n, m = graph.n, len(graph)
    both_ways = Candidates(
        np.concatenate([graph.a, graph.b]), np.concatenate([graph.b, graph.a]), np.concatenate([graph.score] * 2)
    )
    halves = np.bincount(assign_optimal(both_ways, np.ones(n, dtype=np.int64), n) % m, minlength=m)
    bound = float(np.dot(halves, graph.score)) / 2 + n * 1e-9  # the solver's costs are rounded to 1e-9
    kept = np.flatnonzero(halves == 2)
    taken = np.zeros(n, dtype=bool)
    taken[graph.a[kept]] = taken[graph.b[kept]] = True
    rest = np.flatnonzero(~taken[graph.a] & ~taken[graph.b])
    if len(np.unique(np.concatenate([graph.a[rest], graph.b[rest]]))) <= EXACT_MAX_PEERS:
        extra = exact_matching(graph, rest)
    else:  # never seen on the benchmark's programs; a greedy pass keeps the time bounded anyway
        extra = greedy_matching(graph, rest)
    return Pairing(np.sort(np.concatenate([kept, extra])), "double_cover", bound=bound)


def greedy_matching(graph: PeerGraph, edges: np.ndarray | None = None) -> np.ndarray:
    """The best pair left, again and again (in `order()`)."""
    order = graph.order()
    if edges is not None:
        allowed = np.zeros(len(graph), dtype=bool)
        allowed[edges] = True
        order = order[allowed[order]]
    taken = np.zeros(graph.n, dtype=bool)
    chosen = []
    for edge, a, b in zip(order.tolist(), graph.a[order].tolist(), graph.b[order].tolist(), strict=True):
        if not taken[a] and not taken[b]:
            taken[a] = taken[b] = True
            chosen.append(edge)
    return np.sort(np.array(chosen, dtype=np.int64))


def pair_stable(graph: PeerGraph, *, method: str = "auto") -> Pairing:
    indptr, indices = graph.preferences()
    partner = stable_roommates(indptr, indices)
    if partner is None:
        fallback = pair_optimal(graph, method=method)
        return Pairing(fallback.chosen, fallback.method, stable=False, bound=fallback.bound)
    return Pairing(edges_of(graph, partner), "stable_roommates", stable=True)


def edges_of(graph: PeerGraph, partner: np.ndarray) -> np.ndarray:
    """The edges of a matching given as each peer's partner (-1: none)."""
    return np.flatnonzero(partner[graph.a] == graph.b)


def partners(graph: PeerGraph, chosen: np.ndarray) -> np.ndarray:
    partner = np.full(graph.n, -1, dtype=np.int64)
    partner[graph.a[chosen]] = graph.b[chosen]
    partner[graph.b[chosen]] = graph.a[chosen]
    return partner


def count_blocking_pairs(graph: PeerGraph, chosen: np.ndarray) -> int:
    """Candidate pairs who would both rather be together than with whom they got (or alone). Every peer ranks
    their candidates in the graph's one order of edges, so a peer prefers an edge to their pair's exactly when it
    comes first: roommates.blocking_pairs on `preferences()` counts the same, at several times the cost."""
    position = np.empty(len(graph), dtype=np.int64)
    position[graph.order()] = np.arange(len(graph))
    held = np.full(graph.n, len(graph), dtype=np.int64)  # alone: any candidate comes first
    held[graph.a[chosen]] = held[graph.b[chosen]] = position[chosen]
    return int(np.count_nonzero((position < held[graph.a]) & (position < held[graph.b])))
