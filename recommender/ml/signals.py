"""Item-level candidate signals beside the NCF: EASE, RP3beta and demographic priors.

- EASE (Steck 2019): closed-form item-item weights over the binary favourites
  matrix. A dense Gram matrix is n_items^2, so for big catalogues it is fitted over
  the `max_items` most-favourited items only (the rest score NaN); the memory of
  the weights is `SignalModel.ease_bytes`.
- EDLAE (Steck 2020): EASE whose penalty adds dropout / (1 - dropout) times each
  item's own Gram entry, so popular items are shrunk more; same items, same memory.
- RP3beta (Paudel et al. 2017): three-step random walk user -> item -> user ->
  item with transition probabilities raised to `alpha`, divided by the target
  item's popularity^`beta`. Computed on the fly for the survey's items with two
  sparse mat-vecs (no item-item matrix is stored, no top-k pruning).
- Demographic prior: how much more often users sharing the survey's age band,
  gender or occupation have the item among their favourites than users overall.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from .baselines import ease_weights


@dataclass
class SignalModel:
    """Fitted EASE weights, RP3beta parameters and demographic favourite rates."""

    n_items: int
    ease_items: np.ndarray  # item indices covered by EASE, (m,)
    ease_b: np.ndarray  # (m, m) float32 EASE weights over ease_items
    ease_lambda: float
    rp3_alpha: float
    rp3_beta: float
    item_fav_rate: np.ndarray  # (n_items,) share of users with the item as favourite
    demo_fav_rate: list[np.ndarray] = field(default_factory=list)  # (codes, n_items)
    # EASE over the same items fitted on "rated at all" (any rating), not favourites
    ease_seen_b: np.ndarray | None = None
    # EDLAE (EASE with a dropout-emphasis penalty) over the same items
    edlae_b: np.ndarray | None = None
    edlae_lambda: float = 0.0
    edlae_dropout: float = 0.0
    _ease_pos: np.ndarray | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        pos = np.full(self.n_items, -1, dtype=np.int64)
        pos[self.ease_items] = np.arange(len(self.ease_items))
        self._ease_pos = pos

    @property
    def ease_bytes(self) -> int:
        """Memory held by the EASE weights."""
        extra = sum(b.nbytes for b in (self.ease_seen_b, self.edlae_b) if b is not None)
        return int(self.ease_b.nbytes + extra)

    def ease(self, query: np.ndarray) -> np.ndarray:
        """EASE score of every item for favourites `query` (NaN: not covered)."""
        return self._ease_with(self.ease_b, query)

    def ease_seen(self, query: np.ndarray) -> np.ndarray:
        """The rated-at-all EASE's score for `query` (all NaN when not fitted)."""
        if self.ease_seen_b is None:
            return np.full(self.n_items, np.nan)
        return self._ease_with(self.ease_seen_b, query)

    def edlae(self, query: np.ndarray) -> np.ndarray:
        """EDLAE score for `query` (all NaN when not fitted)."""
        if self.edlae_b is None:
            return np.full(self.n_items, np.nan)
        return self._ease_with(self.edlae_b, query)

    def _ease_with(self, weights: np.ndarray, query: np.ndarray) -> np.ndarray:
        assert self._ease_pos is not None
        out = np.full(self.n_items, np.nan)
        out[self.ease_items] = 0.0
        pos = self._ease_pos[np.asarray(query, dtype=np.int64)]
        pos = pos[pos >= 0]
        if len(pos):
            out[self.ease_items] = weights[pos].sum(axis=0, dtype=np.float64)
        return out

    def demo_prior(self, demo: np.ndarray) -> np.ndarray:
        """Mean over known demographic fields of log((rate in group + s)/(rate + s))."""
        demo = np.asarray(demo, dtype=np.int64)
        parts = []
        smooth = 0.01
        for j, table in enumerate(self.demo_fav_rate):
            code = int(demo[j]) if j < len(demo) else 0
            if code <= 0 or code >= table.shape[0]:
                continue
            parts.append(np.log((table[code] + smooth) / (self.item_fav_rate + smooth)))
        if not parts:
            return np.full(self.n_items, np.nan)
        return np.mean(parts, axis=0)

    def to_arrays(self) -> dict[str, np.ndarray]:
        """Flat dict for np.savez."""
        arrays = {
            "ease_items": self.ease_items,
            "ease_b": self.ease_b,
            "params": np.array(
                [self.n_items, self.ease_lambda, self.rp3_alpha, self.rp3_beta]
            ),
            "item_fav_rate": self.item_fav_rate,
        }
        for j, table in enumerate(self.demo_fav_rate):
            arrays[f"demo_fav_rate_{j}"] = table
        if self.ease_seen_b is not None:
            arrays["ease_seen_b"] = self.ease_seen_b
        if self.edlae_b is not None:
            arrays["edlae_b"] = self.edlae_b
            arrays["edlae_params"] = np.array([self.edlae_lambda, self.edlae_dropout])
        return arrays

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> SignalModel:
        """Inverse of to_arrays."""
        n_items, lam, alpha, beta = arrays["params"].tolist()
        n_tables = sum(1 for k in arrays if k.startswith("demo_fav_rate_"))
        edlae = arrays.get("edlae_params", np.zeros(2)).tolist()
        return cls(
            n_items=int(n_items),
            ease_items=arrays["ease_items"],
            ease_b=arrays["ease_b"],
            ease_lambda=float(lam),
            rp3_alpha=float(alpha),
            rp3_beta=float(beta),
            item_fav_rate=arrays["item_fav_rate"],
            demo_fav_rate=[arrays[f"demo_fav_rate_{j}"] for j in range(n_tables)],
            ease_seen_b=arrays.get("ease_seen_b"),
            edlae_b=arrays.get("edlae_b"),
            edlae_lambda=float(edlae[0]),
            edlae_dropout=float(edlae[1]),
        )


def most_favourited(fav: sp.csr_matrix, max_items: int) -> np.ndarray:
    """Indices of the `max_items` items with the most favourites (sorted by index)."""
    counts = np.diff(sp.csc_matrix(fav).indptr)
    if fav.shape[1] <= max_items:
        return np.arange(fav.shape[1], dtype=np.int64)
    top = np.argsort(-counts, kind="stable")[:max_items]
    return np.sort(top).astype(np.int64)


def demographic_rates(
    fav: sp.csr_matrix, user_demo: np.ndarray, cardinalities: tuple[int, ...]
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Overall and per-demographic-code share of users with each item as favourite."""
    n_users = fav.shape[0]
    binary = sp.csr_matrix(fav, dtype=np.float64, copy=True)
    binary.data[:] = 1.0
    active = np.diff(binary.indptr) > 0
    overall = np.asarray(binary.sum(axis=0)).ravel() / max(int(active.sum()), 1)
    tables = []
    for j, card in enumerate(cardinalities):
        codes = np.clip(np.asarray(user_demo[:, j], dtype=np.int64), 0, card - 1)
        onehot = sp.csr_matrix(
            (active.astype(np.float64), (codes, np.arange(n_users))),
            shape=(card, n_users),
        )
        counts = np.asarray((onehot @ binary).todense())
        group = np.asarray(onehot.sum(axis=1)).ravel()
        with np.errstate(divide="ignore", invalid="ignore"):
            rate = np.where(group[:, None] > 0, counts / group[:, None], overall)
        tables.append(rate.astype(np.float32))
    return overall.astype(np.float32), tables


def fit_signals(
    fav: sp.csr_matrix,
    user_demo: np.ndarray,
    *,
    ease_lambda: float = 500.0,
    rp3_alpha: float = 1.0,
    rp3_beta: float = 0.5,
    max_ease_items: int = 4000,
    cardinalities: tuple[int, ...] = (),
    seen: sp.spmatrix | None = None,
    edlae_lambda: float | None = None,
    edlae_dropout: float = 0.0,
) -> SignalModel:
    """Fit EASE over the most-favourited items and the demographic rates.

    With `seen` (the ratings matrix, any value = rated) a second EASE over the same
    items is fitted on rated-at-all, at the same lambda. With `edlae_lambda` an
    EDLAE over the same items (`edlae_dropout` its dropout probability).
    """
    ease_items = most_favourited(fav, max_ease_items)
    b = ease_weights(sp.csc_matrix(fav)[:, ease_items], ease_lambda)
    seen_b = None
    if seen is not None:
        rated = sp.csc_matrix(seen, dtype=np.float64, copy=True)
        rated.data[:] = 1.0
        seen_b = ease_weights(rated[:, ease_items], ease_lambda)
    edlae_b = None
    if edlae_lambda is not None:
        edlae_b = ease_weights(
            sp.csc_matrix(fav)[:, ease_items], edlae_lambda, dropout=edlae_dropout
        )
    overall, tables = demographic_rates(fav, user_demo, cardinalities)
    return SignalModel(
        n_items=fav.shape[1],
        ease_items=ease_items,
        ease_b=b,
        ease_lambda=float(ease_lambda),
        rp3_alpha=float(rp3_alpha),
        rp3_beta=float(rp3_beta),
        item_fav_rate=overall,
        demo_fav_rate=tables,
        ease_seen_b=seen_b,
        edlae_b=edlae_b,
        edlae_lambda=float(edlae_lambda or 0.0),
        edlae_dropout=float(edlae_dropout),
    )


def rp3beta_scores(
    fav: sp.csr_matrix,
    query_items: np.ndarray,
    *,
    alpha: float = 1.0,
    beta: float = 0.5,
    fav_by_item: sp.csr_matrix | None = None,
    item_degree: np.ndarray | None = None,
    user_degree: np.ndarray | None = None,
) -> np.ndarray:
    """RP3beta score of every item for a user whose favourites are `query_items`.

    score_i = sum_{j in query} sum_u (1/deg_j)^a * (1/deg_u)^a * X_uj X_ui / deg_i^b
    (the new user's own step 1/|query| is a constant and left out).
    """
    n_items = fav.shape[1]
    if fav_by_item is None:
        fav_by_item = sp.csr_matrix(fav.T)
    if item_degree is None:
        item_degree = np.diff(sp.csc_matrix(fav).indptr).astype(np.float64)
    if user_degree is None:
        user_degree = np.diff(fav.indptr).astype(np.float64)
    query = np.unique(np.asarray(query_items, dtype=np.int64))
    query = query[(query >= 0) & (query < n_items)]
    query = query[item_degree[query] > 0]
    if len(query) == 0:
        return np.zeros(n_items)
    step1 = np.asarray(
        fav_by_item[query].T @ (item_degree[query] ** -alpha), dtype=np.float64
    ).ravel()
    users = np.flatnonzero(step1)
    w = step1[users] * user_degree[users] ** -alpha
    walk = np.asarray(fav[users].T @ w, dtype=np.float64).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(item_degree > 0, walk / item_degree**beta, 0.0)
