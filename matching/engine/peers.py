"""Peer rounds: pairs of peers who help each other, in a general graph (anyone may pair with anyone else).

    result = match_peers(peers, weights=PeerWeights(), options=Options(), excluded=[(3, 7)])

The score of a pair is symmetric: A's wants (skills and goals) against B's offer, as the one-on-one engine scores
a mentee against a mentor, and B's against A's, averaged; plus a language in common. Industry counts as in
one-on-one (the same for both directions). Block terms add up to the score, which lies in 0..1.

Stages: features (one scorer for both sides of everyone), candidates (each peer's `top_k` best, an edge when
either lists the other, searched a chunk of peers at a time so memory stays bounded), pairing (see
matching.engine.pairing) and explanations (both directions of each pair).
"""

import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import numpy as np
import scipy.sparse as sp

from matching.engine.candidates import Rules, pair_rules, top_candidates
from matching.engine.features import Scorer, normalise_tag
from matching.engine.pairing import PeerGraph, count_blocking_pairs, pair_optimal, pair_stable
from matching.engine.peer_explain import explain_pairs, share_language
from matching.engine.progress import Progress, Reporter
from matching.engine.types import MatchResult, Options, Peers, Proposal, Unmatched, Weights

# Candidate edges whose exact scores are computed at once (sparse rows of both ends): bounds that stage's memory.
EDGE_CHUNK = 100_000
# Why a peer is left without a pair (see unmatched()).
NO_CANDIDATE, EXCLUDED, LEFT_OVER = "no_candidate", "excluded", "left_over"
PEER_REASONS = (NO_CANDIDATE, EXCLUDED, LEFT_OVER)


@dataclass
class PreparedPeers:
    peers: Peers  # in id order: index order is id order, which breaks every tie
    options: Options
    scorer: Scorer
    want_blocks: dict[str, sp.csr_matrix]
    offer_blocks: dict[str, sp.csr_matrix]
    asks: sp.csr_matrix  # [wants, offer] / √2: asks[a] · offers[b] is the pair's score before languages
    offers: sp.csr_matrix  # [offer, wants] / √2
    languages: sp.csr_matrix  # one column per language, 1 where spoken
    language_share: float
    rules: Rules
    seconds: dict[str, float] = field(default_factory=dict)


def prepare_peers(
    peers: Peers, *, weights: Weights, options: Options, excluded: Iterable[tuple[int, int]] = ()
) -> PreparedPeers:
    """Features of both sides and the rules: never oneself, never an excluded pair (either order)."""
    clock = time.perf_counter()
    peers = _by_id(peers)
    scorer = Scorer(weights)
    want_blocks, offer_blocks = scorer.fit_blocks(peers.wanting(), peers.offering())
    wants, offer = scorer.stacked(want_blocks), scorer.stacked(offer_blocks)
    half = np.sqrt(0.5)
    known = set(peers.ids)
    pairs = {(a, b) for a, b in excluded if a in known and b in known}
    never = {*pairs, *((b, a) for a, b in pairs), *((i, i) for i in peers.ids)}
    prepared = PreparedPeers(
        peers=peers,
        options=options,
        scorer=scorer,
        want_blocks=want_blocks,
        offer_blocks=offer_blocks,
        asks=(sp.hstack([wants, offer], format="csr") * half).tocsr(),
        offers=(sp.hstack([offer, wants], format="csr") * half).tocsr(),
        languages=_languages(peers),
        language_share=weights.shares().get("language", 0.0),
        rules=pair_rules(peers.wanting(), peers.offering(), sorted(never), options),
    )
    prepared.seconds["features"] = time.perf_counter() - clock
    return prepared


def peer_candidates(prepared: PreparedPeers, progress: Progress | None = None) -> PeerGraph:
    """The candidate graph: an edge when either peer has the other among their `top_k` best, with its exact score
    (the search ranks in float32), at or above `min_score` and above 0."""
    clock = time.perf_counter()
    n = len(prepared.peers)
    found = top_candidates(
        prepared.asks,
        prepared.offers,
        top_k=prepared.options.top_k,
        rules=prepared.rules,
        chunk_elements=prepared.options.chunk_elements,
        progress=progress,
        bonus=_language_bonus(prepared),
    )
    lower, upper = np.minimum(found.mentee, found.mentor), np.maximum(found.mentee, found.mentor)
    keys = np.sort(lower.astype(np.int64) * max(n, 1) + upper)
    keys = keys[np.concatenate([[True], keys[1:] != keys[:-1]])] if len(keys) else keys  # each edge once
    a, b = keys // max(n, 1), keys % max(n, 1)
    score = pair_scores(prepared, a, b)
    keep = (score > 0) & (score >= prepared.options.min_score)
    prepared.seconds["candidates"] = time.perf_counter() - clock
    return PeerGraph(n, a[keep], b[keep], score[keep])


def pair_scores(prepared: PreparedPeers, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Exact scores of the pairs (a[i], b[i]), peers by index."""
    parts = []
    for start in range(0, len(a), EDGE_CHUNK):
        rows_a, rows_b = a[start : start + EDGE_CHUNK], b[start : start + EDGE_CHUNK]
        score = np.asarray(prepared.asks[rows_a].multiply(prepared.offers[rows_b]).sum(axis=1)).ravel()
        parts.append(score + prepared.language_share * share_language(prepared.languages, rows_a, rows_b))
    return np.concatenate(parts) if parts else np.array([], dtype=np.float64)


def match_peers(
    peers: Peers,
    *,
    weights: Weights,
    options: Options,
    excluded: Iterable[tuple[int, int]] = (),
    progress: Progress | None = None,
    method: str = "auto",
) -> MatchResult:
    """Pair peers: each at most once, never with themselves, never an excluded pair (ids, either order), no pair
    below `options.min_score` or against its hard rules; the best total score (`optimal`: exact up to
    EXACT_MAX_PEERS peers, `method` "exact" or "double_cover" to choose) or a stable matching (`stable`).

    Each proposal is a pair with `mentee_id` the lower id (peer "a") and `mentor_id` the higher (peer "b"), as a
    MatchProposal stores it; its explanation holds both directions (see peer_explain.explain_pairs)."""
    report = Reporter(progress)
    prepared = prepare_peers(peers, weights=weights, options=options, excluded=excluded)
    report.stage_done("features")
    graph = peer_candidates(prepared, progress=report.within("candidates"))
    report.stage_done("candidates")

    clock = time.perf_counter()
    pair = pair_stable if options.mode == "stable" else pair_optimal
    pairing = pair(graph, method=method)
    blocking = count_blocking_pairs(graph, pairing.chosen)
    prepared.seconds["assignment"] = time.perf_counter() - clock
    report.stage_done("assignment")

    clock = time.perf_counter()
    a, b = graph.a[pairing.chosen], graph.b[pairing.chosen]
    scores, why = explain_pairs(prepared, a, b)
    ids = prepared.peers.ids
    proposals = [
        Proposal(int(ids[i]), int(ids[j]), float(score), explanation)
        for i, j, score, explanation in zip(a.tolist(), b.tolist(), scores, why, strict=True)
    ]
    prepared.seconds["explain"] = time.perf_counter() - clock
    report.stage_done("explain")

    total = float(np.sum(scores)) if proposals else 0.0
    left_out = unmatched(prepared, graph, pairing.chosen)
    stats = {
        "mode": options.mode,
        "method": pairing.method,
        "peers": len(ids),
        "matched": len(proposals),
        "unmatched": {reason: n for reason in PEER_REASONS if (n := sum(u.reason == reason for u in left_out))},
        "total_score": round(total, 6),
        "mean_score": round(total / len(proposals), 6) if proposals else 0.0,
        # The best total is at most this (the exact method's own total; the double cover's relaxation).
        "optimum_bound": None if pairing.bound is None else round(max(pairing.bound, total), 6),
        "stable": blocking == 0,
        "blocking_pairs": blocking,
        "candidate_pairs": len(graph),
    }
    return MatchResult(proposals=proposals, stats=stats, seconds=dict(prepared.seconds), unmatched=left_out)


def unmatched(prepared: PreparedPeers, graph: PeerGraph, chosen: np.ndarray) -> list[Unmatched]:
    """The peers left without a pair, by id, and why: `no_candidate` (nobody they may be paired with scores above
    0 and `min_score`), `excluded` (only excluded pairs would have), `left_over` (their candidates are paired
    with others: in `optimal` mode leaving them out costs the total the least, as the maximum weight decides;
    with an odd number of peers someone always is)."""
    n = graph.n
    has_candidate = np.bincount(np.concatenate([graph.a, graph.b]), minlength=n) > 0
    paired = np.zeros(n, dtype=bool)
    paired[graph.a[chosen]] = paired[graph.b[chosen]] = True
    lonely = np.flatnonzero(~has_candidate)
    excluded_rows = np.diff(prepared.rules.excluded.indptr) > 1  # more than oneself
    ask_again = lonely[excluded_rows[lonely]]
    would_have = np.zeros(n, dtype=bool)
    if len(ask_again):
        only_self = sp.csr_matrix(
            (np.ones(len(ask_again), dtype=np.int8), (np.arange(len(ask_again)), ask_again)),
            shape=(len(ask_again), n),
        )
        rules = prepared.rules
        sub_rules = replace(
            rules,
            excluded=only_self,
            mentee_industry=None if rules.mentee_industry is None else rules.mentee_industry[ask_again],
            mentee_offset=None if rules.mentee_offset is None else rules.mentee_offset[ask_again],
        )
        found = top_candidates(
            prepared.asks[ask_again],
            prepared.offers,
            top_k=1,
            rules=sub_rules,
            chunk_elements=prepared.options.chunk_elements,
            bonus=_language_bonus(prepared, rows=ask_again),
        )
        would_have[ask_again[np.unique(found.mentee)]] = True
    ids = prepared.peers.ids
    reasons = []
    for i in np.flatnonzero(~paired).tolist():
        reason = LEFT_OVER if has_candidate[i] else EXCLUDED if would_have[i] else NO_CANDIDATE
        reasons.append(Unmatched(int(ids[i]), reason, {"odd_pool": bool(n % 2)} if reason == LEFT_OVER else {}))
    return reasons


def _by_id(peers: Peers) -> Peers:
    order = sorted(range(len(peers)), key=lambda i: peers.ids[i])
    if order == list(range(len(peers))):
        return peers

    def column(values):
        return None if values is None else [values[i] for i in order]

    return Peers(
        ids=column(peers.ids),
        wanted_skills=column(peers.wanted_skills),
        goals_text=column(peers.goals_text),
        skills=column(peers.skills),
        about_text=column(peers.about_text),
        industry=column(peers.industry),
        languages=column(peers.languages),
        utc_offset_hours=column(peers.utc_offset_hours),
    )


def _languages(peers: Peers) -> sp.csr_matrix:
    spoken = [{normalise_tag(x) for x in row if x.strip()} for row in (peers.languages or [[]] * len(peers))]
    index = {name: i for i, name in enumerate(sorted(set().union(*spoken)))}
    rows = [r for r, names in enumerate(spoken) for _ in names]
    cols = [index[name] for names in spoken for name in sorted(names)]
    return sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(peers), len(index)))


def _language_bonus(prepared: PreparedPeers, rows: np.ndarray | None = None):
    if not prepared.language_share or prepared.languages.nnz == 0:
        return None
    languages = prepared.languages
    return (languages if rows is None else languages[rows], languages, prepared.language_share)
