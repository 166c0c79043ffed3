"""How the content model's settings are chosen: validation items held out of the
fit, simulated surveys of `n_given` favourites ranking them, NDCG@10 over a grid of
matrix x map x ridge x dim (no Django)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from . import metrics as m
from .content_features import Document, tfidf_fit
from .content_map import COMBINES, fit_maps, taste_factors
from .data import Interactions

MATRICES = ("liked", "seen")


@dataclass
class ContentConfig:
    """Vocabulary limits, the validation grid and the validation surveys."""

    min_df: int = 2
    max_features: int = 4000
    matrices: tuple[str, ...] = MATRICES
    dims: tuple[int, ...] = (16, 32, 64, 128)
    ridges: tuple[float, ...] = (1.0, 10.0, 100.0)
    combines: tuple[str, ...] = COMBINES
    threshold: float = 4.0  # a rating at least this is a favourite
    validation_fraction: float = 0.1
    n_given: int = 10
    max_validation_users: int = 400
    seed: int = 0

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly dict."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ContentConfig:
        """Build from a dict, ignoring unknown keys (tuples restored)."""
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        for key in ("matrices", "dims", "ridges", "combines"):
            if key in known:
                known[key] = tuple(known[key])
        return cls(**known)


def interaction_matrix(
    inter: Interactions, kind: str, threshold: float
) -> sp.csr_matrix:
    """Binary users x items: 'liked' = rated >= threshold, 'seen' = rated at all."""
    if kind not in MATRICES:
        raise ValueError(f"unknown matrix {kind!r}; expected one of {MATRICES}")
    return inter.favourites(threshold) if kind == "liked" else inter.seen()


def survey_ndcg(
    taste: np.ndarray,
    predicted: np.ndarray,
    surveys: Sequence[tuple[np.ndarray, set[int]]],
    k: int = 10,
) -> float:
    """Mean NDCG@k of surveys (favourite rows of `taste`, relevant rows of
    `predicted`) ranking the rows of `predicted` by dot product."""
    if not surveys:
        return 0.0
    users = np.stack([taste[given].mean(axis=0) for given, _ in surveys])
    scores = users @ predicted.T
    top = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    return float(
        np.mean(
            [m.ndcg_at_k(list(top[u]), rel, k) for u, (_, rel) in enumerate(surveys)]
        )
    )


def held_out_items(
    cfg: ContentConfig,
    inter: Interactions,
    trainable: np.ndarray,
    given: Sequence[int] | None,
) -> np.ndarray:
    """Item indices held out of the map while it is chosen: the `given` external
    ids among the trainable, else a seeded random `validation_fraction` of them."""
    if given is not None:
        return np.intersect1d(inter.map_items(given), trainable)
    rng = np.random.default_rng(cfg.seed)
    n = int(round(len(trainable) * cfg.validation_fraction))
    return np.sort(rng.choice(trainable, size=n, replace=False))


def validation_surveys(
    cfg: ContentConfig, liked: sp.csr_matrix, val: np.ndarray
) -> list[tuple[np.ndarray, set[int]]]:
    """Validation surveys: n_given liked other items -> liked val positions."""
    rng = np.random.default_rng(cfg.seed)
    is_pool = np.ones(liked.shape[1], dtype=bool)
    is_pool[val] = False
    val_pos = {int(i): p for p, i in enumerate(val)}
    surveys = []
    for u in range(liked.shape[0]):
        row = liked.indices[liked.indptr[u] : liked.indptr[u + 1]]
        pool = row[is_pool[row]]
        relevant = {val_pos[int(i)] for i in row if int(i) in val_pos}
        if len(pool) >= cfg.n_given and relevant:
            given = rng.choice(pool, size=cfg.n_given, replace=False)
            surveys.append((np.sort(given), relevant))
    if len(surveys) > cfg.max_validation_users:
        pick = rng.choice(len(surveys), cfg.max_validation_users, replace=False)
        surveys = [surveys[i] for i in np.sort(pick)]
    return surveys


def choose(
    cfg: ContentConfig,
    inter: Interactions,
    documents: Mapping[int, Document],
    earlier: Mapping[int, Document],
    trainable: np.ndarray,
    val: np.ndarray,
) -> dict[str, Any]:
    """Grid of matrix x map x ridge x dim scored on the validation surveys
    (documents as known back then: `earlier`, falling back to `documents`)."""
    default = {
        "matrix": cfg.matrices[0],
        "combine": cfg.combines[0],
        "ridge": cfg.ridges[len(cfg.ridges) // 2],
        "dim": cfg.dims[len(cfg.dims) // 2],
    }
    train = np.setdiff1d(trainable, val)
    surveys = (
        validation_surveys(cfg, inter.favourites(cfg.threshold), val)
        if len(train)
        else []
    )
    report: dict[str, Any] = {
        "n_trainable": len(trainable),
        "n_validation_items": len(val),
        "n_validation_users": len(surveys),
        "grid": [],
    }
    if not surveys:
        return {**report, "chosen": default, "chose_by": "default"}
    ids = inter.item_ids

    def doc(i: int) -> Document:
        return earlier.get(int(ids[i]), documents[int(ids[i])])

    train_docs = [doc(i) for i in train]
    vocab = tfidf_fit(train_docs, min_df=cfg.min_df, max_features=cfg.max_features)
    x_train = vocab.transform(train_docs)
    x_val = vocab.transform([doc(i) for i in val])
    keep = np.ones(inter.n_items)
    keep[val] = 0.0  # validation items are unrated while the map is chosen
    max_dim = max(cfg.dims)
    factors = {
        kind: taste_factors(
            interaction_matrix(inter, kind, cfg.threshold) @ sp.diags(keep),
            max_dim,
            cfg.seed,
        )
        for kind in cfg.matrices
    }
    # every matrix's factors are targets of one fit; ridge is separable per
    # target column, so a map's first `dim` columns are the map onto `dim`
    targets = np.hstack([factors[k][train] for k in cfg.matrices])
    for combine in cfg.combines:
        maps = fit_maps(
            x_train,
            vocab.token_field,
            len(vocab.fields),
            targets,
            cfg.ridges,
            combine,
        )
        for ridge, taste_map in maps.items():
            predicted = taste_map.predict(x_val)
            for n, kind in enumerate(cfg.matrices):
                block = predicted[:, n * max_dim : (n + 1) * max_dim]
                for dim in cfg.dims:
                    ndcg = survey_ndcg(
                        factors[kind][:, :dim], block[:, :dim], surveys, k=10
                    )
                    report["grid"].append(
                        {
                            "matrix": kind,
                            "combine": combine,
                            "ridge": ridge,
                            "dim": dim,
                            "ndcg@10": ndcg,
                        }
                    )
    best = max(report["grid"], key=lambda row: row["ndcg@10"])
    chosen = {k: best[k] for k in default}
    return {**report, "chosen": chosen, "chose_by": "validation"}
