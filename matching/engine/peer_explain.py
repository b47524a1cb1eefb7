"""Why two peers were paired: the pair's score by signal, and each direction (what one can help the other with)
in the one-on-one explanation's shape."""

from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from matching.engine.explain import explanations
from matching.engine.features import normalise_tag
from matching.engine.types import BLOCKS, Peers

if TYPE_CHECKING:
    from matching.engine.peers import PreparedPeers


def explain_pairs(prepared: "PreparedPeers", a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, list[dict]]:
    """Scores and explanations of the pairs (a[i], b[i]), peers by index (a the lower id):

    {"a": id, "b": id,
     "blocks": {"skills", "industry", "goals", "language"},  # the pair's score by signal; they add up to it
     "industry": shared industry or None, "shared_languages": [...],
     "a_helps_b": {...}, "b_helps_a": {...}}

    Each direction has the one-on-one explanation's shape, the helper in the mentor's place: `shared_skills` are
    the helper's skills the other wants, `shared_goal_words` the other's goal words the helper's profile has,
    and its `blocks` that direction's own score (the pair's skills and goals are their average)."""
    peers = prepared.peers
    wanting, offering = peers.wanting(), peers.offering()
    args = (prepared.scorer, wanting, offering, prepared.want_blocks, prepared.offer_blocks)
    _, b_helps_a = explanations(*args, a, b)  # a's wants, b's offer
    _, a_helps_b = explanations(*args, b, a)
    language = prepared.language_share * share_language(prepared.languages, a, b)
    scores, result = [], []
    for i, (x, y) in enumerate(zip(a.tolist(), b.tolist(), strict=True)):
        to_a, to_b = b_helps_a[i], a_helps_b[i]
        blocks = {name: (to_a["blocks"][name] + to_b["blocks"][name]) / 2 for name in BLOCKS}
        blocks["language"] = float(language[i])
        scores.append(sum(blocks.values()))
        result.append(
            {
                "a": int(peers.ids[x]),
                "b": int(peers.ids[y]),
                "blocks": blocks,
                "industry": to_a["industry"],
                "shared_languages": _shared_languages(peers, x, y) if language[i] else [],
                "a_helps_b": _direction(to_b),
                "b_helps_a": _direction(to_a),
            }
        )
    return np.array(scores, dtype=np.float64), result


def describe_pair(explanation: dict, a_name: str, b_name: str) -> str:
    """ "Ana can help Ben with Python; Ben can help Ana with Design." from a pair's explanation and the names of
    peer a (the lower id) and peer b; goal words when no skill meets."""
    sentences = []
    for helper, helped, key in ((a_name, b_name, "a_helps_b"), (b_name, a_name, "b_helps_a")):
        direction = explanation[key]
        if direction["shared_skills"]:
            sentences.append(f"{helper} can help {helped} with {', '.join(direction['shared_skills'])}")
        elif direction["shared_goal_words"]:
            words = ", ".join(direction["shared_goal_words"])
            sentences.append(f"{helper} can help {helped} with goals about {words}")
    if not sentences and explanation["industry"]:
        sentences.append(f"{a_name} and {b_name} both work in {explanation['industry']}")
    return "; ".join(sentences) + "." if sentences else ""


def share_language(languages: sp.csr_matrix, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """1.0 where the pair (a[i], b[i]) speaks a language in common, else 0.0."""
    if languages.nnz == 0 or len(a) == 0:
        return np.zeros(len(a))
    return (np.asarray(languages[a].multiply(languages[b]).sum(axis=1)).ravel() > 0).astype(np.float64)


def _shared_languages(peers: Peers, a: int, b: int) -> list[str]:
    theirs = {normalise_tag(x) for x in peers.languages[b]}
    return sorted({x.strip() for x in peers.languages[a] if normalise_tag(x) in theirs}, key=str.casefold)


def _direction(explanation: dict) -> dict:
    return {key: value for key, value in explanation.items() if key != "industry"}
