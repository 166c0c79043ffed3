from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from catalog.availability import AvailabilityImportError, snapshot_import
from catalog.models import Availability, Movie, Platform

pytestmark = pytest.mark.django_db

COMBINED = """\
,ID,Title,Year,Age,Rotten Tomatoes,Netflix,Hulu,Prime Video,Disney+,Type
0,1,The Usual Suspects,1995,18+,88/100,1,1,0,0,0
1,2,Chasing Amy,1997,18+,80/100,1,0,0,0,0
2,3,Rosencrantz & Guildenstern Are Dead,1991,13+,70/100,0,0,1,0,0
3,4,Dick Johnson Is Dead,2020,13+,90/100,1,0,0,0,0
4,5,The City of Lost Children,1995,13+,80/100,0,0,0,1,0
5,6,Some Show,1995,13+,80/100,1,0,0,0,1
"""
NETFLIX = """\
show_id,type,title,director,cast,country,date_added,release_year,rating,duration,listed_in,description
s1,Movie,Usual Suspects,B. Singer,,,"March 1, 2021",1995,R,106 min,Crime,"Five,
one lineup."
s2,TV Show,The Usual Suspects,,,,,1995,,1 Season,TV,x
s3,Movie,Toy Story,,,,,1995,G,81 min,Kids,x
s4,Movie,Hamlet,,,,,1993,PG,100 min,Drama,x
"""


@pytest.fixture
def catalogue():
    rows = [
        ("Usual Suspects, The", 1995),
        ("Chasing Amy", 1997),
        ("Chasing Amy", 1997),
        ("Rosencrantz and Guildenstern Are Dead", 1990),
        ("Cité des enfants perdus, La (City of Lost Children, The)", 1995),
        ("Toy Story", 1995),
        ("Hamlet", 1990),
    ]
    return {
        title: Movie.objects.create(source="t", source_id=i, title=title, year=year)
        for i, (title, year) in enumerate(rows)
    }


@pytest.fixture
def snapshot_dir(tmp_path) -> Path:
    (tmp_path / "MoviesOnStreamingPlatforms.csv").write_text(COMBINED)
    (tmp_path / "netflix_titles.csv").write_text(NETFLIX)
    (tmp_path / "notes.csv").write_text("a,b\n1,2\n")
    return tmp_path


def offers() -> set[tuple[str, str, str]]:
    return set(
        Availability.objects.values_list("movie__title", "platform__slug", "source")
    )


def test_it_imports_matches_and_counts_per_file(catalogue, snapshot_dir):
    summary = snapshot_import(path=snapshot_dir)
    combined, netflix = summary.files
    assert (combined.name, combined.rows) == ("MoviesOnStreamingPlatforms.csv", 5)
    assert (combined.matched, combined.unmatched, combined.ambiguous) == (3, 1, 1)
    assert (netflix.rows, netflix.matched, netflix.unmatched) == (3, 2, 1)
    assert offers() == {
        ("Usual Suspects, The", "netflix", "snapshot"),
        ("Usual Suspects, The", "hulu", "snapshot"),
        ("Rosencrantz and Guildenstern Are Dead", "prime-video", "snapshot"),
        (
            "Cité des enfants perdus, La (City of Lost Children, The)",
            "disney-plus",
            "snapshot",
        ),
        ("Toy Story", "netflix", "snapshot"),
    }
    assert set(Availability.objects.values_list("region", "offer_type")) == {
        ("US", "subscription")
    }
    assert summary.created == 5


def test_it_is_idempotent(catalogue, snapshot_dir):
    snapshot_import(path=snapshot_dir)
    before = sorted(Availability.objects.values_list("movie_id", "platform_id"))
    again = snapshot_import(path=snapshot_dir)
    assert (again.created, again.updated) == (0, 5)
    assert sorted(Availability.objects.values_list("movie_id", "platform_id")) == before


def test_it_leaves_rows_of_other_sources_alone(catalogue, snapshot_dir):
    old = timezone.now() - timedelta(days=100)
    admin = Availability.objects.create(
        movie=catalogue["Toy Story"],
        platform=Platform.objects.get(region="US", slug="netflix"),
        region="US",
        offer_type="subscription",
        source="admin",
        last_checked=old,
    )
    summary = snapshot_import(path=snapshot_dir)
    admin.refresh_from_db()
    assert (admin.source, admin.last_checked) == ("admin", old)
    assert (summary.created, summary.updated) == (4, 0)


def test_it_prunes_only_when_asked(catalogue, snapshot_dir):
    snapshot_import(path=snapshot_dir)
    (snapshot_dir / "netflix_titles.csv").unlink()
    kept = snapshot_import(path=snapshot_dir)
    assert kept.deleted == 0
    assert ("Toy Story", "netflix", "snapshot") in offers()
    pruned = snapshot_import(path=snapshot_dir, replace=True)
    assert pruned.deleted == 1
    assert ("Toy Story", "netflix", "snapshot") not in offers()


def test_it_imports_one_file_for_another_region(catalogue, snapshot_dir):
    summary = snapshot_import(
        path=snapshot_dir / "MoviesOnStreamingPlatforms.csv", region="KR"
    )
    assert summary.skipped_platforms == ["hulu"]
    assert set(Availability.objects.values_list("region", flat=True)) == {"KR"}


def test_it_refuses_unknown_paths(tmp_path):
    with pytest.raises(AvailabilityImportError):
        snapshot_import(path=tmp_path / "missing")
    with pytest.raises(AvailabilityImportError):
        snapshot_import(path=tmp_path)


def test_the_command_reports_counts_and_coverage(catalogue, snapshot_dir, capsys):
    call_command("import_availability", str(snapshot_dir))
    out = capsys.readouterr().out
    assert (
        "MoviesOnStreamingPlatforms.csv: 5 movies, 3 matched, 1 unmatched, "
        "1 ambiguous, 4 offers"
    ) in out
    assert "Region US: 5 offers created, 0 refreshed, 0 deleted" in out
    call_command("availability_coverage")
    out = capsys.readouterr().out
    assert "Catalogue: 7 movies" in out
    assert "| US | snapshot | 4 | 57.1% |" in out
    assert "| US | any | 4 | 57.1% |" in out
    with pytest.raises(CommandError):
        call_command("import_availability", str(snapshot_dir / "nope"))


def test_it_dates_each_claim_by_its_snapshot_not_by_the_import_day(
    catalogue, snapshot_dir
):
    snapshot_import(path=snapshot_dir)
    checked = dict(
        Availability.objects.values_list("movie__title", "last_checked").filter(
            platform__slug="prime-video"
        )
    )
    # The combined file has no dates: its 2020 edition is the date of the claim.
    assert checked["Rosencrantz and Guildenstern Are Dead"].year == 2020
    # Netflix's file dates itself by its newest date_added (March 1, 2021); the
    # Usual Suspects is in both files and keeps the newer date.
    suspects = Availability.objects.get(
        movie__title="Usual Suspects, The", platform__slug="netflix"
    )
    assert suspects.last_checked.date().isoformat() == "2021-03-01"
