"""Top-K selection with MMR genre diversity, exclusions and explanations."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from .matching import top_n_indices


@dataclass
class RankedItem:
    """One recommended item (internal index + external id) with its explanation."""

    item_index: int
    item_id: int
    rank: int
    score: float
    predicted_rating: float
    reason: dict[str, Any]
    reason_text: str


def genre_similarity(genres: np.ndarray) -> np.ndarray:
    """Pairwise Jaccard of multi-hot genre rows (1.0 for two genre-less items)."""
    g = (np.asarray(genres) > 0).astype(np.float32)
    inter = g @ g.T
    sizes = g.sum(axis=1)
    union = sizes[:, None] + sizes[None, :] - inter
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(union > 0, inter / union, 1.0).astype(np.float32)


def diverse_top_k(
    scores: np.ndarray,
    item_genres: np.ndarray,
    k: int = 20,
    *,
    diversity: float = 0.0,
    exclude: np.ndarray | None = None,
    pool_size: int = 200,
) -> np.ndarray:
    """Greedy MMR: argmax (1-d)*relevance - d*max genre-Jaccard to already chosen.

    `scores` has one entry per item; NaN/-inf entries and `exclude` are never
    returned. Relevance is the score min-max scaled over the candidate pool (the
    `pool_size` best items). diversity=0 gives the pure top-K by score; ties are
    broken by the smaller item index, so the result is deterministic.
    """
    s = np.asarray(scores, dtype=np.float64).copy()
    s[~np.isfinite(s)] = -np.inf
    if exclude is not None and len(exclude):
        ex = np.asarray(exclude, dtype=np.int64)
        s[ex[(ex >= 0) & (ex < len(s))]] = -np.inf
    n_valid = int(np.isfinite(s).sum())
    k = min(int(k), n_valid)
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    d = float(np.clip(diversity, 0.0, 1.0))
    pool = top_n_indices(s, k if d == 0 else max(k, min(pool_size, n_valid)))
    if d == 0:
        return pool[:k]
    rel = s[pool]
    span = rel.max() - rel.min()
    rel = (rel - rel.min()) / span if span > 0 else np.ones_like(rel)
    sim = genre_similarity(item_genres[pool])
    chosen: list[int] = []
    max_sim = np.zeros(len(pool))
    available = np.ones(len(pool), dtype=bool)
    for _ in range(k):
        mmr = (1.0 - d) * rel - d * max_sim
        mmr[~available] = -np.inf
        j = int(np.argmax(mmr))  # first max = higher score, then smaller index
        chosen.append(j)
        available[j] = False
        max_sim = np.maximum(max_sim, sim[j])
    return pool[np.array(chosen, dtype=np.int64)]


def explain(
    item_index: int,
    item_ids: np.ndarray,
    *,
    neighbour_count: int,
    neighbour_rating: float,
    similar_item: int | None,
    titles: Mapping[int, str] | None = None,
    min_neighbours: int = 2,
    prefer_similar: bool = False,
    product_count: int = 0,
    is_new: bool = False,
) -> tuple[dict[str, Any], str]:
    """Machine-readable reason dict and an English sentence for one item.

    `prefer_similar` names the similar favourite even when enough neighbours rated
    the item (the ranker found the item-item evidence stronger). `product_count`
    of the `neighbour_count` neighbours are the product's own users (people here),
    the others data-set (MovieLens) viewers; the reason says which. `is_new`:
    nobody has rated the item yet, it was placed by its genres and year.
    """
    if is_new:
        return {"kind": "new"}, "new here, close to the genres and years you chose"
    use_neighbours = neighbour_count >= min_neighbours and not prefer_similar
    if use_neighbours or similar_item is None:
        rating = round(float(neighbour_rating), 1)
        if neighbour_count <= 0:
            return (
                {"kind": "popular"},
                "popular with viewers who like the same kind of films",
            )
        here = int(min(max(product_count, 0), neighbour_count))
        if here == neighbour_count:
            text = f"{neighbour_count} people here who also chose your favourites"
        elif here == 0:
            text = f"{neighbour_count} MovieLens viewers who share your favourites"
        else:
            text = (
                f"{neighbour_count} viewers who share your favourites "
                f"({here} of them here)"
            )
        data = {
            "kind": "neighbours",
            "count": int(neighbour_count),
            "rating": rating,
            "here": here,
        }
        return data, f"{text} rated it {rating:.1f}"
    ext = int(item_ids[similar_item])
    title = (titles or {}).get(ext) or f"movie {ext}"
    return {"kind": "similar_to", "item_id": ext}, f"like {title} you chose"


def build_ranked_items(
    chosen: np.ndarray,
    scores: np.ndarray,
    predicted: np.ndarray,
    item_ids: np.ndarray,
    *,
    neighbour_count: np.ndarray,
    neighbour_rating: np.ndarray,
    similar_items: np.ndarray | None,
    titles: Mapping[int, str] | None = None,
    product_neighbour_count: np.ndarray | None = None,
    new_items: np.ndarray | None = None,
    prefer_similar: np.ndarray | None = None,
) -> list[RankedItem]:
    """Wrap chosen item indices into RankedItem objects with reasons."""
    out: list[RankedItem] = []
    new = set() if new_items is None else set(np.asarray(new_items).tolist())
    for rank, idx in enumerate(np.asarray(chosen, dtype=np.int64), start=1):
        sim_item = None if similar_items is None else int(similar_items[rank - 1])
        reason, text = explain(
            int(idx),
            item_ids,
            neighbour_count=int(neighbour_count[idx]),
            neighbour_rating=float(neighbour_rating[idx]),
            similar_item=sim_item if sim_item is not None and sim_item >= 0 else None,
            titles=titles,
            product_count=0
            if product_neighbour_count is None
            else int(product_neighbour_count[idx]),
            is_new=int(idx) in new,
            prefer_similar=bool(prefer_similar[idx])
            if prefer_similar is not None
            else False,
        )
        out.append(
            RankedItem(
                item_index=int(idx),
                item_id=int(item_ids[idx]),
                rank=rank,
                score=float(scores[idx]),
                predicted_rating=float(predicted[idx]),
                reason=reason,
                reason_text=text,
            )
        )
    return out
