"""Content documents -> TF-IDF rows, one L2-normalised block per field.

Written with SciPy sparse matrices rather than scikit-learn: the whole method is a
token count, one idf vector and a per-field norm, and writing it out keeps every
weight checkable by hand (tests) and adds no dependency to the serving image.

A token is `field:value`. Values of the text fields (a description) are split into
words; every other value (a genre, a director, a tag) is one token as a whole,
lower-cased. idf = ln((1 + n) / (1 + df)) + 1 over the n documents the vocabulary
is fitted on (the smoothed idf of scikit-learn), and each field's block of a row is
scaled to unit length on its own, so a long cast list does not outweigh one genre
and a film with more fields is not penalised on the fields it shares.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

Document = Mapping[str, Iterable[str]]

TEXT_FIELDS = frozenset({"description"})
_WORD = re.compile(r"[^\W\d_]{3,}")
# Frequent English words that say nothing about a film; the rest is left to idf.
_STOP_TEXT = """
    about after again against all also and any are around because been before
    being between both but can could did does doing down during each even ever
    every few for from further get gets had has have having her here hers
    herself him himself his how into its itself just more most much must new not
    now off once one only other our ours out over own same she should some such
    than that the their theirs them themselves then there these they this those
    through too two under until upon very was way were what when where which
    while who whom whose why will with within without would you your yours
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())


def document_tokens(doc: Document) -> Counter[str]:
    """Token counts of one document (`field:value`, lower-cased)."""
    counts: Counter[str] = Counter()
    for name, values in doc.items():
        for value in values:
            text = str(value).strip().lower()
            if not text:
                continue
            if name in TEXT_FIELDS:
                counts.update(
                    f"{name}:{w}" for w in _WORD.findall(text) if w not in STOP_WORDS
                )
            else:
                counts[f"{name}:{text}"] += 1
    return counts


@dataclass
class TfidfVocabulary:
    """Kept tokens and their idf; `transform` turns documents into rows."""

    tokens: list[str]
    idf: np.ndarray  # (n_tokens,) float64
    index: dict[str, int] = field(default_factory=dict, repr=False)
    fields: list[str] = field(default_factory=list)  # sorted field names
    token_field: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))

    def __post_init__(self) -> None:
        self.index = {t: i for i, t in enumerate(self.tokens)}
        self.fields = sorted({t.split(":", 1)[0] for t in self.tokens})
        code = {f: i for i, f in enumerate(self.fields)}
        self.token_field = np.array(
            [code[t.split(":", 1)[0]] for t in self.tokens], dtype=np.int64
        )

    @property
    def n_tokens(self) -> int:
        """Number of kept tokens (columns of `transform`)."""
        return len(self.tokens)

    def transform(self, docs: Sequence[Document]) -> sp.csr_matrix:
        """(n_docs x n_tokens) float64 TF-IDF, each field block L2-normalised."""
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        for r, doc in enumerate(docs):
            for token, count in document_tokens(doc).items():
                j = self.index.get(token)
                if j is not None:
                    rows.append(r)
                    cols.append(j)
                    vals.append(float(count))
        row = np.array(rows, dtype=np.int64)
        col = np.array(cols, dtype=np.int64)
        val = np.array(vals, dtype=np.float64) * self.idf[col]
        n_fields = max(len(self.fields), 1)
        block = row * n_fields + self.token_field[col]
        norms = np.sqrt(np.bincount(block, val**2, minlength=len(docs) * n_fields))
        val = val / norms[block] if len(val) else val
        return sp.csr_matrix(
            (val, (row, col)), shape=(len(docs), self.n_tokens), dtype=np.float64
        )


def tfidf_fit(
    docs: Sequence[Document], *, min_df: int = 2, max_features: int | None = None
) -> TfidfVocabulary:
    """Tokens in at least `min_df` documents (the `max_features` most frequent)."""
    df: Counter[str] = Counter()
    for doc in docs:
        df.update(document_tokens(doc).keys())
    kept = sorted((t for t, n in df.items() if n >= min_df), key=lambda t: (-df[t], t))
    if max_features is not None:
        kept = kept[:max_features]
    kept.sort()
    n = len(docs)
    idf = np.array([np.log((1 + n) / (1 + df[t])) + 1.0 for t in kept])
    return TfidfVocabulary(tokens=kept, idf=idf)
