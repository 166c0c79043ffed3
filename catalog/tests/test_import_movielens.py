from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from catalog.models import DatasetUser, Genre, Movie, Rating
from catalog.movielens import MovieLensFormatError, read_dataset, split_title
from catalog.selectors import catalog_counts
from catalog.tests.movielens_files import (
    ML100K_RATINGS,
    write_latest,
    write_ml1m,
    write_ml100k,
)

pytestmark = pytest.mark.django_db


def test_it_splits_titles_and_years():
    assert split_title("Toy Story (1995)") == ("Toy Story", 1995)
    assert split_title("Usual Suspects, The (1995)") == ("Usual Suspects, The", 1995)
    assert split_title("Some Film") == ("Some Film", None)
    assert split_title("Babylon 5 (1994-1998)") == ("Babylon 5", 1994)


def test_it_imports_ml100k_with_demographics_and_latin1_titles(tmp_path):
    call_command("import_movielens", str(write_ml100k(tmp_path / "ml")))
    assert catalog_counts() == {"movies": 4, "users": 3, "ratings": 5}
    city = Movie.objects.get(source="ml-100k", source_id=3)
    assert city.title == "Cité des enfants perdus, La"
    assert city.year == 1995
    assert sorted(city.genres.values_list("name", flat=True)) == ["Adventure", "Sci-Fi"]
    user = DatasetUser.objects.get(source_id=2)
    assert (user.age, user.gender, user.occupation) == (53, "F", "other")
    assert Rating.objects.get(user__source_id=1, movie__source_id=1).rating == 5


def test_it_is_idempotent(tmp_path):
    folder = write_ml100k(tmp_path / "ml")
    call_command("import_movielens", str(folder))
    ids = set(Movie.objects.values_list("id", flat=True))
    call_command("import_movielens", str(folder))
    assert catalog_counts() == {"movies": 4, "users": 3, "ratings": 5}
    assert set(Movie.objects.values_list("id", flat=True)) == ids
    assert Genre.objects.filter(name="Comedy").count() == 1


def test_it_refuses_a_truncated_file_and_writes_nothing(tmp_path):
    good = write_ml100k(tmp_path / "good")
    call_command("import_movielens", str(good))
    before = catalog_counts()
    truncated = [*ML100K_RATINGS[:3], "2\t3"]
    bad = write_ml100k(tmp_path / "bad", ratings=truncated)
    (bad / "u.item").write_bytes(
        (bad / "u.item").read_bytes().replace(b"Toy Story", b"Changed Title")
    )
    with pytest.raises(CommandError, match=r"u\.data, line 4: missing rating"):
        call_command("import_movielens", str(bad))
    assert catalog_counts() == before
    assert Movie.objects.filter(title="Toy Story").exists()


def test_it_refuses_ratings_of_unknown_movies(tmp_path):
    bad = write_ml100k(tmp_path / "bad", ratings=[*ML100K_RATINGS, "3\t99\t4\t1"])
    with pytest.raises(MovieLensFormatError, match=r"line 6: movie 99 is not"):
        read_dataset(bad)


def test_it_refuses_a_missing_source(tmp_path):
    with pytest.raises(CommandError, match="not a directory"):
        call_command("import_movielens", str(tmp_path / "nowhere"))


def test_it_imports_the_ml1m_format(tmp_path):
    call_command("import_movielens", str(write_ml1m(tmp_path / "ml-1m")))
    assert catalog_counts() == {"movies": 3, "users": 2, "ratings": 3}
    user = DatasetUser.objects.get(source="ml-1m", source_id=2)
    assert (user.age, user.gender, user.occupation) == (56, "M", "other")
    heat = Movie.objects.get(source="ml-1m", source_id=3)
    assert (heat.title, heat.year) == ("Heat", 1995)


def test_it_imports_the_ml_latest_format_without_demographics(tmp_path):
    call_command("import_movielens", str(write_latest(tmp_path / "latest")))
    assert catalog_counts() == {"movies": 3, "users": 2, "ratings": 3}
    user = DatasetUser.objects.get(source="ml-latest", source_id=7)
    assert not user.has_demographics and user.gender == ""
    toy = Movie.objects.get(source="ml-latest", source_id=1)
    assert (toy.imdb_id, toy.tmdb_id) == ("tt0114709", 862)
    assert Movie.objects.get(source_id=2).title == "American President, The"
    assert Movie.objects.get(source_id=3).genres.count() == 0
    assert Rating.objects.get(user=user).rating == 0.5


def test_it_imports_a_zip(tmp_path):
    import zipfile

    folder = write_ml100k(tmp_path / "ml-100k")
    archive = tmp_path / "ml-100k.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in folder.iterdir():
            zf.write(path, f"ml-100k/{path.name}")
    call_command("import_movielens", str(archive))
    assert catalog_counts()["ratings"] == 5


def test_it_imports_the_real_ml100k(movielens_dir):
    call_command("import_movielens", str(movielens_dir))
    assert catalog_counts() == {"movies": 1682, "users": 943, "ratings": 100000}
    assert DatasetUser.objects.filter(age__isnull=True).count() == 0


def test_it_keeps_only_original_release_dates():
    from datetime import date

    from catalog.movielens import original_release_date

    # Raiders: a year stored as January 1 is not a date.
    assert original_release_date(date(1981, 1, 1), 1981) is None
    # Return of the Jedi (1983): 14-Mar-1997 is the re-release.
    assert original_release_date(date(1997, 3, 14), 1983) is None
    assert original_release_date(date(1997, 4, 25), 1997) == date(1997, 4, 25)
    assert original_release_date(None, 1997) is None
