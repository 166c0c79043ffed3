"""Learned ranker: LightGBM LambdaRank over per-item signals of one survey.

One module per role: `features` (every signal of a survey, candidates, feature
rows), `model` (the trained boosters), `simulation` (surveys simulated from training
users), `tuning` (the item models' parameters) and `training` (`train_ranker`).
The public names are re-exported here, so `recommender.ml.ranker.<name>` keeps
working; a bundle stores the ranker as LightGBM text and JSON, never by class path.
"""

from __future__ import annotations

from .features import (
    CANDIDATE_SIGNALS,
    FEATURES,
    RANKED_SIGNALS,
    SCALED_SIGNALS,
    CaseSignals,
    ItemStatics,
    _finite,
    build_features,
    build_statics,
    candidates,
    case_signals,
    per_favourite_cosine,
    rank_within,
    z_within,
)
from .model import Ranker
from .simulation import Case, _mean_ndcg, mask_users, simulate_cases
from .training import (
    LGB_PARAMS,
    Progress,
    RankerTraining,
    train_ranker,
)
from .tuning import tune_item_models

__all__ = [
    "CANDIDATE_SIGNALS",
    "FEATURES",
    "LGB_PARAMS",
    "RANKED_SIGNALS",
    "SCALED_SIGNALS",
    "Case",
    "CaseSignals",
    "ItemStatics",
    "Progress",
    "Ranker",
    "RankerTraining",
    "_finite",
    "_mean_ndcg",
    "build_features",
    "build_statics",
    "candidates",
    "case_signals",
    "mask_users",
    "per_favourite_cosine",
    "rank_within",
    "simulate_cases",
    "train_ranker",
    "tune_item_models",
    "z_within",
]
