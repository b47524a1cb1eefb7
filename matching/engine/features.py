"""Feature blocks with scikit-learn, one per signal, each row L2-normalised and scaled by √(weight share).

The dot product of a mentee's and a mentor's stacked rows is then Σ share_b · cosine_b: a score in 0..1 whose
block terms add up to it exactly, which is what the explanation shows. (It equals the cosine of the stacked
vectors when both people have every signal; a missing signal simply contributes nothing.)
"""

import re

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.preprocessing import normalize

from matching.engine.types import BLOCKS, Participants, Weights

_WORD = re.compile(r"[^\W\d_]{2,}")
# Words every bio uses ("I have spent years…") say nothing about fit.
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS) | {
    *("want", "like", "help", "year", "years", "get", "able", "work", "recently", "currently", "happy", "spent"),
    *("looking", "keen", "really"),
}


def normalise_tag(tag: str) -> str:
    return " ".join(tag.split()).casefold()


def words(text: str) -> list[str]:
    """Lower-case words less stop words, with a plural or third-person "s" taken off, so that "leads teams"
    meets "lead a team"."""
    return [
        w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
        for w in _WORD.findall(text.lower())
        if w not in STOP_WORDS
    ]


class Scorer:
    """Fitted vocabularies (skills, industries, words) shared by both sides, and the weights."""

    def __init__(self, weights: Weights):
        self.weights = weights
        self.skill_index: dict[str, int] = {}
        self.industry_index: dict[str, int] = {}
        self.text = TfidfVectorizer(tokenizer=words, token_pattern=None, lowercase=False, sublinear_tf=True)
        self.has_words = False

    def fit(self, *sides: Participants) -> "Scorer":
        self._fit(sides)
        return self

    def fit_blocks(self, *sides: Participants) -> list[dict[str, sp.csr_matrix]]:
        """fit() then blocks() of each side, reading every text once (tokenizing is the slow part at scale)."""
        words = self._fit(sides)
        bounds = np.cumsum([0, *(len(side) for side in sides)])
        return [
            self.blocks(side, words=None if words is None else words[bounds[i] : bounds[i + 1]])
            for i, side in enumerate(sides)
        ]

    def _fit(self, sides) -> sp.csr_matrix | None:
        skills = sorted({normalise_tag(s) for side in sides for tags in side.skills for s in tags if s.strip()})
        self.skill_index = {tag: i for i, tag in enumerate(skills)}
        industries = sorted({normalise_tag(i) for side in sides for i in side.industry if i and i.strip()})
        self.industry_index = {name: i for i, name in enumerate(industries)}
        texts = [t for side in sides for t in side.text]
        try:
            words = self.text.fit_transform(texts).tocsr()
        except ValueError:  # no word in any text (all empty or stop words): the block is empty
            self.has_words = False
            return None
        self.has_words = True
        return words

    def blocks(self, side: Participants, *, words: sp.csr_matrix | None = None) -> dict[str, sp.csr_matrix]:
        """Each block L2-normalised by row and scaled by √share, so that block dot products add to the score.
        `words`: the side's TF-IDF rows when already computed."""
        n = len(side)
        if words is None:
            words = (
                self.text.transform(side.text).tocsr()
                if self.has_words and n
                else sp.csr_matrix((n, len(self.words())))
            )
        raw = {
            "skills": _one_hot(
                ([self.skill_index[t] for t in {normalise_tag(s) for s in tags} if t in self.skill_index]
                 for tags in side.skills),
                n, len(self.skill_index),
            ),
            "industry": _one_hot(
                ([self.industry_index[normalise_tag(i)]] if i and normalise_tag(i) in self.industry_index else []
                 for i in side.industry),
                n, len(self.industry_index),
            ),
            "goals": words,
        }  # fmt: skip
        shares = self.weights.shares()
        return {name: _unit_rows(raw[name], scale=np.sqrt(shares[name])) for name in BLOCKS}

    def stacked(self, blocks: dict[str, sp.csr_matrix]) -> sp.csr_matrix:
        return sp.hstack([blocks[name] for name in BLOCKS], format="csr", dtype=np.float64)

    def words(self) -> np.ndarray:
        return self.text.get_feature_names_out() if self.has_words else np.array([], dtype=object)


def _unit_rows(matrix: sp.spmatrix, *, scale: float) -> sp.csr_matrix:
    if 0 in matrix.shape:  # nobody named a term of this kind: the block is empty, not an error
        return sp.csr_matrix(matrix.shape, dtype=np.float64)
    return (normalize(matrix, norm="l2") * scale).tocsr().astype(np.float64)


def _one_hot(rows, n: int, width: int) -> sp.csr_matrix:
    indptr, indices = [0], []
    for columns in rows:
        indices.extend(sorted(columns))
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float64)
    return sp.csr_matrix((data, np.array(indices, dtype=np.int64), np.array(indptr)), shape=(n, width))
