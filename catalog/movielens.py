"""Readers for the MovieLens file formats (ml-100k, ml-1m, ml-latest/ml-25m).

Plain pandas, no Django: the import command, the evaluation and the benchmarks all
read MovieLens through this one module. Every reader validates strictly and raises
``MovieLensFormatError`` naming the file and the 1-based line of the first bad row,
so a truncated or corrupt file is refused before anything is written.
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

ML100K_URL = "https://files.grouplens.org/datasets/movielens/ml-100k.zip"

# sha256 of the files inside the official ml-100k.zip; the download is verified
# against these (GroupLens publishes no checksum for the zip itself).
ML100K_SHA256 = {
    "u.data": "06416e597f82b7342361e41163890c81036900f418ad91315590814211dca490",
    "u.item": "553841ebc7de3a0fd0d6b62a204ea30c1e651aacfb2814c7a6584ac52f2c5701",
    "u.user": "f120e114da2e8cf314fd28f99417c94ae9ddf1cb6db8ce0e4b5995d40e90e62c",
}

ML100K_GENRES = [
    "unknown",
    "Action",
    "Adventure",
    "Animation",
    "Children's",
    "Comedy",
    "Crime",
    "Documentary",
    "Drama",
    "Fantasy",
    "Film-Noir",
    "Horror",
    "Musical",
    "Mystery",
    "Romance",
    "Sci-Fi",
    "Thriller",
    "War",
    "Western",
]

OCCUPATIONS = [
    "administrator",
    "artist",
    "doctor",
    "educator",
    "engineer",
    "entertainment",
    "executive",
    "healthcare",
    "homemaker",
    "lawyer",
    "librarian",
    "marketing",
    "none",
    "other",
    "programmer",
    "retired",
    "salesman",
    "scientist",
    "student",
    "technician",
    "writer",
]

# Everyday answers in Korea that ml-100k has no word for (회사원, 공무원, ...) -> the
# ml-100k occupation the model reads them as. Surveys store the answer as chosen
# (so it is shown back as chosen); the model maps it (recommender.ml.data).
SURVEY_OCCUPATIONS = {
    "office_worker": "administrator",
    "civil_servant": "administrator",
    "self_employed": "executive",
    "freelancer": "other",
    "job_seeker": "none",
    "military": "other",
}
# Every answer a survey or profile may store.
OCCUPATION_CHOICES = [*OCCUPATIONS, *SURVEY_OCCUPATIONS]

# ml-1m codes its occupations 0..20 (README of ml-1m); mapped onto the ml-100k names.
ML1M_OCCUPATIONS = {
    0: "other",
    1: "educator",
    2: "artist",
    3: "administrator",
    4: "student",
    5: "student",
    6: "doctor",
    7: "executive",
    8: "scientist",
    9: "homemaker",
    10: "student",
    11: "lawyer",
    12: "programmer",
    13: "retired",
    14: "marketing",
    15: "scientist",
    16: "other",
    17: "technician",
    18: "other",
    19: "none",
    20: "writer",
}

_TITLE_YEAR = re.compile(r"^(?P<title>.*?)\s*\((?P<year>\d{4})(?:[-–]\d{0,4})?\)\s*$")


class MovieLensFormatError(ValueError):
    """A MovieLens file is missing, truncated or malformed."""


@dataclass
class MovieLensDataset:
    """Movies, users (None where the format has no demographics) and ratings."""

    format: str
    movies: (
        pd.DataFrame
    )  # movie_id, title, year, release_date, imdb_id, tmdb_id, genres
    users: pd.DataFrame | None  # user_id, age, gender, occupation, zip_code
    ratings: pd.DataFrame  # user_id, movie_id, rating (float32), timestamp (int64)


def split_title(raw: str) -> tuple[str, int | None]:
    """'Toy Story (1995)' -> ('Toy Story', 1995); titles without a year keep None."""
    raw = raw.strip()
    match = _TITLE_YEAR.match(raw)
    if not match:
        return raw, None
    return match.group("title").strip(), int(match.group("year"))


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


def resolve_source(source: str, download_dir: Path) -> Path:
    """Turn a directory, a .zip or an https URL into a directory of MovieLens files."""
    if source.startswith(("http://", "https://")):
        return _download(source, download_dir)
    path = Path(source).expanduser()
    if path.is_dir():
        return path
    if path.is_file() and path.suffix == ".zip":
        return _extract_zip(path, download_dir / path.stem)
    raise MovieLensFormatError(f"{source}: not a directory, a .zip file or a URL")


def verify_checksums(folder: Path, expected: dict[str, str]) -> None:
    """Raise if any of the named files does not have the expected sha256."""
    for name, digest in expected.items():
        path = folder / name
        if not path.exists():
            raise MovieLensFormatError(f"{path}: missing")
        actual = hashlib.sha256(path.read_bytes()).hexdigest()
        if actual != digest:
            raise MovieLensFormatError(
                f"{path}: checksum mismatch (sha256 {actual}, expected {digest})"
            )


def _download(url: str, download_dir: Path) -> Path:
    import requests  # only needed for the network path

    name = Path(url.split("?")[0]).name or "movielens.zip"
    target = download_dir / Path(name).stem
    if target.exists():
        return target
    download_dir.mkdir(parents=True, exist_ok=True)
    zip_path = download_dir / name
    if not zip_path.exists():
        partial = zip_path.with_suffix(".part")
        with requests.get(url, stream=True, timeout=60) as response:
            response.raise_for_status()
            with partial.open("wb") as out:
                for chunk in response.iter_content(1 << 20):
                    out.write(chunk)
        partial.rename(zip_path)
    folder = _extract_zip(zip_path, target)
    if url == ML100K_URL:
        _, data_dir = detect_format(folder)
        verify_checksums(data_dir, ML100K_SHA256)
    return folder


def _extract_zip(zip_path: Path, target: Path) -> Path:
    if target.exists():
        return target
    try:
        with zipfile.ZipFile(zip_path) as archive:
            tmp = Path(
                tempfile.mkdtemp(dir=target.parent if target.parent.exists() else None)
            )
            archive.extractall(tmp)
    except zipfile.BadZipFile as exc:
        raise MovieLensFormatError(f"{zip_path}: not a valid zip file ({exc})") from exc
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(tmp), str(target))
    return target


def _read_lines(path: Path, encoding: str) -> list[str]:
    if not path.exists():
        raise MovieLensFormatError(f"{path}: missing")
    raw = path.read_bytes()
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise MovieLensFormatError(f"{path}, line {line}: not {encoding} text") from exc
    lines = text.splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def _fail(path: Path, line: int, message: str) -> MovieLensFormatError:
    return MovieLensFormatError(f"{path}, line {line}: {message}")


def _numeric_table(
    path: Path,
    sep: str,
    columns: list[str],
    *,
    header: bool = False,
    encoding: str = "utf-8",
) -> pd.DataFrame:
    """Read a delimited all-numeric file, refusing short, long or non-numeric rows."""
    if not path.exists():
        raise MovieLensFormatError(f"{path}: missing")
    try:
        text = path.read_bytes().decode(encoding)
    except UnicodeDecodeError as exc:
        raise MovieLensFormatError(f"{path}: not {encoding} text") from exc
    if sep == "::":
        text = text.replace("::", "\t")
        sep = "\t"
    first = 2 if header else 1
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            header=0 if header else None,
            names=None if header else [*columns, "__extra"],
            dtype=str,
            keep_default_na=False,
        )
    except pd.errors.ParserError as exc:
        raise MovieLensFormatError(f"{path}: {exc}") from exc
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise _fail(path, 1, f"header lacks column(s) {', '.join(missing)}")
    if "__extra" in frame.columns:
        extra = (frame["__extra"] != "").to_numpy()
        if extra.any():
            raise _fail(path, int(np.argmax(extra)) + first, "too many fields")
    if frame.empty:
        raise MovieLensFormatError(f"{path}: no data rows")
    out = {}
    for column in columns:
        values = pd.to_numeric(frame[column], errors="coerce")
        bad = values.isna().to_numpy()
        if bad.any():
            row = int(np.argmax(bad))
            shown = frame[column].iloc[row]
            reason = f"missing {column}" if shown == "" else f"bad {column} {shown!r}"
            raise _fail(path, row + first, f"{reason} (file truncated or corrupt?)")
        out[column] = values.to_numpy()
    return pd.DataFrame(out)


def _ratings_frame(table: pd.DataFrame, path: Path, first_line: int) -> pd.DataFrame:
    rating = table["rating"].astype(np.float32)
    bad = ((rating < 0.5) | (rating > 5)).to_numpy()
    if bad.any():
        row = int(np.argmax(bad))
        raise _fail(path, row + first_line, f"rating {rating.iloc[row]} outside 0.5-5")
    frame = pd.DataFrame(
        {
            "user_id": table["user_id"].astype(np.int64),
            "movie_id": table["movie_id"].astype(np.int64),
            "rating": rating,
            "timestamp": table["timestamp"].astype(np.int64),
        }
    )
    dupes = frame.duplicated(["user_id", "movie_id"]).to_numpy()
    if dupes.any():
        row = int(np.argmax(dupes))
        raise _fail(
            path, row + first_line, "duplicate rating for the same user and movie"
        )
    return frame


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


def _split_genres(field: str) -> list[str]:
    return [g for g in field.split("|") if g and g != "(no genres listed)"]


def original_release_date(released: date | None, year: int | None) -> date | None:
    """ml-100k's date when it can be the original release, else None.

    The field holds a year stored as January 1 for most films ("01-Jan-1981" for
    Raiders: not a date) and the video or re-release date for others ("14-Mar-1997"
    for Return of the Jedi, 1983): only a date in the film's own year that is not
    January 1 is kept.
    """
    if released is None or year is None or released.year != year:
        return None
    if (released.month, released.day) == (1, 1):
        return None
    return released


def _parse_date(field: str) -> date | None:
    if not field:
        return None
    try:
        return datetime.strptime(field, "%d-%b-%Y").date()
    except ValueError:
        return None


def _movies_frame(rows: list[dict], path: Path) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    if frame.empty:
        raise MovieLensFormatError(f"{path}: no movies")
    dupes = frame["movie_id"].duplicated().to_numpy()
    if dupes.any():
        raise _fail(path, int(np.argmax(dupes)) + 1, "duplicate movie id")
    return frame


def _users_frame(rows: list[dict], path: Path) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    if frame.empty:
        raise MovieLensFormatError(f"{path}: no users")
    dupes = frame["user_id"].duplicated().to_numpy()
    if dupes.any():
        raise _fail(path, int(np.argmax(dupes)) + 1, "duplicate user id")
    return frame


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
