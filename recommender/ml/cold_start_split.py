"""Cold-start split: held-out survey users and the training data without them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .data import Interactions, interactions_from_frames


def survey_demographics(
    demo_frame: pd.DataFrame | None, user: int
) -> tuple[Any, Any, Any]:
    """(age, gender, occupation) of a data set user; Nones when unknown."""
    if demo_frame is None or user not in demo_frame.index:
        return None, None, None
    row = demo_frame.loc[user]
    return row.get("age"), row.get("gender"), row.get("occupation")


@dataclass
class ColdStartSplit:
    """Held-out survey users and the training interactions without them.

    `rng` is the generator the users were drawn with; `draw_survey` continues it,
    so every caller with the same seed sees the same surveys.
    """

    rng: np.random.Generator
    eligible: np.ndarray  # user ids with >= min_favourites favourites
    held: np.ndarray  # user ids held out (sorted)
    inter: Interactions  # training interactions, held-out users removed
    fav_by_user: pd.Series  # user id -> sorted favourite movie ids
    n_given: int

    def draw_survey(self, user: int) -> tuple[np.ndarray, set[int]]:
        """A survey for a held-out user: `n_given` favourites drawn at random
        (item indices, sorted) and the rest of the favourites as the truth."""
        favs = self.inter.map_items(self.fav_by_user[user])
        given = np.sort(self.rng.choice(favs, size=self.n_given, replace=False))
        return given, set(np.setdiff1d(favs, given).tolist())


def cold_start_split(
    ratings_df: pd.DataFrame,
    users_df: pd.DataFrame | None,
    movies_df: pd.DataFrame | None,
    *,
    seed: int = 0,
    holdout_fraction: float = 0.2,
    min_favourites: int = 20,
    n_given: int = 10,
    threshold: float = 4.0,
) -> ColdStartSplit:
    """Hold out a random `holdout_fraction` of the users with enough favourites."""
    rng = np.random.default_rng(seed)
    fav_rows = ratings_df[ratings_df["rating"] >= threshold]
    fav_counts = fav_rows.groupby("user_id").size()
    eligible = np.sort(fav_counts[fav_counts >= min_favourites].index.to_numpy())
    n_hold = max(1, int(round(len(eligible) * holdout_fraction)))
    held = np.sort(rng.choice(eligible, size=n_hold, replace=False))
    train_df = ratings_df[~ratings_df["user_id"].isin(held)]
    return ColdStartSplit(
        rng=rng,
        eligible=eligible,
        held=held,
        inter=interactions_from_frames(train_df, users_df, movies_df),
        fav_by_user=fav_rows.groupby("user_id")["movie_id"].apply(np.sort),
        n_given=n_given,
    )
