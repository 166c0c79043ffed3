"""Services that write the catalogue."""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pandas as pd
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from catalog import movielens
from catalog.models import DatasetUser, Genre, Movie, Platform, Rating
from catalog.regions import Region
from catalog.selectors import search_index_clear
from ottsite.lib.errors import Conflict, NotFound, ValidationFailed
from ottsite.lib.generations import catalog_changed

logger = logging.getLogger(__name__)

Progress = Callable[[str, int], None]  # (stage, rows done in that stage)


class CatalogImportError(Exception):
    """An import source is missing, malformed or inconsistent."""


@dataclass(frozen=True)
class ImportSummary:
    source: str
    format: str
    movies: int
    users: int
    ratings: int
    seconds: float

    def line(self) -> str:
        return (
            f"Imported {self.format} as '{self.source}': {self.movies:,} movies, "
            f"{self.users:,} users, {self.ratings:,} ratings in {self.seconds:.1f} s"
        )


def movielens_source_default() -> str:
    """The configured MovieLens source, else the official ml-100k download."""
    return settings.MOVIELENS_SOURCE or movielens.ML100K_URL


def movielens_import(
    *, source: str | None = None, progress: Progress | None = None
) -> ImportSummary:
    """Import a MovieLens directory, zip or URL in one transaction; idempotent."""
    started = time.perf_counter()
    report = progress or (lambda stage, n: None)
    try:
        folder = movielens.resolve_source(
            source or movielens_source_default(), settings.DATASETS_DIR
        )
        dataset = movielens.read_dataset(folder)
    except movielens.MovieLensFormatError as exc:
        raise CatalogImportError(str(exc)) from exc
    except OSError as exc:
        raise CatalogImportError(f"cannot read {source}: {exc}") from exc
    report("read", len(dataset.ratings))

    with transaction.atomic():
        _genres_upsert(dataset)
        _movies_upsert(dataset)
        report("movies", len(dataset.movies))
        _users_upsert(dataset)
        report("users", 0 if dataset.users is None else len(dataset.users))
        _ratings_replace(dataset)
        report("ratings", len(dataset.ratings))
        transaction.on_commit(search_index_clear)

    users = dataset.users
    return ImportSummary(
        source=dataset.format,
        format=dataset.format,
        movies=len(dataset.movies),
        users=len(users) if users is not None else dataset.ratings["user_id"].nunique(),
        ratings=len(dataset.ratings),
        seconds=time.perf_counter() - started,
    )


def _copy(cursor, table: str, columns: list[str], frame: pd.DataFrame) -> None:
    """Bulk load a frame into a (temporary) table with COPY, in 64k-row chunks."""
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, NULL '')"
    with cursor.copy(sql) as copy:
        for start in range(0, len(frame), 65536):
            buffer = io.StringIO()
            frame.iloc[start : start + 65536].to_csv(buffer, header=False, index=False)
            copy.write(buffer.getvalue())


def _temp_table(cursor, name: str, columns: str) -> None:
    # DROP first: an outer transaction (a test, a caller's atomic) can hold one
    # import's ON COMMIT DROP tables when the next import starts.
    cursor.execute(f"DROP TABLE IF EXISTS {name}")
    cursor.execute(f"CREATE TEMP TABLE {name} ({columns}) ON COMMIT DROP")


def _genres_upsert(dataset: movielens.MovieLensDataset) -> None:
    names = sorted({g for genres in dataset.movies["genres"] for g in genres})
    Genre.objects.bulk_create(
        [Genre(name=n) for n in names], ignore_conflicts=True, batch_size=1000
    )


def _movies_upsert(dataset: movielens.MovieLensDataset) -> None:
    source = dataset.format
    movies = dataset.movies.assign(source=source)
    movies["year"] = movies["year"].astype("Int64")
    movies["tmdb_id"] = movies["tmdb_id"].astype("Int64")
    movies["imdb_id"] = movies["imdb_id"].fillna("")
    columns = [
        "source",
        "movie_id",
        "title",
        "year",
        "release_date",
        "imdb_id",
        "tmdb_id",
    ]
    movie_table = Movie._meta.db_table
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor
        _temp_table(
            cursor,
            "tmp_movie",
            "source text, movie_id bigint, title text, "
            "year int, release_date date, imdb_id text, tmdb_id bigint",
        )
        _copy(cursor, "tmp_movie", columns, movies[columns])
        cursor.execute(
            f"""
            INSERT INTO {movie_table}
                (source, source_id, title, year, release_date, imdb_id, tmdb_id,
                 created_at, updated_at)
            SELECT source, movie_id, left(title, 300), year, release_date,
                   coalesce(imdb_id, ''),
                   tmdb_id, now(), now()
            FROM tmp_movie
            ON CONFLICT (source, source_id) DO UPDATE SET
                title = EXCLUDED.title, year = EXCLUDED.year,
                release_date = EXCLUDED.release_date,
                imdb_id = CASE WHEN EXCLUDED.imdb_id <> '' THEN EXCLUDED.imdb_id
                               ELSE {movie_table}.imdb_id END,
                tmdb_id = COALESCE(EXCLUDED.tmdb_id, {movie_table}.tmdb_id),
                updated_at = now()
            """
        )
        links = movies[["movie_id", "genres"]].explode("genres").dropna()
        through = Movie.genres.through._meta.db_table
        genre_table = Genre._meta.db_table
        _temp_table(cursor, "tmp_movie_genre", "movie_id bigint, genre text")
        _copy(cursor, "tmp_movie_genre", ["movie_id", "genre"], links)
        cursor.execute(
            f"""
            DELETE FROM {through} t USING {movie_table} m
            WHERE t.movie_id = m.id AND m.source = %s
            """,
            [source],
        )
        cursor.execute(
            f"""
            INSERT INTO {through} (movie_id, genre_id)
            SELECT m.id, g.id FROM tmp_movie_genre l
            JOIN {movie_table} m ON m.source = %s AND m.source_id = l.movie_id
            JOIN {genre_table} g ON g.name = l.genre
            ON CONFLICT DO NOTHING
            """,
            [source],
        )


def _users_upsert(dataset: movielens.MovieLensDataset) -> None:
    source = dataset.format
    if dataset.users is not None:
        users = dataset.users.copy()
    else:
        # ml-latest has no demographics: the raters exist, their attributes stay empty.
        ids = pd.Series(dataset.ratings["user_id"].unique(), name="user_id")
        users = pd.DataFrame(
            {
                "user_id": ids,
                "age": pd.NA,
                "gender": "",
                "occupation": "",
                "zip_code": "",
            }
        )
    users["age"] = users["age"].astype("Int64")
    users["source"] = source
    columns = ["source", "user_id", "age", "gender", "occupation", "zip_code"]
    table = DatasetUser._meta.db_table
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor
        _temp_table(
            cursor,
            "tmp_user",
            "source text, user_id bigint, age int, gender text, occupation text, "
            "zip_code text",
        )
        _copy(cursor, "tmp_user", columns, users[columns])
        cursor.execute(
            f"""
            INSERT INTO {table} (source, source_id, age, gender, occupation, zip_code)
            SELECT source, user_id, age, coalesce(gender, ''), coalesce(occupation, ''),
                   coalesce(zip_code, '')
            FROM tmp_user
            ON CONFLICT (source, source_id) DO UPDATE SET
                age = EXCLUDED.age, gender = EXCLUDED.gender,
                occupation = EXCLUDED.occupation, zip_code = EXCLUDED.zip_code
            """
        )


def _ratings_replace(dataset: movielens.MovieLensDataset) -> None:
    """Replace the source's ratings wholesale: a re-import equals the files."""
    source = dataset.format
    table = Rating._meta.db_table
    users = DatasetUser._meta.db_table
    # Resolve catalogue ids in pandas and COPY straight into the ratings table: joining
    # a 1M-row temp table in SQL was several times slower on this machine.
    user_ids = pd.Series(
        dict(DatasetUser.objects.filter(source=source).values_list("source_id", "id"))
    )
    movie_ids = pd.Series(
        dict(Movie.objects.filter(source=source).values_list("source_id", "id"))
    )
    ratings = pd.DataFrame(
        {
            "user_id": dataset.ratings["user_id"].map(user_ids).astype("int64"),
            "movie_id": dataset.ratings["movie_id"].map(movie_ids).astype("int64"),
            "rating": dataset.ratings["rating"],
            "rated_at": pd.to_datetime(
                dataset.ratings["timestamp"], unit="s", utc=True
            ),
        }
    )
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor
        cursor.execute(
            f"DELETE FROM {table} r USING {users} u "
            "WHERE r.user_id = u.id AND u.source = %s",
            [source],
        )
        _copy(cursor, table, ["user_id", "movie_id", "rating", "rated_at"], ratings)


# Movies added by hand get ids of their own, apart from any dataset's.
MANUAL_SOURCE = "manual"
PLATFORM_FIELDS = (
    "name",
    "slug",
    "region",
    "monthly_price",
    "currency",
    "homepage",
    "tmdb_provider_id",
    "is_active",
)


def _genres_resolve(names: Sequence[str]) -> list[Genre]:
    # A handful of genres exist; matching them case-insensitively in Python is simplest.
    found = {g.name.lower(): g for g in Genre.objects.all()}
    unknown = [n for n in names if n.lower() not in found]
    if unknown:
        raise ValidationFailed(
            {
                "genres": [
                    _("Unknown genre(s): %(names)s") % {"names": ", ".join(unknown)}
                ]
            }
        )
    return [found[n.lower()] for n in dict.fromkeys(names)]


def movie_create(
    *, title: str, year: int | None = None, genres: Sequence[str] = ()
) -> Movie:
    """Add a movie by hand (source 'manual', next free id)."""
    genre_objs = _genres_resolve(genres)
    try:
        with transaction.atomic():
            last = Movie.objects.filter(source=MANUAL_SOURCE).aggregate(
                m=Max("source_id")
            )
            movie = Movie.objects.create(
                source=MANUAL_SOURCE,
                source_id=(last["m"] or 0) + 1,
                title=title,
                year=year,
            )
            movie.genres.set(genre_objs)
    except IntegrityError as exc:
        # Two staff members adding a movie at once can pick the same next id.
        raise Conflict(_("Another movie was added at the same time; retry.")) from exc
    transaction.on_commit(search_index_clear)
    return movie


def movie_update(*, movie_id: int, data: Mapping[str, Any]) -> Movie:
    """Change a movie's title, year or genres."""
    with transaction.atomic():
        movie = Movie.objects.select_for_update().filter(pk=movie_id).first()
        if movie is None:
            raise NotFound(_("No such movie."))
        genre_objs = _genres_resolve(data["genres"]) if "genres" in data else None
        for name in ("title", "year"):
            if name in data:
                setattr(movie, name, data[name])
        movie.save()
        if genre_objs is not None:
            movie.genres.set(genre_objs)
        transaction.on_commit(search_index_clear)
    return movie


def movie_delete(*, movie_id: int) -> None:
    """Remove a movie and everything that points at it."""
    deleted, _rows = Movie.objects.filter(pk=movie_id).delete()
    if not deleted:
        raise NotFound(_("No such movie."))
    transaction.on_commit(search_index_clear)


def _platform_check(platform: Platform, *, exclude_pk: int | None = None) -> None:
    if platform.region not in Region.values:
        raise ValidationFailed({"region": [_("Choose a supported region.")]})
    if platform.monthly_price is not None and platform.monthly_price < 0:
        raise ValidationFailed({"monthly_price": [_("A price cannot be negative.")]})
    taken = Platform.objects.filter(slug=platform.slug, region=platform.region)
    if taken.exclude(pk=exclude_pk).exists():
        raise Conflict(
            _("A platform with this slug already exists in the region."), field="slug"
        )


def platform_create(*, data: Mapping[str, Any]) -> Platform:
    """Add a streaming platform to a region."""
    fields = {k: v for k, v in data.items() if k in PLATFORM_FIELDS}
    if "monthly_price" in fields and fields["monthly_price"] is not None:
        fields["monthly_price"] = Decimal(str(fields["monthly_price"]))
    platform = Platform(**fields)
    with transaction.atomic():
        _platform_check(platform)
        platform.save()
    return platform


def platform_update(*, platform_id: int, data: Mapping[str, Any]) -> Platform:
    """Change a platform's name, price, TMDB id, activity and so on."""
    with transaction.atomic():
        platform = Platform.objects.select_for_update().filter(pk=platform_id).first()
        if platform is None:
            raise NotFound(_("No such platform."))
        for name, value in data.items():
            if name in PLATFORM_FIELDS:
                if name == "monthly_price" and value is not None:
                    value = Decimal(str(value))
                setattr(platform, name, value)
        _platform_check(platform, exclude_pk=platform.pk)
        platform.save()
        catalog_changed()
    return platform


def platform_delete(*, platform_id: int) -> None:
    """Remove a platform (its offers and subscriptions go with it)."""
    deleted, _rows = Platform.objects.filter(pk=platform_id).delete()
    if not deleted:
        raise NotFound(_("No such platform."))
