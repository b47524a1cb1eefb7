"""The peer engine's properties, on programs generated from a seed: no database involved. networkx's blossom
(`max_weight_matching`) is the oracle for the exact pairing, brute force for stable roommates."""

import itertools

import networkx as nx
import numpy as np
import pytest

from matching.engine import Options, Peers, PeerWeights, Weights, describe_pair, match_peers
from matching.engine.pairing import (
    PeerGraph,
    count_blocking_pairs,
    double_cover_matching,
    exact_matching,
    greedy_matching,
    pair_optimal,
    partners,
)
from matching.engine.peers import peer_candidates, prepare_peers
from matching.engine.roommates import blocking_pairs, stable_roommates

SKILLS = ["Python", "SQL", "Leadership", "Negotiation", "Public speaking", "Design", "Finance", "Marketing", "Sales"]
INDUSTRIES = ["Healthcare", "Retail", "Education", "Energy"]
LANGUAGES = ["English", "Spanish", "French", "German"]
WORDS = [
    *("lead", "team", "data", "pipeline", "product", "launch", "career"),
    *("growth", "startup", "fundraising", "design", "research", "sales"),
]


def program(seed: int, n: int, *, first_id: int = 1) -> Peers:
    rng = np.random.default_rng(seed)

    def skills():
        return [str(s) for s in rng.choice(SKILLS, size=rng.integers(0, 4), replace=False)]

    def text():
        return " ".join(rng.choice(WORDS, size=rng.integers(0, 6)))

    return Peers(
        ids=list(range(first_id, first_id + n)),
        wanted_skills=[skills() for _ in range(n)],
        goals_text=[text() for _ in range(n)],
        skills=[skills() for _ in range(n)],
        about_text=[text() for _ in range(n)],
        industry=[rng.choice([*INDUSTRIES, None]) for _ in range(n)],
        languages=[[str(x) for x in rng.choice(LANGUAGES, size=rng.integers(0, 3), replace=False)] for _ in range(n)],
        utc_offset_hours=[float(rng.integers(-8, 10)) for _ in range(n)],
    )


def random_exclusions(seed: int, peers: Peers, count: int) -> list[tuple[int, int]]:
    rng = np.random.default_rng(seed + 1000)
    ids = list(peers.ids)
    return [tuple(int(x) for x in rng.choice(ids, size=2, replace=False)) for _ in range(count)]


def candidate_graph(peers, *, weights=None, options=None, excluded=()):
    prepared = prepare_peers(peers, weights=weights or PeerWeights(), options=options or Options(), excluded=excluded)
    return prepared, peer_candidates(prepared)


def networkx_optimum(graph: PeerGraph) -> float:
    oracle = nx.Graph()
    oracle.add_weighted_edges_from(zip(graph.a.tolist(), graph.b.tolist(), graph.score.tolist(), strict=True))
    return sum(oracle[u][v]["weight"] for u, v in nx.max_weight_matching(oracle))


def check_pairs(result, peers: Peers, excluded=()):
    seen = [i for p in result.proposals for i in (p.mentee_id, p.mentor_id)]
    assert len(seen) == len(set(seen)), "a peer paired twice"
    assert all(p.mentee_id < p.mentor_id for p in result.proposals), "a peer with themselves, or the ids unordered"
    never = {frozenset(pair) for pair in excluded}
    assert not never & {frozenset((p.mentee_id, p.mentor_id)) for p in result.proposals}, "an excluded pair"
    unmatched = {row.mentee_id for row in result.unmatched}
    assert unmatched == set(peers.ids) - set(seen)
    assert sum(result.stats["unmatched"].values()) == len(unmatched)
    assert result.stats["matched"] == len(result.proposals)


# --- optimal: the blossom algorithm's total, on every program -------------------------------------------------


@pytest.mark.parametrize("seed", range(40))
def test_optimal_equals_networkx_blossom_on_the_same_candidate_graph(seed):
    rng = np.random.default_rng(seed)
    peers = program(seed, n=int(rng.integers(2, 70)))  # odd and even counts
    excluded = random_exclusions(seed, peers, count=int(rng.integers(0, 15)))
    options = Options(top_k=int(rng.integers(2, 12)), min_score=float(rng.choice([0.0, 0.1, 0.25])))

    result = match_peers(peers, weights=PeerWeights(), options=options, excluded=excluded)

    check_pairs(result, peers, excluded)
    _, graph = candidate_graph(peers, options=options, excluded=excluded)
    assert sum(p.score for p in result.proposals) == pytest.approx(networkx_optimum(graph), abs=1e-9)
    assert result.stats["method"] == "exact"


@pytest.mark.parametrize("seed", range(3))
def test_optimal_equals_networkx_blossom_on_medium_programs(seed):
    peers = program(100 + seed, n=241 + seed)
    excluded = random_exclusions(seed, peers, count=80)
    options = Options(top_k=6)

    result = match_peers(peers, weights=PeerWeights(), options=options, excluded=excluded)

    check_pairs(result, peers, excluded)
    _, graph = candidate_graph(peers, options=options, excluded=excluded)
    assert sum(p.score for p in result.proposals) == pytest.approx(networkx_optimum(graph), abs=1e-9)


def random_graph(seed: int, n: int, degree: int) -> PeerGraph:
    """A sparse graph with clustered weights, as candidate graphs have: neighbours in a ring score higher."""
    rng = np.random.default_rng(seed)
    a = np.repeat(np.arange(n), degree)
    b = (a + rng.integers(1, n // 10, size=len(a))) % n
    lower, upper = np.minimum(a, b), np.maximum(a, b)
    keys = np.unique(lower * n + upper)
    lower, upper = keys // n, keys % n
    score = rng.beta(2, 5, size=len(keys))
    return PeerGraph(n, lower, upper, score)


@pytest.mark.parametrize(("seed", "n"), [(1, 2000), (2, 2501)])
def test_the_double_cover_is_within_one_percent_of_the_exact_optimum(seed, n):
    graph = random_graph(seed, n, degree=8)

    exact = graph.score[exact_matching(graph)].sum()
    fast = double_cover_matching(graph)

    assert fast.method == "double_cover"
    assert len(np.unique(np.concatenate([graph.a[fast.chosen], graph.b[fast.chosen]]))) == 2 * len(fast.chosen)
    assert graph.score[fast.chosen].sum() >= 0.99 * exact
    assert fast.bound >= exact - 1e-9  # the relaxation bounds the optimum from above


def test_a_program_too_large_for_the_exact_method_gets_the_double_cover_and_says_so(monkeypatch):
    from matching.engine import pairing

    peers = program(3, n=120)
    exact = match_peers(peers, weights=PeerWeights(), options=Options(top_k=5))
    monkeypatch.setattr(pairing, "EXACT_MAX_PEERS", 50)

    fast = match_peers(peers, weights=PeerWeights(), options=Options(top_k=5))

    assert fast.stats["method"] == "double_cover"
    check_pairs(fast, peers)
    assert exact.stats["total_score"] >= fast.stats["total_score"] >= 0.99 * exact.stats["total_score"]
    assert fast.stats["optimum_bound"] >= exact.stats["total_score"]


def test_greedy_takes_the_best_pair_left_and_the_exact_matching_beats_it():
    graph = PeerGraph(4, np.array([0, 0, 1, 2]), np.array([1, 2, 2, 3]), np.array([0.5, 0.6, 0.9, 0.8]))

    assert greedy_matching(graph).tolist() == [2]  # 1–2 first, and nothing is left
    assert exact_matching(graph).tolist() == [0, 3]  # 0–1 and 2–3: 1.3


# --- stable roommates ---------------------------------------------------------------------------------------


def table(preferences: list[list[int]]):
    indptr = np.cumsum([0, *(len(p) for p in preferences)])
    return indptr, np.array([j for p in preferences for j in p], dtype=np.int64)


def every_matching(n: int, acceptable: set[tuple[int, int]]):
    def extend(i, partner):
        if i == n:
            yield np.array(partner)
            return
        yield from extend(i + 1, partner)
        if partner[i] != -1:
            return
        for j in range(i + 1, n):
            if partner[j] == -1 and (i, j) in acceptable:
                partner[i], partner[j] = j, i
                yield from extend(i + 1, partner)
                partner[i] = partner[j] = -1

    yield from extend(0, [-1] * n)


def test_a_textbook_instance_without_a_stable_matching():
    # 0, 1 and 2 each like the next one best (0 → 1 → 2 → 0), and all like 3 least: whoever gets 3 breaks up
    # a pair for the one who likes them best.
    preferences = [[1, 2, 3], [2, 0, 3], [0, 1, 3], [0, 1, 2]]
    indptr, indices = table(preferences)

    assert stable_roommates(indptr, indices) is None
    assert all(blocking_pairs(indptr, indices, m) > 0 for m in every_matching(4, {(0, 1), (0, 2), (1, 2), (0, 3),
                                                                                  (1, 3), (2, 3)}))  # fmt: skip


def test_a_textbook_instance_that_needs_rotations_and_has_a_stable_matching():
    # Six people whose first proposals leave lists of two or more: phase 2 eliminates rotations.
    preferences = [
        [3, 5, 1, 4, 2],
        [5, 2, 4, 0, 3],
        [3, 0, 1, 5, 4],
        [1, 4, 2, 0, 5],
        [2, 1, 3, 0, 5],
        [4, 0, 3, 2, 1],
    ]
    indptr, indices = table(preferences)

    partner = stable_roommates(indptr, indices)

    assert partner is not None
    assert blocking_pairs(indptr, indices, partner) == 0
    assert all(partner[partner[i]] == i for i in range(6))
    stable = [m for m in every_matching(6, {(i, j) for i in range(6) for j in range(i + 1, 6)})
              if blocking_pairs(indptr, indices, m) == 0]  # fmt: skip
    assert len(stable) == 2  # so phase 1 alone cannot settle it: its table still holds both
    assert any(np.array_equal(partner, m) for m in stable)


@pytest.mark.parametrize("seed", range(4))
def test_irving_finds_a_stable_matching_exactly_when_brute_force_does(seed):
    rng = np.random.default_rng(seed)
    for _ in range(80):
        n = int(rng.integers(1, 8))
        acceptable = {(i, j) for i in range(n) for j in range(i + 1, n) if rng.random() < 0.8}
        preferences = [list(rng.permutation([j for j in range(n) if (min(i, j), max(i, j)) in acceptable]))
                       for i in range(n)]  # fmt: skip
        indptr, indices = table(preferences)

        partner = stable_roommates(indptr, indices)

        exists = any(blocking_pairs(indptr, indices, m) == 0 for m in every_matching(n, acceptable))
        assert (partner is not None) == exists, preferences
        if partner is not None:
            assert blocking_pairs(indptr, indices, partner) == 0


@pytest.mark.parametrize("seed", range(12))
def test_stable_mode_leaves_no_pair_who_would_rather_be_together(seed):
    peers = program(200 + seed, n=25 + seed)
    options = Options(mode="stable", top_k=6)

    result = match_peers(peers, weights=PeerWeights(), options=options)

    check_pairs(result, peers)
    assert result.stats["stable"] is True
    assert result.stats["blocking_pairs"] == 0
    # By brute force over every candidate pair: neither would rather stay with whom they got (or alone).
    _, graph = candidate_graph(peers, options=options)
    has = {}
    for p in result.proposals:
        has[p.mentee_id] = has[p.mentor_id] = p.score
    for a, b, score in zip(graph.a, graph.b, graph.score, strict=True):
        assert not (score > has.get(peers.ids[a], -1) + 1e-12 and score > has.get(peers.ids[b], -1) + 1e-12)
    # Shared scores rank every pair in one order, so the stable matching is the greedy one.
    assert sorted(graph.score[greedy_matching(graph)]) == pytest.approx(sorted(p.score for p in result.proposals))


def test_optimal_mode_counts_the_pairs_who_would_rather_swap():
    # 1 and 2 fit each other best (1.0), but 1–3 and 2–4 (0.71 each) total more, and 3 and 4 share nothing.
    peers = Peers(
        ids=[1, 2, 3, 4],
        wanted_skills=[["X", "Y"], ["X", "Y"], ["X"], ["Y"]],
        goals_text=[""] * 4,
        skills=[["X", "Y"], ["X", "Y"], ["X"], ["Y"]],
        about_text=[""] * 4,
        industry=[None] * 4,
    )
    weights = PeerWeights(industry=0, goals=0, language=0)

    optimal = match_peers(peers, weights=weights, options=Options())
    stable = match_peers(peers, weights=weights, options=Options(mode="stable"))

    assert optimal.stats["total_score"] == pytest.approx(2 / np.sqrt(2), abs=1e-6)
    assert optimal.stats["blocking_pairs"] == 1 and optimal.stats["stable"] is False
    assert [(p.mentee_id, p.mentor_id) for p in stable.proposals] == [(1, 2)]
    assert stable.stats["blocking_pairs"] == 0 and stable.stats["stable"] is True
    assert [(u.mentee_id, u.reason) for u in stable.unmatched] == [(3, "left_over"), (4, "left_over")]
    assert stable.stats["unmatched"] == {"left_over": 2}


# --- scores and explanations --------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(6))
def test_explanations_go_both_ways_and_add_up_to_the_score(seed):
    peers = program(300 + seed, n=40)
    by_id = {pid: i for i, pid in enumerate(peers.ids)}

    result = match_peers(peers, weights=PeerWeights(skills=2, industry=1, goals=1, language=1), options=Options())

    assert result.proposals
    for p in result.proposals:
        why = p.explanation
        a, b = by_id[why["a"]], by_id[why["b"]]
        assert (why["a"], why["b"]) == (p.mentee_id, p.mentor_id)
        assert sum(why["blocks"].values()) == pytest.approx(p.score, abs=1e-12)
        assert 0 < p.score <= 1 + 1e-12
        for name in ("skills", "goals", "industry"):
            both = (why["a_helps_b"]["blocks"][name] + why["b_helps_a"]["blocks"][name]) / 2
            assert why["blocks"][name] == pytest.approx(both, abs=1e-12)
        assert why["a_helps_b"]["shared_skills"] == sorted(set(peers.skills[a]) & set(peers.wanted_skills[b]),
                                                           key=str.casefold)  # fmt: skip
        assert why["b_helps_a"]["shared_skills"] == sorted(set(peers.skills[b]) & set(peers.wanted_skills[a]),
                                                           key=str.casefold)  # fmt: skip


def test_a_pair_scores_and_reads_the_same_from_either_side():
    peers = program(7, n=30)
    mirrored = Peers(  # the same people, their ids in the opposite order: every pair's a and b swap
        ids=[1000 - i for i in peers.ids],
        wanted_skills=peers.wanted_skills,
        goals_text=peers.goals_text,
        skills=peers.skills,
        about_text=peers.about_text,
        industry=peers.industry,
        languages=peers.languages,
        utc_offset_hours=peers.utc_offset_hours,
    )

    first = match_peers(peers, weights=PeerWeights(), options=Options(top_k=29))
    second = match_peers(mirrored, weights=PeerWeights(), options=Options(top_k=29))

    assert first.stats["total_score"] == pytest.approx(second.stats["total_score"], abs=1e-9)
    swapped = {(1000 - p.mentor_id, 1000 - p.mentee_id): p for p in second.proposals}
    for p in first.proposals:
        if (p.mentee_id, p.mentor_id) in swapped:
            other = swapped[(p.mentee_id, p.mentor_id)]
            assert other.score == pytest.approx(p.score, abs=1e-12)
            for this_way, other_way in (("a_helps_b", "b_helps_a"), ("b_helps_a", "a_helps_b")):
                mine, theirs = p.explanation[this_way], other.explanation[other_way]
                assert mine["shared_skills"] == theirs["shared_skills"]
                assert mine["shared_goal_words"] == theirs["shared_goal_words"]
                assert mine["blocks"] == pytest.approx(theirs["blocks"], abs=1e-12)
            assert other.explanation["blocks"] == pytest.approx(p.explanation["blocks"], abs=1e-12)


def test_the_explanation_names_what_each_can_help_the_other_with():
    peers = Peers(
        ids=[5, 9],
        wanted_skills=[["Design"], ["python", "SQL"]],
        goals_text=["launch a product", "lead a data team"],
        skills=[["Python", "Finance"], ["Design"]],
        about_text=["I built data teams", "Product designer"],
        industry=["Healthcare", "healthcare"],
        languages=[["English", "French"], ["french"]],
    )

    (pair,) = match_peers(peers, weights=PeerWeights(), options=Options()).proposals

    why = pair.explanation
    assert why["a_helps_b"]["shared_skills"] == ["Python"]
    assert why["b_helps_a"]["shared_skills"] == ["Design"]
    assert why["industry"] == "healthcare"
    assert why["shared_languages"] == ["French"]
    assert why["blocks"]["language"] == pytest.approx(PeerWeights().shares()["language"])
    assert describe_pair(why, "Ana", "Ben") == "Ana can help Ben with Python; Ben can help Ana with Design."


def test_one_language_in_common_is_enough():
    def pair(languages):
        peers = Peers(ids=[1, 2], wanted_skills=[["A"], ["B"]], goals_text=["", ""], skills=[["B"], ["A"]],
                      about_text=["", ""], industry=[None, None], languages=languages)  # fmt: skip
        return match_peers(peers, weights=PeerWeights(), options=Options()).proposals[0].score

    share = PeerWeights().shares()["language"]
    assert pair([["English"], ["English"]]) == pytest.approx(pair([["English", "German", "Greek"], ["english"]]))
    assert pair([["English"], ["English"]]) - pair([["English"], ["Spanish"]]) == pytest.approx(share)
    assert pair(None) == pytest.approx(pair([["English"], ["Spanish"]]))


# --- rules, leftovers, determinism --------------------------------------------------------------------------


def test_min_score_and_exclusions_in_either_order_are_kept():
    peers = program(11, n=60)
    first = match_peers(peers, weights=PeerWeights(), options=Options())
    excluded = [(p.mentor_id, p.mentee_id) if i % 2 else (p.mentee_id, p.mentor_id)
                for i, p in enumerate(first.proposals)]  # fmt: skip

    again = match_peers(peers, weights=PeerWeights(), options=Options(min_score=0.3), excluded=excluded)

    check_pairs(again, peers, excluded)
    assert all(p.score >= 0.3 for p in again.proposals)


def test_the_unmatched_are_listed_with_why():
    # 1–2 and 3–4 fit; 5 fits only 1, an excluded pair; 6 shares nothing with anyone; 7 fits 3 and 4, who fit
    # each other better: someone is left over.
    peers = Peers(
        ids=[1, 2, 3, 4, 5, 6, 7],
        wanted_skills=[["A"], ["A"], ["B"], ["B"], ["A"], ["Z"], ["B"]],
        goals_text=[""] * 7,
        skills=[["A"], ["A"], ["B"], ["B"], ["A"], [], ["C"]],
        about_text=[""] * 7,
        industry=[None] * 7,
    )
    weights = PeerWeights(industry=0, goals=0, language=0)

    result = match_peers(peers, weights=weights, options=Options(), excluded=[(5, 1), (2, 5)])

    assert {(p.mentee_id, p.mentor_id) for p in result.proposals} == {(1, 2), (3, 4)}
    reasons = [(u.mentee_id, u.reason) for u in result.unmatched]
    assert reasons == [(5, "excluded"), (6, "no_candidate"), (7, "left_over")]
    assert result.unmatched[2].details == {"odd_pool": True}
    assert result.stats["unmatched"] == {"no_candidate": 1, "excluded": 1, "left_over": 1}


def test_hard_rules_same_industry_and_time_zone_gap():
    peers = program(5, n=80)
    industry = dict(zip(peers.ids, peers.industry, strict=True))
    offset = dict(zip(peers.ids, peers.utc_offset_hours, strict=True))

    result = match_peers(peers, weights=PeerWeights(), options=Options(same_industry=True, max_timezone_hours=3))

    assert result.proposals
    for p in result.proposals:
        assert industry[p.mentee_id] is not None and industry[p.mentee_id] == industry[p.mentor_id]
        assert abs(offset[p.mentee_id] - offset[p.mentor_id]) <= 3


@pytest.mark.parametrize("mode", ["optimal", "stable"])
def test_the_same_peers_in_any_order_give_the_same_pairs(mode):
    peers = program(13, n=150)
    order = np.random.default_rng(0).permutation(150)
    shuffled = Peers(**{name: None if getattr(peers, name) is None else [getattr(peers, name)[i] for i in order]
                        for name in ("ids", "wanted_skills", "goals_text", "skills", "about_text", "industry",
                                     "languages", "utc_offset_hours")})  # fmt: skip
    options = Options(mode=mode, top_k=8)

    first = match_peers(peers, weights=PeerWeights(), options=options)
    again = match_peers(peers, weights=PeerWeights(), options=options)
    other_order = match_peers(shuffled, weights=PeerWeights(), options=options)

    assert first.proposals == again.proposals == other_order.proposals
    assert first.stats == again.stats == other_order.stats


def test_the_candidate_graph_is_symmetric_top_k_and_chunked_searches_agree():
    peers = program(17, n=90)

    _, whole = candidate_graph(peers, options=Options(top_k=4))
    _, chunked = candidate_graph(peers, options=Options(top_k=4, chunk_elements=300))

    assert np.array_equal(whole.a, chunked.a) and np.array_equal(whole.b, chunked.b)
    assert len(whole) <= 90 * 4
    assert np.all(whole.a < whole.b)
    degree = np.bincount(np.concatenate([whole.a, whole.b]), minlength=90)
    assert degree.max() > 4  # someone listed by others beyond their own four


def test_progress_rises_to_one_and_small_programs_are_fine():
    seen = []
    match_peers(program(19, n=50), weights=PeerWeights(), options=Options(), progress=seen.append)

    assert seen == sorted(seen) and seen[-1] == pytest.approx(1.0)
    for n in (0, 1):
        result = match_peers(program(1, n=n), weights=PeerWeights(), options=Options())
        assert result.proposals == [] and result.stats["matched"] == 0
    assert match_peers(program(1, n=2), weights=Weights(), options=Options()).stats["peers"] == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [({"skills": [[]]}, "skills has 1 entries"), ({"ids": [1, 1]}, "unique")],
)
def test_bad_peers_are_refused_with_a_reason(change, message):
    columns = {"ids": [1, 2], "wanted_skills": [[], []], "goals_text": ["", ""], "skills": [[], []],
               "about_text": ["", ""], "industry": [None, None]}  # fmt: skip
    with pytest.raises(ValueError, match=message):
        Peers(**{**columns, **change})


def test_an_unknown_method_or_negative_language_weight_is_refused():
    with pytest.raises(ValueError, match="method"):
        pair_optimal(PeerGraph(0, np.array([]), np.array([]), np.array([])), method="fastest")
    with pytest.raises(ValueError, match="language: a weight cannot be negative"):
        PeerWeights(language=-1)
    assert list(itertools.islice(PeerWeights().shares(), 4)) == ["skills", "industry", "goals", "language"]


@pytest.mark.parametrize("seed", range(5))
def test_blocking_pairs_counted_on_the_edge_order_agree_with_the_preference_tables(seed):
    graph = random_graph(seed, 300, degree=4)
    graph = PeerGraph(graph.n, graph.a, graph.b, np.round(graph.score, 1))  # many ties, broken by id
    for chosen in (greedy_matching(graph), exact_matching(graph), exact_matching(graph)[::2]):
        indptr, indices = graph.preferences()

        assert count_blocking_pairs(graph, chosen) == blocking_pairs(indptr, indices, partners(graph, chosen))
