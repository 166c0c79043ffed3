"""Interaction matrices, id maps and demographic/genre features (no Django)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp

from catalog.movielens import OCCUPATIONS, SURVEY_OCCUPATIONS

# Age bands as in MovieLens 1M: <18, 18-24, 25-34, 35-44, 45-49, 50-55, 56+.
# Code 0 means unknown, bands are 1..7.
AGE_BAND_EDGES: tuple[int, ...] = (18, 25, 35, 45, 50, 56)
N_AGE_CODES = len(AGE_BAND_EDGES) + 2  # unknown + 7 bands

# Gender: 0 = X / unknown, 1 = M, 2 = F.
GENDER_CODES: dict[str, int] = {"M": 1, "F": 2}
N_GENDER_CODES = 3

# The MovieLens occupation vocabulary (catalog.movielens is plain Python, no Django).
DEFAULT_OCCUPATIONS: tuple[str, ...] = tuple(OCCUPATIONS)
# Occupation: 0 = unknown, 1..21 = DEFAULT_OCCUPATIONS (same order as catalog).
N_OCCUPATION_CODES = len(DEFAULT_OCCUPATIONS) + 1
_OCCUPATION_INDEX = {name: i + 1 for i, name in enumerate(DEFAULT_OCCUPATIONS)}
# A survey's everyday answer (회사원) reads as the ml-100k occupation it maps to.
_OCCUPATION_INDEX.update(
    {answer: _OCCUPATION_INDEX[name] for answer, name in SURVEY_OCCUPATIONS.items()}
)

DEMO_FIELDS: tuple[str, ...] = ("age_band", "gender", "occupation")
DEMO_CARDINALITIES: tuple[int, ...] = (
    N_AGE_CODES,
    N_GENDER_CODES,
    N_OCCUPATION_CODES,
)


def product_user_id(account_id: int) -> int:
    """External training id of a product account (negative, never a data-set id)."""
    return -int(account_id)


def is_product_user(user_ids: np.ndarray) -> np.ndarray:
    """Boolean mask: which external user ids are product users (negative ids)."""
    return np.asarray(user_ids, dtype=np.int64) < 0


def age_band(age: int | float | None) -> int:
    """Age in years -> band code (0 = unknown, 1..7)."""
    if age is None or (isinstance(age, float) and np.isnan(age)) or age <= 0:
        return 0
    return int(np.searchsorted(AGE_BAND_EDGES, age, side="right")) + 1


def age_bands(ages: np.ndarray) -> np.ndarray:
    """Vectorised age_band over an array (NaN/<=0 -> 0)."""
    ages = np.asarray(ages, dtype=np.float64)
    codes = np.searchsorted(AGE_BAND_EDGES, ages, side="right") + 1
    return np.where(np.isnan(ages) | (ages <= 0), 0, codes).astype(np.int64)


def gender_code(gender: str | None) -> int:
    """'M' -> 1, 'F' -> 2, anything else ('X', None) -> 0."""
    if not gender:
        return 0
    return GENDER_CODES.get(str(gender).strip().upper(), 0)


def occupation_code(occupation: str | None) -> int:
    """Occupation name -> code (0 = unknown)."""
    if not occupation:
        return 0
    return _OCCUPATION_INDEX.get(str(occupation).strip().lower(), 0)


def encode_demographics(
    age: int | float | None, gender: str | None, occupation: str | None
) -> np.ndarray:
    """Encode one survey user as int64 [age_band, gender, occupation] codes."""
    return np.array(
        [age_band(age), gender_code(gender), occupation_code(occupation)],
        dtype=np.int64,
    )


def _encode_users_frame(users: pd.DataFrame | None, user_ids: np.ndarray) -> np.ndarray:
    demo = np.zeros((len(user_ids), 3), dtype=np.int64)
    if users is None or len(users) == 0:
        return demo
    frame = users.drop_duplicates("user_id").set_index("user_id")
    frame = frame.reindex(user_ids)
    if "age" in frame:
        demo[:, 0] = age_bands(pd.to_numeric(frame["age"], errors="coerce").to_numpy())
    if "gender" in frame:
        genders = frame["gender"].astype("object").fillna("").astype(str).str.upper()
        demo[:, 1] = genders.map(GENDER_CODES).fillna(0).to_numpy(dtype=np.int64)
    if "occupation" in frame:
        occ = frame["occupation"].astype("object").fillna("").astype(str).str.lower()
        demo[:, 2] = occ.map(_OCCUPATION_INDEX).fillna(0).to_numpy(dtype=np.int64)
    return demo


def _genre_matrix(
    movies: pd.DataFrame | None, item_ids: np.ndarray, genre_names: Sequence[str] | None
) -> tuple[np.ndarray, list[str]]:
    if movies is None or "genres" not in movies or len(movies) == 0:
        names = list(genre_names or [])
        return np.zeros((len(item_ids), len(names)), dtype=np.float32), names
    frame = movies.drop_duplicates("movie_id").set_index("movie_id")["genres"]
    frame = frame.reindex(item_ids)
    exploded = frame.explode().dropna()
    if genre_names is None:
        names = sorted(set(exploded.astype(str)))
    else:
        names = list(genre_names)
    col = {name: j for j, name in enumerate(names)}
    pos = pd.Series(np.arange(len(item_ids)), index=item_ids)
    rows = pos.reindex(exploded.index).to_numpy()
    cols = exploded.astype(str).map(col)
    keep = cols.notna().to_numpy()
    matrix = np.zeros((len(item_ids), len(names)), dtype=np.float32)
    matrix[rows[keep], cols[keep].to_numpy(dtype=np.int64)] = 1.0
    return matrix, names


@dataclass
class Interactions:
    """Ratings as a users x items CSR matrix plus id maps and side features."""

    user_ids: np.ndarray  # external user ids, index -> id (int64)
    item_ids: np.ndarray  # external item ids, index -> id (int64)
    ratings: sp.csr_matrix  # n_users x n_items, float32, 0 = unrated
    user_demo: np.ndarray  # n_users x 3 int64 codes (age_band, gender, occupation)
    item_genres: np.ndarray  # n_items x n_genres float32 multi-hot
    genre_names: list[str]
    item_titles: dict[int, str] = field(default_factory=dict)  # external id -> title
    item_years: np.ndarray | None = None  # n_items float64 release year, NaN unknown
    user_index: dict[int, int] = field(default_factory=dict)
    item_index: dict[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.user_index:
            self.user_index = {int(u): i for i, u in enumerate(self.user_ids)}
        if not self.item_index:
            self.item_index = {int(m): i for i, m in enumerate(self.item_ids)}
        if self.item_years is None:
            self.item_years = np.full(len(self.item_ids), np.nan)

    @property
    def n_users(self) -> int:
        """Number of users."""
        return int(self.ratings.shape[0])

    @property
    def n_items(self) -> int:
        """Number of items."""
        return int(self.ratings.shape[1])

    @property
    def global_mean(self) -> float:
        """Mean of all observed ratings (3.5 when there are none)."""
        return float(self.ratings.data.mean()) if self.ratings.nnz else 3.5

    def favourites(self, threshold: float = 4.0) -> sp.csr_matrix:
        """Binary CSR (float32) of ratings >= threshold."""
        fav = self.ratings.copy()
        fav.data = (fav.data >= threshold).astype(np.float32)
        fav.eliminate_zeros()
        return fav

    def seen(self) -> sp.csr_matrix:
        """Binary CSR (float32) of all rated items."""
        seen = self.ratings.copy()
        seen.data = np.ones_like(seen.data, dtype=np.float32)
        return seen

    def to_triples(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(user_idx, item_idx, rating) arrays of all observed ratings."""
        coo = self.ratings.tocoo()
        return (
            coo.row.astype(np.int64),
            coo.col.astype(np.int64),
            coo.data.astype(np.float32),
        )

    def map_items(self, external_ids: Sequence[int] | np.ndarray) -> np.ndarray:
        """External item ids -> indices; unknown ids are dropped (order kept)."""
        get = self.item_index.get
        idx = [get(int(m), -1) for m in external_ids]
        return np.array([i for i in idx if i >= 0], dtype=np.int64)

    def map_item_frame(
        self, users: np.ndarray, items: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """External (user, item) id arrays -> index arrays (-1 where unknown)."""
        u = pd.Index(self.user_ids).get_indexer(np.asarray(users, dtype=np.int64))
        i = pd.Index(self.item_ids).get_indexer(np.asarray(items, dtype=np.int64))
        return u.astype(np.int64), i.astype(np.int64)


def interactions_from_frames(
    ratings: pd.DataFrame,
    users: pd.DataFrame | None = None,
    movies: pd.DataFrame | None = None,
    *,
    genre_names: Sequence[str] | None = None,
) -> Interactions:
    """Build Interactions: items = movie ids plus any rated id; users = raters."""
    r_users = ratings["user_id"].to_numpy(dtype=np.int64)
    r_items = ratings["movie_id"].to_numpy(dtype=np.int64)
    values = ratings["rating"].to_numpy(dtype=np.float32)
    user_ids = np.unique(r_users)
    if movies is not None and len(movies):
        item_ids = np.union1d(movies["movie_id"].to_numpy(dtype=np.int64), r_items)
    else:
        item_ids = np.unique(r_items)
    rows = np.searchsorted(user_ids, r_users)
    cols = np.searchsorted(item_ids, r_items)
    matrix = sp.csr_matrix(
        (values, (rows, cols)), shape=(len(user_ids), len(item_ids)), dtype=np.float32
    )
    matrix.sum_duplicates()
    demo = _encode_users_frame(users, user_ids)
    genres, names = _genre_matrix(movies, item_ids, genre_names)
    titles: dict[int, str] = {}
    if movies is not None and "title" in movies:
        titles = dict(
            zip(
                movies["movie_id"].astype(int).tolist(),
                movies["title"].astype(str).tolist(),
                strict=True,
            )
        )
    years = np.full(len(item_ids), np.nan)
    if movies is not None and "year" in movies:
        frame = movies.drop_duplicates("movie_id").set_index("movie_id")["year"]
        years = pd.to_numeric(frame.reindex(item_ids), errors="coerce").to_numpy(
            dtype=np.float64
        )
    return Interactions(
        user_ids=user_ids,
        item_ids=item_ids,
        ratings=matrix,
        user_demo=demo,
        item_genres=genres,
        genre_names=names,
        item_titles=titles,
        item_years=years,
    )
