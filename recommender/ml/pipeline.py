"""The entry point the Django side calls: recommend(bundle, interactions, survey)."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from .artifacts import ModelBundle
from .content import cold_item_scores, content_scores
from .data import Interactions, encode_demographics, is_product_user
from .matching import top_n_indices
from .predict import (
    ServingContext,
    SurveyScores,
    foldin_scores,
    most_similar_favourite,
    seed_scores,
)
from .ranker import build_features, candidates, case_signals, rank_within
from .ranking import build_ranked_items, diverse_top_k
from .unrated import OutsideItems, lead, outside_candidates, place, proxies

# 'ranker' = the learned LightGBM ranker over every signal; a bundle without one
# (format 1) serves 'seed' instead.
METHODS = ("seed", "foldin", "ranker")


@dataclass
class SurveyInput:
    """A new user's survey answers (external movie ids)."""

    favourite_ids: list[int]
    rated: dict[int, float] = field(default_factory=dict)
    excluded_ids: list[int] = field(default_factory=list)
    age: int | None = None
    gender: str | None = None  # 'M', 'F' or 'X'
    occupation: str | None = None
    k: int = 20
    method: str | None = None  # 'seed' | 'foldin' | 'ranker' | None = bundle default
    use_demographics: bool = True
    diversity: float | None = None  # None = bundle default
    pool_size: int = 0  # also return the catalogue's best `pool_size` titles
    # Titles outside the rated data (placed by content) may be recommended; offline
    # evaluations turn it off: held-out ratings cannot judge titles nobody rated.
    outside: bool = True


@dataclass
class RecommendedItem:
    """One recommendation in the result."""

    item_id: int
    rank: int
    score: float
    predicted_rating: float
    reason: str
    reason_data: dict[str, Any]


@dataclass
class RecommendationResult:
    """Ranked items plus timings in milliseconds."""

    items: list[RecommendedItem]
    method: str
    timings: dict[str, float]
    # the longer list behind `items` (SurveyInput.pool_size long), best first
    pool: list[RecommendedItem] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly dict."""
        return asdict(self)


def _product_neighbour_count(
    ctx: ServingContext, inter: Interactions, neighbours: np.ndarray
) -> np.ndarray:
    """Per item: how many matched neighbours who rated it are product users."""
    nb = np.asarray(neighbours, dtype=np.int64)
    here = nb[is_product_user(inter.user_ids[nb])] if len(nb) else nb
    if len(here) == 0:
        return np.zeros(inter.n_items, dtype=np.int64)
    return np.diff(ctx.ratings[here].tocsc().indptr).astype(np.int64)


def cold_content_scores(
    bundle: ModelBundle,
    inter: Interactions,
    query: np.ndarray,
    cold: np.ndarray,
    favourite_ids: np.ndarray,
) -> np.ndarray:
    """Per item in [0, 1]: how well each unrated item's content fits the survey.

    The bundle's content model (taste cosine to `favourite_ids`, external ids,
    rated or not) where it knows the item; genres and year of the `query` items
    (`content_scores`) for the rest and for bundles without one.
    """
    content = content_scores(inter.item_genres, inter.item_years, query)
    model = bundle.content_model
    if model is None or not model.is_fitted:
        return content
    cold_ids = inter.item_ids[cold]
    _, known = model.item_taste(cold_ids)
    taste = model.placement_scores(favourite_ids, cold_ids)
    content[cold] = np.where(known, taste, content[cold])
    return content


def recommend(
    bundle: ModelBundle,
    interactions: Interactions | None,
    survey: SurveyInput,
) -> RecommendationResult:
    """Top-k recommendations for a survey user not in the training data.

    `interactions` may be None (use the bundle's training interactions); when given
    it must have the same id maps as the bundle. Unknown favourite/rated/excluded ids
    are ignored. Favourites, rated and excluded items are never recommended.
    """
    t_start = time.perf_counter()
    inter = bundle.interactions if interactions is None else interactions
    if inter is not bundle.interactions and (
        inter.n_items != bundle.interactions.n_items
        or inter.n_users != bundle.interactions.n_users
    ):
        raise ValueError("interactions do not match the bundle's id maps")
    settings = bundle.settings
    ctx = bundle.context
    method = survey.method or settings.method
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; expected one of {METHODS}")
    if method == "ranker" and not bundle.has_ranker:
        method = "seed"
    fav = inter.map_items(survey.favourite_ids)
    rated_known = {
        inter.item_index[int(m)]: float(r)
        for m, r in survey.rated.items()
        if int(m) in inter.item_index
    }
    extra_items = np.array(list(rated_known), dtype=np.int64)
    extra_ratings = np.array(list(rated_known.values()), dtype=np.float64)
    liked_extra = extra_items[extra_ratings >= 4.0] if len(extra_items) else extra_items
    chosen_query = np.unique(np.concatenate([fav, liked_extra]))
    # Favourites nobody has rated count through the rated titles closest in taste.
    content_model = bundle.content_model
    stand_ins = np.setdiff1d(
        proxies(content_model, inter, survey.favourite_ids), chosen_query
    )
    query = np.unique(np.concatenate([chosen_query, stand_ins]))
    liked_ids = np.concatenate(
        [
            np.asarray(survey.favourite_ids, dtype=np.int64),
            inter.item_ids[liked_extra].astype(np.int64),
        ]
    )
    lead_share = lead(inter, survey.favourite_ids)
    if survey.use_demographics:
        demo = encode_demographics(survey.age, survey.gender, survey.occupation)
        demo_weight = settings.demo_weight
    else:
        demo = np.zeros(3, dtype=np.int64)
        demo_weight = 0.0
    common = {
        "n_neighbours": settings.n_neighbours,
        "demo_weight": demo_weight,
        "support_weight": settings.support_weight,
        "item_weight": settings.item_weight,
    }
    exclude = np.concatenate(
        [fav, extra_items, stand_ins, inter.map_items(survey.excluded_ids)]
    ).astype(np.int64)
    prefer_similar = None
    if method == "ranker":
        assert bundle.ranker is not None and bundle.signals is not None
        case = case_signals(ctx, bundle.signals, bundle.statics, query, demo, **common)
        cand = candidates(case, exclude, per_signal=bundle.ranker.per_signal)
        ranked_scores = np.full(inter.n_items, -np.inf)
        ranked_scores[cand] = bundle.ranker.score(build_features(case, cand))
        # the reason names the item-item evidence when it outranks the neighbours'
        prefer_similar = np.zeros(inter.n_items, dtype=bool)
        prefer_similar[cand] = rank_within(case.values["item_sim"][cand]) < rank_within(
            case.values["support"][cand]
        )
        scored = SurveyScores(
            ranked_scores,
            case.predicted,
            case.neighbours,
            case.similarity,
            case.neighbour_count,
            case.neighbour_rating,
            case.timings,
        )
    elif method == "seed":
        scored = seed_scores(ctx, query, demo, **common)
    else:
        scored = foldin_scores(
            ctx,
            query,
            demo,
            extra_items=extra_items,
            extra_ratings=extra_ratings,
            favourite_rating=settings.favourite_rating,
            ridge=settings.ridge,
            **common,
        )
    # Movies nobody has rated yet get a place from their content.
    cold = np.flatnonzero(ctx.ratings.getnnz(axis=0) == 0)
    if len(cold):
        content = cold_content_scores(bundle, inter, query, cold, liked_ids)
        scored.scores = cold_item_scores(
            scored.scores, content, cold, survey.k, lead=lead_share
        )
    t_rank = time.perf_counter()
    diversity = settings.diversity if survey.diversity is None else survey.diversity
    chosen = diverse_top_k(
        scored.scores, inter.item_genres, survey.k, diversity=diversity, exclude=exclude
    )
    # Titles outside the rated data, placed among the rated by their content.
    outside = outside_candidates(
        content_model if survey.outside else None,
        inter,
        liked_ids,
        survey.excluded_ids,
        max(survey.k, survey.pool_size),
    )
    warm = scored.scores.copy()
    warm[exclude[(exclude >= 0) & (exclude < len(warm))]] = -np.inf
    outside_scores = place(warm, outside.fit, survey.k, lead_share)
    reasons = _Reasons(
        ctx, inter, scored, chosen_query, cold, prefer_similar, outside, outside_scores
    )
    items = reasons.merged(list(chosen), survey.k)
    pool: list[RecommendedItem] = []
    if survey.pool_size > 0:
        best = top_n_indices(warm, survey.pool_size)
        pool = reasons.merged([int(i) for i in best if np.isfinite(warm[i])], None)
        pool = pool[: survey.pool_size]
    t_end = time.perf_counter()
    timings = {
        "matching_ms": scored.timings["matching_ms"],
        "prediction_ms": scored.timings["prediction_ms"],
        "ranking_ms": (t_end - t_rank) * 1e3,
        "total_ms": (t_end - t_start) * 1e3,
    }
    return RecommendationResult(items=items, method=method, timings=timings, pool=pool)


class _Reasons:
    """Turns rated item indices and the outside candidates into one ranked list of
    RecommendedItem, each with its reason."""

    def __init__(
        self,
        ctx: ServingContext,
        inter: Interactions,
        scored: SurveyScores,
        anchors: np.ndarray,
        cold: np.ndarray,
        prefer_similar: np.ndarray | None,
        outside: OutsideItems,
        outside_scores: np.ndarray,
    ) -> None:
        self.ctx, self.inter, self.scored = ctx, inter, scored
        self.anchors, self.cold, self.prefer_similar = anchors, cold, prefer_similar
        self.outside, self.outside_scores = outside, outside_scores
        self.here = _product_neighbour_count(ctx, inter, scored.neighbours)

    def merged(self, indices: list[int], k: int | None) -> list[RecommendedItem]:
        """The rated `indices` (in their order) merged with the outside candidates
        by score; the first `k` (all when None)."""
        chosen = np.asarray(indices, dtype=np.int64)
        similar = most_similar_favourite(self.ctx, chosen, self.anchors)
        ranked = build_ranked_items(
            chosen,
            self.scored.scores,
            self.scored.predicted,
            self.inter.item_ids,
            neighbour_count=self.scored.neighbour_count,
            neighbour_rating=self.scored.neighbour_rating,
            similar_items=similar,
            titles=self.inter.item_titles,
            product_neighbour_count=self.here,
            new_items=self.cold,
            prefer_similar=self.prefer_similar,
        )
        rows: list[tuple[float, int, RecommendedItem]] = [
            (
                r.score,
                n,
                _item(r.item_id, r.score, r.predicted_rating, r.reason, r.reason_text),
            )
            for n, r in enumerate(ranked)
        ]
        for n in range(len(self.outside)):
            reason = {"kind": "new"}
            if self.outside.resembles[n] >= 0:
                reason = {
                    "kind": "resembles",
                    "item_id": int(self.outside.resembles[n]),
                }
            score = float(self.outside_scores[n])
            text = _OUTSIDE_TEXT[reason["kind"]]
            item = _item(int(self.outside.item_ids[n]), score, 0.0, reason, text)
            rows.append((score, len(ranked) + n, item))
        # stable: among equal scores the rated order, then the outside order
        rows.sort(key=lambda row: (-row[0], row[1]))
        out = [row[2] for row in rows[:k]]
        for rank, item in enumerate(out, start=1):
            item.rank = rank
        return out


_OUTSIDE_TEXT = {
    "resembles": "its content resembles a favourite of yours",
    "new": "new here, close to the genres and years you chose",
}


def _item(
    item_id: int, score: float, predicted: float, reason: dict[str, Any], text: str
) -> RecommendedItem:
    return RecommendedItem(
        item_id=item_id,
        rank=0,
        score=round(score, 6),
        predicted_rating=round(predicted, 4),
        reason=text,
        reason_data=reason,
    )
