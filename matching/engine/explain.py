"""Why a pair scored what it did: each block's share of the score, and what they share by name."""

import numpy as np
import scipy.sparse as sp

from matching.engine.features import Scorer, normalise_tag
from matching.engine.types import BLOCKS, Participants

SHARED_WORDS = 5


def block_contributions(
    mentee_blocks: dict[str, sp.csr_matrix],
    mentor_blocks: dict[str, sp.csr_matrix],
    mentee: np.ndarray,
    mentor: np.ndarray,
) -> dict[str, np.ndarray]:
    """For each pair (mentee[i], mentor[i]), each block's term of the score; the terms add up to the score."""
    return {
        name: np.asarray(mentee_blocks[name][mentee].multiply(mentor_blocks[name][mentor]).sum(axis=1)).ravel()
        for name in BLOCKS
    }


def explanations(
    scorer: Scorer,
    mentees: Participants,
    mentors: Participants,
    mentee_blocks: dict[str, sp.csr_matrix],
    mentor_blocks: dict[str, sp.csr_matrix],
    mentee: np.ndarray,
    mentor: np.ndarray,
) -> tuple[np.ndarray, list[dict]]:
    """Scores (the sum of the block terms) and explanations of the pairs (mentee[i], mentor[i])."""
    terms = block_contributions(mentee_blocks, mentor_blocks, mentee, mentor)
    scores = sum(terms[name] for name in BLOCKS)
    shared_words = _shared_words(mentee_blocks["goals"], mentor_blocks["goals"], mentee, mentor, scorer.words())
    result = []
    for i, (a, b) in enumerate(zip(mentee.tolist(), mentor.tolist(), strict=True)):
        wanted = {normalise_tag(s) for s in mentees.skills[a]}
        shared_skills = sorted({s for s in mentors.skills[b] if normalise_tag(s) in wanted}, key=str.casefold)
        industry_a, industry_b = mentees.industry[a], mentors.industry[b]
        same_industry = (
            industry_b if industry_a and industry_b and normalise_tag(industry_a) == normalise_tag(industry_b) else None
        )
        result.append(
            {
                "blocks": {name: float(terms[name][i]) for name in BLOCKS},
                "shared_skills": shared_skills,
                "industry": same_industry,
                "shared_goal_words": shared_words[i],
            }
        )
    return scores, result


def _shared_words(
    mentee_words: sp.csr_matrix, mentor_words: sp.csr_matrix, mentee: np.ndarray, mentor: np.ndarray, words: np.ndarray
) -> list[list[str]]:
    """For each pair, the words that weigh most in both texts: one sparse product for all pairs at once."""
    if mentee_words.shape[1] == 0 or len(mentee) == 0:
        return [[] for _ in range(len(mentee))]
    both = mentee_words[mentee].multiply(mentor_words[mentor]).tocsr()
    both.eliminate_zeros()
    result = []
    for row in range(both.shape[0]):
        begin, end = both.indptr[row], both.indptr[row + 1]
        best = begin + np.argsort(-both.data[begin:end], kind="stable")[:SHARED_WORDS]
        result.append([str(words[j]) for j in both.indices[best]])
    return result
