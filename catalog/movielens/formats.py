"""Readers of the MovieLens formats (ml-100k, ml-1m, ml-latest/ml-25m), validated."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .parsing import (
    MovieLensDataset,
    MovieLensFormatError,
    _fail,
    _movies_frame,
    _numeric_table,
    _parse_date,
    _ratings_frame,
    _read_lines,
    _split_genres,
    _users_frame,
    original_release_date,
    split_title,
)
from .vocabulary import ML1M_OCCUPATIONS, ML100K_GENRES


def detect_format(directory: Path) -> tuple[str, Path]:
    """Return (format name, directory holding the files), looking one level down."""
    candidates = [directory, *sorted(p for p in directory.iterdir() if p.is_dir())]
    for folder in candidates:
        if (folder / "u.data").exists():
            return "ml-100k", folder
        if (folder / "ratings.dat").exists():
            return "ml-1m", folder
        if (folder / "ratings.csv").exists():
            return "ml-latest", folder
    raise MovieLensFormatError(
        f"{directory}: no MovieLens files found (expected u.data, ratings.dat or "
        "ratings.csv)"
    )


def read_dataset(directory: Path | str) -> MovieLensDataset:
    """Detect the format of a MovieLens directory and read it, validated."""
    fmt, folder = detect_format(Path(directory))
    reader = {"ml-100k": _read_ml100k, "ml-1m": _read_ml1m, "ml-latest": _read_latest}
    dataset = reader[fmt](folder)
    _check_references(dataset, folder)
    return dataset


def _read_ml100k(folder: Path) -> MovieLensDataset:
    genre_path = folder / "u.genre"
    genres = ML100K_GENRES
    if genre_path.exists():
        names = [ln.split("|")[0] for ln in _read_lines(genre_path, "latin-1") if ln]
        if names:
            genres = names

    item_path = folder / "u.item"
    movies = []
    for number, line in enumerate(_read_lines(item_path, "latin-1"), start=1):
        fields = line.split("|")
        if len(fields) != 5 + len(genres):
            raise _fail(
                item_path,
                number,
                f"expected {5 + len(genres)} fields, got {len(fields)}",
            )
        if not fields[0].isdigit() or any(f not in ("0", "1") for f in fields[5:]):
            raise _fail(item_path, number, "bad movie id or genre flags")
        title, year = split_title(fields[1])
        released = _parse_date(fields[2])
        if year is None and released is not None:
            year = released.year
        released = original_release_date(released, year)
        movies.append(
            {
                "movie_id": int(fields[0]),
                "title": title,
                "year": year,
                "release_date": released,
                "imdb_id": None,
                "tmdb_id": None,
                "genres": [
                    g for g, flag in zip(genres, fields[5:], strict=True) if flag == "1"
                ],
            }
        )

    user_path = folder / "u.user"
    users = []
    for number, line in enumerate(_read_lines(user_path, "latin-1"), start=1):
        fields = line.split("|")
        if len(fields) != 5 or not fields[0].isdigit() or not fields[1].isdigit():
            raise _fail(user_path, number, "expected id|age|gender|occupation|zip")
        if fields[2] not in ("M", "F"):
            raise _fail(user_path, number, f"bad gender {fields[2]!r}")
        users.append(
            {
                "user_id": int(fields[0]),
                "age": int(fields[1]),
                "gender": fields[2],
                "occupation": fields[3],
                "zip_code": fields[4],
            }
        )

    data_path = folder / "u.data"
    table = _numeric_table(
        data_path, "\t", ["user_id", "movie_id", "rating", "timestamp"]
    )
    return MovieLensDataset(
        format="ml-100k",
        movies=_movies_frame(movies, item_path),
        users=_users_frame(users, user_path),
        ratings=_ratings_frame(table, data_path, 1),
    )


def _read_ml1m(folder: Path) -> MovieLensDataset:
    movie_path = folder / "movies.dat"
    movies = []
    for number, line in enumerate(_read_lines(movie_path, "latin-1"), start=1):
        fields = line.split("::")
        if len(fields) != 3 or not fields[0].isdigit():
            raise _fail(movie_path, number, "expected MovieID::Title::Genres")
        title, year = split_title(fields[1])
        movies.append(
            {
                "movie_id": int(fields[0]),
                "title": title,
                "year": year,
                "release_date": None,
                "imdb_id": None,
                "tmdb_id": None,
                "genres": _split_genres(fields[2]),
            }
        )

    user_path = folder / "users.dat"
    users = []
    for number, line in enumerate(_read_lines(user_path, "latin-1"), start=1):
        fields = line.split("::")
        ok = len(fields) == 5 and fields[0].isdigit() and fields[2].isdigit()
        if not ok or fields[1] not in ("M", "F") or not fields[3].isdigit():
            raise _fail(
                user_path, number, "expected UserID::Gender::Age::Occupation::Zip"
            )
        occupation = ML1M_OCCUPATIONS.get(int(fields[3]))
        if occupation is None:
            raise _fail(user_path, number, f"unknown occupation code {fields[3]}")
        users.append(
            {
                "user_id": int(fields[0]),
                "age": int(fields[2]),
                "gender": fields[1],
                "occupation": occupation,
                "zip_code": fields[4],
            }
        )

    data_path = folder / "ratings.dat"
    table = _numeric_table(
        data_path, "::", ["user_id", "movie_id", "rating", "timestamp"]
    )
    return MovieLensDataset(
        format="ml-1m",
        movies=_movies_frame(movies, movie_path),
        users=_users_frame(users, user_path),
        ratings=_ratings_frame(table, data_path, 1),
    )


def _read_latest(folder: Path) -> MovieLensDataset:
    movie_path = folder / "movies.csv"
    if not movie_path.exists():
        raise MovieLensFormatError(f"{movie_path}: missing")
    try:
        raw = pd.read_csv(movie_path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise MovieLensFormatError(f"{movie_path}: {exc}") from exc
    if list(raw.columns[:3]) != ["movieId", "title", "genres"]:
        raise _fail(movie_path, 1, "header must be movieId,title,genres")
    links = {}
    link_path = folder / "links.csv"
    if link_path.exists():
        table = pd.read_csv(link_path, dtype=str, keep_default_na=False)
        for row in table.itertuples(index=False):
            links[row.movieId] = (row.imdbId, row.tmdbId)
    movies = []
    for number, row in enumerate(raw.itertuples(index=False), start=2):
        if not row.movieId.isdigit():
            raise _fail(movie_path, number, f"bad movieId {row.movieId!r}")
        title, year = split_title(row.title)
        imdb, tmdb = links.get(row.movieId, ("", ""))
        movies.append(
            {
                "movie_id": int(row.movieId),
                "title": title,
                "year": year,
                "release_date": None,
                "imdb_id": f"tt{int(imdb):07d}" if imdb.isdigit() else None,
                "tmdb_id": int(tmdb) if tmdb.isdigit() else None,
                "genres": _split_genres(row.genres),
            }
        )
    data_path = folder / "ratings.csv"
    table = _numeric_table(
        data_path, ",", ["userId", "movieId", "rating", "timestamp"], header=True
    ).rename(columns={"userId": "user_id", "movieId": "movie_id"})
    return MovieLensDataset(
        format="ml-latest",
        movies=_movies_frame(movies, movie_path),
        users=None,
        ratings=_ratings_frame(table, data_path, 2),
    )


def _check_references(dataset: MovieLensDataset, folder: Path) -> None:
    names = {"ml-100k": "u.data", "ml-1m": "ratings.dat", "ml-latest": "ratings.csv"}
    path = folder / names[dataset.format]
    first = 2 if dataset.format == "ml-latest" else 1
    ratings = dataset.ratings
    unknown = ~ratings["movie_id"].isin(dataset.movies["movie_id"]).to_numpy()
    if unknown.any():
        row = int(np.argmax(unknown))
        movie = ratings["movie_id"].iloc[row]
        raise _fail(path, row + first, f"movie {movie} is not in the movie list")
    if dataset.users is not None:
        unknown = ~ratings["user_id"].isin(dataset.users["user_id"]).to_numpy()
        if unknown.any():
            row = int(np.argmax(unknown))
            user = ratings["user_id"].iloc[row]
            raise _fail(path, row + first, f"user {user} is not in the user list")


def read_ml100k_split(
    folder: Path | str, name: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read an ml-100k split ('u1'..'u5', 'ua', 'ub') as (train, test) rating frames."""
    _, data_dir = detect_format(Path(folder))
    frames = []
    for part in ("base", "test"):
        path = data_dir / f"{name}.{part}"
        table = _numeric_table(
            path, "\t", ["user_id", "movie_id", "rating", "timestamp"]
        )
        frames.append(_ratings_frame(table, path, 1))
    return frames[0], frames[1]
