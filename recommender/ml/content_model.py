"""A content model for titles nobody has rated: content mapped into the taste space.

The taste space is PureSVD's (see content_map): a survey scores item j by the mean
over its favourites f of q_f . q_j. A ridge map learns q_j from the TF-IDF of item
j's content document on the items that have both; an unrated item then gets the
taste vector its content predicts, so "people who like your favourites like titles
like this" is the same dot product. A favourite that is itself unrated counts
through its predicted vector too.

Which matrix (favourites or everything rated), how many dimensions, how much ridge
and which map (joint or per field) are chosen on validation items held out of the
fit (by default a random tenth of the rated, documented items; the item cold-start
protocol passes the newest tenth), scored the way the product is used: simulated
surveys of `n_given` favourites rank the held-out items, NDCG@10.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from .content_choice import (
    ContentConfig,
    choose,
    held_out_items,
    interaction_matrix,
)
from .content_features import Document, TfidfVocabulary, tfidf_fit
from .content_map import TasteMap, fit_maps, taste_factors
from .data import Interactions


@dataclass
class ContentModel:
    """Content documents -> taste vectors; scores unrated items for a survey."""

    config: ContentConfig = field(default_factory=ContentConfig)
    vocabulary: TfidfVocabulary | None = None
    taste_map: TasteMap | None = None
    item_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    taste: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    is_predicted: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    # (n_items x n_tokens) TF-IDF rows in item_ids order (empty for undocumented
    # items): how much two titles' content overlaps, whoever rated them.
    rows: sp.csr_matrix | None = None
    report: dict[str, Any] = field(default_factory=dict)
    _index: dict[int, int] = field(default_factory=dict, repr=False)
    _unit: sp.csr_matrix | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self._index = {int(i): n for n, i in enumerate(self.item_ids)}
        ids = np.asarray(self.item_ids, dtype=np.int64)
        self._order = np.argsort(ids, kind="stable")
        self._sorted = ids[self._order]
        self._unit = None

    def positions(self, item_ids: Sequence[int] | np.ndarray) -> np.ndarray:
        """Row of each id (-1 where unknown); vectorised, since a survey looks up
        every unrated candidate (about 20,000 on a synced catalogue)."""
        ids = np.asarray(item_ids, dtype=np.int64).reshape(-1)
        if not len(self._sorted) or not len(ids):
            return np.full(len(ids), -1, dtype=np.int64)
        at = np.minimum(np.searchsorted(self._sorted, ids), len(self._sorted) - 1)
        return np.where(self._sorted[at] == ids, self._order[at], -1).astype(np.int64)

    @property
    def is_fitted(self) -> bool:
        """True once fit (or from_arrays) has given it a map."""
        return self.taste_map is not None and self.vocabulary is not None

    def fit(
        self,
        inter: Interactions,
        documents: Mapping[int, Document],
        *,
        validation_items: Sequence[int] | None = None,
        validation_documents: Mapping[int, Document] | None = None,
        vocabulary_documents: Sequence[Document] = (),
    ) -> ContentModel:
        """Learn the map on rated, documented items, its settings chosen on the
        validation items (external ids; default a random tenth of the trainable).

        `validation_documents`, when given, are the documents as they were known
        when the validation items were new (content that grows with viewing, like
        tags, must not leak into the choice); they serve the whole choice.
        Every documented item without ratings (in `inter` or not) gets a predicted
        taste vector; rated items keep their collaborative one.
        `vocabulary_documents` (unrated titles' documents) join the vocabulary only,
        so tokens that only new titles share (a language few rated films have)
        still count in `similarity`; the map gives them no weight it did not learn.
        """
        cfg = self.config
        rated = np.diff(inter.ratings.tocsc().indptr) > 0
        ids = inter.item_ids
        trainable = np.array(
            [i for i in range(len(ids)) if rated[i] and int(ids[i]) in documents],
            dtype=np.int64,
        )
        if len(trainable) == 0:
            raise ValueError("no item has both ratings and a content document")
        val = held_out_items(cfg, inter, trainable, validation_items)
        self.report = choose(
            cfg, inter, documents, validation_documents or documents, trainable, val
        )
        chosen = self.report["chosen"]
        factors = taste_factors(
            interaction_matrix(inter, chosen["matrix"], cfg.threshold),
            chosen["dim"],
            cfg.seed,
        )
        train_docs = [documents[int(ids[i])] for i in trainable]
        self.vocabulary = tfidf_fit(
            [*train_docs, *vocabulary_documents],
            min_df=cfg.min_df,
            max_features=cfg.max_features,
        )
        self.taste_map = fit_maps(
            self.vocabulary.transform(train_docs),
            self.vocabulary.token_field,
            len(self.vocabulary.fields),
            factors[trainable],
            [chosen["ridge"]],
            chosen["combine"],
        )[chosen["ridge"]]
        self.item_ids = ids[rated].astype(np.int64)
        self.taste = factors[rated]
        self.is_predicted = np.zeros(len(self.item_ids), dtype=bool)
        self.rows = self.vocabulary.transform(
            [documents.get(int(i), {}) for i in self.item_ids]
        )
        self.__post_init__()
        return self.add_documents(documents)

    def add_documents(self, documents: Mapping[int, Document]) -> ContentModel:
        """Predicted taste vectors for documented items that have no ratings
        (new catalogue titles can be added without refitting)."""
        if self.vocabulary is None or self.taste_map is None:
            raise ValueError("content model is not fitted")
        rated = {int(i) for i in self.item_ids[~self.is_predicted]}
        new = [int(i) for i in documents if int(i) not in rated]
        if not new:
            return self
        x = self.vocabulary.transform([documents[i] for i in new])
        vectors = self.taste_map.predict(x)
        fresh = set(new)
        keep = np.array([int(i) not in fresh for i in self.item_ids], dtype=bool)
        self.rows = sp.vstack([self._rows()[keep], x], format="csr")
        self.item_ids = np.concatenate([self.item_ids[keep], np.array(new, np.int64)])
        self.taste = np.vstack([self.taste[keep], vectors])
        self.is_predicted = np.concatenate(
            [self.is_predicted[keep], np.ones(len(new), dtype=bool)]
        )
        self.__post_init__()
        return self

    def _rows(self) -> sp.csr_matrix:
        if self.rows is None or self.rows.shape[0] != len(self.item_ids):
            # a bundle saved before rows were kept: no overlap is known
            n_tokens = 0 if self.vocabulary is None else self.vocabulary.n_tokens
            self.rows = sp.csr_matrix((len(self.item_ids), n_tokens))
        return self.rows

    def similarity(
        self, favourite_ids: Sequence[int], item_ids: Sequence[int]
    ) -> np.ndarray:
        """(n_items x n_favourites) TF-IDF cosine of each item's content with each
        favourite's (0 where either has no document)."""
        fav = self.positions(favourite_ids)
        its = self.positions(item_ids)
        out = np.zeros((len(its), len(fav)))
        if not len(fav) or not len(its) or not (fav >= 0).any() or not (its >= 0).any():
            return out
        unit = self._unit_rows()
        # every row against the few favourites, then the asked rows: cheaper than
        # slicing thousands of sparse rows out first
        cos = (unit @ unit[fav[fav >= 0]].T).toarray()
        out[np.ix_(np.flatnonzero(its >= 0), np.flatnonzero(fav >= 0))] = cos[
            its[its >= 0]
        ]
        return out

    def _unit_rows(self) -> sp.csr_matrix:
        rows = self._rows()
        if self._unit is None or self._unit.shape != rows.shape:
            norms = np.sqrt(np.asarray(rows.multiply(rows).sum(axis=1)).ravel())
            scale = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
            self._unit = sp.csr_matrix(sp.diags(scale) @ rows)
        return self._unit

    def item_taste(self, item_ids: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        """(n x dim) taste vectors and a known mask; unknown ids get zeros."""
        rows = self.positions(item_ids)
        known = rows >= 0
        out = np.zeros((len(rows), self.taste.shape[1]))
        out[known] = self.taste[rows[known]]
        return out, known

    def survey_profile(self, favourite_ids: Sequence[int]) -> np.ndarray | None:
        """Mean taste vector of the known favourites (None when none is known)."""
        vectors, known = self.item_taste(favourite_ids)
        return vectors[known].mean(axis=0) if known.any() else None

    def scores(
        self, favourite_ids: Sequence[int], item_ids: Sequence[int]
    ) -> np.ndarray:
        """Dot product of the favourites' mean taste with each item's; 0 unknown."""
        profile = self.survey_profile(favourite_ids)
        vectors, known = self.item_taste(item_ids)
        if profile is None:
            return np.zeros(len(known))
        return np.where(known, vectors @ profile, 0.0)

    def placement_scores(
        self, favourite_ids: Sequence[int], item_ids: Sequence[int]
    ) -> np.ndarray:
        """Cosine of the favourites' mean taste and each item's, clipped to [0, 1]
        (the scale `content.cold_item_scores` places unrated items by)."""
        profile = self.survey_profile(favourite_ids)
        vectors, known = self.item_taste(item_ids)
        if profile is None:
            return np.zeros(len(known))
        norms = np.linalg.norm(vectors, axis=1) * np.linalg.norm(profile)
        with np.errstate(divide="ignore", invalid="ignore"):
            cosine = np.where(norms > 0, vectors @ profile / norms, 0.0)
        return np.clip(np.where(known, cosine, 0.0), 0.0, 1.0)

    def to_arrays(self) -> dict[str, np.ndarray]:
        """Arrays for np.savez (config and report as JSON strings)."""
        if self.vocabulary is None or self.taste_map is None:
            raise ValueError("content model is not fitted")
        tm = self.taste_map
        return {
            "tokens": np.array(self.vocabulary.tokens, dtype=str),
            "idf": self.vocabulary.idf,
            "combine": np.array(tm.combine),
            "weights": tm.weights,
            "intercepts": tm.intercepts,
            "fallback": tm.fallback,
            "item_ids": self.item_ids,
            "taste": self.taste,
            "is_predicted": self.is_predicted,
            "rows_data": self._rows().data,
            "rows_indices": self._rows().indices,
            "rows_indptr": self._rows().indptr,
            "config": np.array(json.dumps(self.config.to_dict())),
            "report": np.array(json.dumps(self.report, default=float)),
        }

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray]) -> ContentModel:
        """Inverse of to_arrays."""
        vocab = TfidfVocabulary(
            tokens=[str(t) for t in arrays["tokens"]], idf=arrays["idf"]
        )
        item_ids = arrays["item_ids"].astype(np.int64)
        rows = None
        if "rows_indptr" in arrays:
            rows = sp.csr_matrix(
                (arrays["rows_data"], arrays["rows_indices"], arrays["rows_indptr"]),
                shape=(len(item_ids), vocab.n_tokens),
            )
        return cls(
            config=ContentConfig.from_dict(json.loads(str(arrays["config"]))),
            vocabulary=vocab,
            taste_map=TasteMap(
                str(arrays["combine"]),
                arrays["weights"],
                arrays["intercepts"],
                arrays["fallback"],
                vocab.token_field,
            ),
            item_ids=item_ids,
            taste=arrays["taste"],
            is_predicted=arrays["is_predicted"].astype(bool),
            rows=rows,
            report=json.loads(str(arrays["report"])),
        )
