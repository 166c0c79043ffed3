"""The fake TMDB region catalogue speaks TMDB's wire format and obeys its test knobs.

The expected answers are worked out here from the catalogue's FakeTitle objects, not
from the fake's own indexes, so a wrong index shows up as a failing test.
"""

from __future__ import annotations

import math
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
import requests

from catalog.tests.fake_servers import FakeServer
from catalog.tests.fake_tmdb_catalogue import (
    COUPANG_PLAY,
    NAVER_STORE,
    NETFLIX,
    TVING,
    FakeTitle,
    FakeTmdbCatalogue,
    kr_catalogue,
)

REPO = Path(__file__).resolve().parents[2]
KEY = {"Authorization": "Bearer test-token"}
TODAY = date(2026, 12, 1)
MOVIELENS = [
    (862, "Toy Story (1995)", 1995),
    (278, "Shawshank Redemption, The (1994)", 1994),
    (None, "Heat (1995)", 1995),
]
MOVIE_ROW_KEYS = {
    "adult", "backdrop_path", "genre_ids", "id", "original_language",
    "original_title", "overview", "popularity", "poster_path", "release_date",
    "title", "video", "vote_average", "vote_count",
}  # fmt: skip
TV_ROW_KEYS = {
    "adult", "backdrop_path", "genre_ids", "id", "origin_country",
    "original_language", "original_name", "overview", "popularity", "poster_path",
    "first_air_date", "name", "vote_average", "vote_count",
}  # fmt: skip


@pytest.fixture
def tmdb(fake_server: FakeServer) -> Iterator[FakeTmdbCatalogue]:
    catalogue = FakeTmdbCatalogue(
        fake_server,
        titles=kr_catalogue(200, seed=1, movielens=MOVIELENS),
        today=TODAY,
    )
    yield catalogue
    catalogue.release()  # no handler thread left holding a request


def get(tmdb: FakeTmdbCatalogue, path: str, **params: object) -> requests.Response:
    return requests.get(tmdb.url + path, params=params, headers=KEY, timeout=10)


def expected(
    tmdb: FakeTmdbCatalogue, media: str, providers: set[int], types: set[str]
) -> list[int]:
    """Ids discover should list, by popularity then id."""
    titles = [
        t
        for t in tmdb.titles
        if t.media == media
        and any(pid in providers and kinds & types for pid, kinds in t.offers.items())
    ]
    return [t.id for t in sorted(titles, key=lambda t: (-t.popularity, t.id))]


def discover_all(tmdb: FakeTmdbCatalogue, media: str, **params: object) -> list[dict]:
    rows: list[dict] = []
    page, total_pages = 1, 1
    while page <= total_pages:
        body = get(
            tmdb, f"/3/discover/{media}", watch_region="KR", page=page, **params
        ).json()
        assert body["page"] == page
        assert len(body["results"]) <= 20
        total_pages = body["total_pages"]
        rows += body["results"]
        page += 1
    assert len(rows) == body["total_results"]
    return rows


def test_it_pages_discover_by_popularity_for_one_provider_and_type(tmdb):
    want = expected(tmdb, "movie", {NETFLIX}, {"flatrate"})
    assert len(want) > 20  # more than one page

    rows = discover_all(
        tmdb,
        "movie",
        with_watch_providers=NETFLIX,
        with_watch_monetization_types="flatrate",
        sort_by="popularity.desc",
        include_adult="false",
    )

    assert [r["id"] for r in rows] == want
    assert all(set(r) == MOVIE_ROW_KEYS for r in rows)
    first = get(tmdb, "/3/discover/movie", watch_region="KR", with_watch_providers=8)
    assert first.json()["total_pages"] == math.ceil(len(want) / 20)


def test_it_filters_discover_by_pipe_separated_providers_and_types(tmdb):
    rows = discover_all(
        tmdb,
        "tv",
        with_watch_providers=f"{TVING}|{COUPANG_PLAY}",
        with_watch_monetization_types="flatrate|ads|free",
    )

    want = expected(tmdb, "tv", {TVING, COUPANG_PLAY}, {"flatrate", "ads", "free"})
    assert [r["id"] for r in rows] == want
    assert all(set(r) == TV_ROW_KEYS for r in rows)
    # Store-only offers are rent/buy, so a flatrate query on a store finds nothing.
    store = discover_all(
        tmdb,
        "movie",
        with_watch_providers=NAVER_STORE,
        with_watch_monetization_types="flatrate",
    )
    assert store == []
    rent = discover_all(
        tmdb,
        "movie",
        with_watch_providers=NAVER_STORE,
        with_watch_monetization_types="rent",
    )
    assert [r["id"] for r in rent] == expected(tmdb, "movie", {NAVER_STORE}, {"rent"})


def test_it_answers_past_the_last_page_empty_and_past_page_500_with_error_22(tmdb):
    beyond = get(tmdb, "/3/discover/movie", watch_region="KR", page=400)
    too_far = get(tmdb, "/3/discover/movie", watch_region="KR", page=501)

    assert beyond.status_code == 200
    assert beyond.json()["page"] == 400 and beyond.json()["results"] == []
    assert too_far.status_code == 400
    assert too_far.json() == {
        "status_code": 22,
        "status_message": "Invalid page: Pages start at 1 and max at 500.",
        "success": False,
    }


def test_it_gives_movie_details_with_keywords_and_external_ids_appended(tmdb):
    shawshank = tmdb.title("movie", 278)

    body = get(
        tmdb,
        "/3/movie/278",
        language="en-US",
        append_to_response="keywords,external_ids,watch/providers",
    ).json()

    assert body["title"] == body["original_title"] == "The Shawshank Redemption"
    assert body["release_date"].startswith("1994")
    assert body["runtime"] == shawshank.runtime
    assert {g["id"] for g in body["genres"]} == set(shawshank.genre_ids)
    assert body["keywords"] == {
        "id": 278,
        "keywords": [{"id": i, "name": n} for i, n in shawshank.keywords],
    }
    assert body["external_ids"] == {
        "id": 278,
        "imdb_id": shawshank.imdb_id,
        "wikidata_id": shawshank.wikidata_id,
        "facebook_id": None,
        "instagram_id": None,
        "twitter_id": None,
    }
    assert "KR" in body["watch/providers"]["results"]
    plain = get(tmdb, "/3/movie/278").json()
    assert "keywords" not in plain and "external_ids" not in plain
    assert get(tmdb, "/3/movie/999999999").status_code == 404


def test_it_gives_tv_details_with_keywords_under_results(tmdb):
    series = next(t for t in tmdb.titles if t.media == "tv" and t.keywords)

    body = get(
        tmdb, f"/3/tv/{series.id}", append_to_response="keywords,external_ids"
    ).json()

    # TMDB's quirk: a series' keywords are under "results".
    assert body["keywords"] == {
        "id": series.id,
        "results": [{"id": i, "name": n} for i, n in series.keywords],
    }
    assert body["external_ids"]["tvdb_id"] == series.tvdb_id
    assert body["name"] == series.title_en
    assert body["number_of_seasons"] == series.seasons == len(body["seasons"])
    assert body["number_of_episodes"] == series.episodes
    assert body["episode_run_time"] == [series.runtime]
    assert body["first_air_date"] == series.date
    assert body["origin_country"] == series.origin_country


def test_it_keeps_movie_and_tv_ids_apart(tmdb):
    movie_ids = {t.id for t in tmdb.titles if t.media == "movie"}
    shared = [t for t in tmdb.titles if t.media == "tv" and t.id in movie_ids]
    assert shared  # the generator makes some series ids equal film ids

    tv = get(tmdb, f"/3/tv/{shared[0].id}").json()
    movie = get(tmdb, f"/3/movie/{shared[0].id}").json()

    assert tv["name"] == shared[0].title_en
    assert movie["title"] == tmdb.title("movie", shared[0].id).title_en


def test_it_speaks_korean_with_ko_kr_and_english_with_en_us(tmdb):
    korean = next(
        t for t in tmdb.titles if t.media == "movie" and t.original_language == "ko"
    )
    untranslated = next(t for t in tmdb.titles if t.media == "movie" and not t.title_ko)

    ko = get(tmdb, f"/3/movie/{korean.id}", language="ko-KR").json()
    en = get(tmdb, f"/3/movie/{korean.id}", language="en-US").json()
    fallback = get(tmdb, f"/3/movie/{untranslated.id}", language="ko-KR").json()

    assert (ko["title"], ko["overview"]) == (korean.title_ko, korean.overview_ko)
    assert ko["original_title"] == en["original_title"] == korean.title_ko
    assert (en["title"], en["overview"]) == (korean.title_en, korean.overview_en)
    assert (fallback["title"], fallback["overview"]) == (untranslated.title_en, "")
    drama = {"id": 18, "name": "드라마"}
    genres = get(tmdb, "/3/genre/movie/list", language="ko-KR").json()["genres"]
    assert drama in genres
    tv_genres = get(tmdb, "/3/genre/tv/list", language="ko-KR").json()["genres"]
    assert {"id": 10765, "name": "Sci-Fi & Fantasy"} in tv_genres
    rows = get(
        tmdb, "/3/discover/movie", watch_region="KR", language="ko-KR", page=1
    ).json()["results"]
    by_id = {t.id: t for t in tmdb.titles if t.media == "movie"}
    assert [r["title"] for r in rows] == [
        by_id[r["id"]].title_ko or by_id[r["id"]].title_en for r in rows
    ]


def test_it_shapes_watch_providers_like_tmdb(tmdb):
    title = next(
        t
        for t in tmdb.titles
        if t.media == "movie" and NAVER_STORE in t.offers and len(t.offers) > 1
    )

    body = get(tmdb, f"/3/movie/{title.id}/watch/providers").json()

    assert body["id"] == title.id
    kr = body["results"]["KR"]
    assert kr["link"] == f"https://www.themoviedb.org/movie/{title.id}/watch?locale=KR"
    kinds = {k for kinds in title.offers.values() for k in kinds}
    assert set(kr) == {"link"} | kinds  # no empty arrays
    for kind in kinds:
        assert {p["provider_id"] for p in kr[kind]} == {
            pid for pid, ks in title.offers.items() if kind in ks
        }
        assert all(
            set(p) == {"logo_path", "provider_id", "provider_name", "display_priority"}
            for p in kr[kind]
        )
        priorities = [p["display_priority"] for p in kr[kind]]
        assert priorities == sorted(priorities)
    assert set(body["results"]) == {"KR", *title.other_offers}


def test_it_lists_touched_and_added_ids_in_changes(tmdb):
    series = next(t for t in tmdb.titles if t.media == "tv")
    assert get(tmdb, "/3/tv/changes").json()["results"] == []

    tmdb.touch("tv", series.id, title_ko="새 제목")
    tmdb.add_title(FakeTitle(media="movie", id=4_000_001, title_en="Brand New"))
    tmdb.touch("movie", 278, popularity=1.0, changed_on=TODAY - timedelta(days=10))

    tv = get(tmdb, "/3/tv/changes", start_date=TODAY - timedelta(days=1)).json()
    assert tv == {
        "results": [{"id": series.id, "adult": False}],
        "page": 1,
        "total_pages": 1,
        "total_results": 1,
    }
    assert get(tmdb, f"/3/tv/{series.id}", language="ko-KR").json()["name"] == "새 제목"
    recent = get(tmdb, "/3/movie/changes", start_date=TODAY.isoformat()).json()
    assert [r["id"] for r in recent["results"]] == [4_000_001]
    fortnight = get(
        tmdb,
        "/3/movie/changes",
        start_date=(TODAY - timedelta(days=14)).isoformat(),
        end_date=TODAY.isoformat(),
    ).json()
    assert [r["id"] for r in fortnight["results"]] == [4_000_001, 278]


def test_it_drops_a_title_from_discover_after_remove_offer(tmdb):
    rows = discover_all(
        tmdb,
        "movie",
        with_watch_providers=NETFLIX,
        with_watch_monetization_types="flatrate",
    )
    top = rows[0]["id"]

    tmdb.remove_offer("movie", top, NETFLIX)

    after = discover_all(
        tmdb,
        "movie",
        with_watch_providers=NETFLIX,
        with_watch_monetization_types="flatrate",
    )
    assert [r["id"] for r in after] == [r["id"] for r in rows[1:]]
    kr = get(tmdb, f"/3/movie/{top}/watch/providers").json()["results"].get("KR", {})
    assert NETFLIX not in {
        p["provider_id"] for ps in kr.values() if isinstance(ps, list) for p in ps
    }
    # Availability is not an edit: TMDB's /changes does not list it.
    assert get(tmdb, "/3/movie/changes").json()["results"] == []


def test_it_fails_the_next_requests_with_429_and_retry_after_then_recovers(tmdb):
    tmdb.fail_next(2, status=429, retry_after=3)

    first = get(tmdb, "/3/movie/278")
    second = get(tmdb, "/3/discover/tv", watch_region="KR")
    third = get(tmdb, "/3/movie/278")

    for failed in (first, second):
        assert failed.status_code == 429
        assert failed.headers["Retry-After"] == "3"
        assert failed.json() == {
            "status_code": 25,
            "status_message": (
                "Your request count (#) is over the allowed limit of (40)."
            ),
            "success": False,
        }
    assert third.status_code == 200
    tmdb.fail_next(1, status=503, path_prefix="/3/discover/")
    assert get(tmdb, "/3/movie/278").status_code == 200
    outage = get(tmdb, "/3/discover/movie", watch_region="KR")
    assert outage.status_code == 503
    assert outage.json()["status_code"] == 11


def test_it_refuses_requests_without_a_key(tmdb):
    bare = requests.get(tmdb.url + "/3/discover/movie", timeout=10)
    by_param = requests.get(
        tmdb.url + "/3/movie/278", params={"api_key": "k"}, timeout=10
    )

    assert bare.status_code == 401
    assert bare.json() == {
        "status_code": 7,
        "status_message": "Invalid API key: You must be granted a valid key.",
        "success": False,
    }
    assert by_param.status_code == 200


def test_it_accepts_only_the_configured_keys():
    server = FakeServer()
    tmdb = FakeTmdbCatalogue(server, titles=kr_catalogue(20), api_keys={"right"})
    server.start()
    try:
        url = server.url + "/3/discover/movie"
        wrong = requests.get(url, headers={"Authorization": "Bearer wrong"}, timeout=10)
        right = requests.get(url, params={"api_key": "right"}, timeout=10)
        assert (wrong.status_code, right.status_code) == (401, 200)
        assert tmdb.request_count == 2
    finally:
        server.stop()


def test_it_holds_requests_after_block_after_until_release(tmdb):
    tmdb.block_after(2)
    answers: list[int] = []

    def client() -> None:
        for _ in range(4):
            answers.append(get(tmdb, "/3/movie/278").status_code)

    thread = threading.Thread(target=client, daemon=True)
    thread.start()
    assert tmdb.wait_blocked(1, timeout=10)
    assert answers == [200, 200]
    assert tmdb.request_count == 3

    tmdb.release()
    thread.join(10)
    assert answers == [200] * 4
    assert tmdb.blocked == 0


def test_it_answers_429_past_its_rate_limit():
    server = FakeServer()
    tmdb = FakeTmdbCatalogue(server, titles=kr_catalogue(20), rate_limit=3)
    server.start()
    try:
        with requests.Session() as session:
            answers = [
                session.get(server.url + "/3/movie/changes", headers=KEY, timeout=10)
                for _ in range(5)
            ]
        assert [a.status_code for a in answers] == [200, 200, 200, 429, 429]
        assert answers[3].headers["Retry-After"] == "1"
        assert tmdb.request_count == 5
    finally:
        server.stop()


def test_it_counts_requests_by_path(tmdb):
    get(tmdb, "/3/discover/movie", watch_region="KR")
    get(tmdb, "/3/discover/tv", watch_region="KR")
    get(tmdb, "/3/movie/278/watch/providers")

    assert tmdb.request_count == 3
    assert tmdb.count("/3/discover/") == 2
    assert tmdb.count("/3/movie/278") == 1


def test_it_generates_a_deterministic_realistic_catalogue():
    titles = kr_catalogue(1000, seed=7, movielens=MOVIELENS)

    assert titles == kr_catalogue(1000, seed=7, movielens=MOVIELENS)
    assert titles != kr_catalogue(1000, seed=8, movielens=MOVIELENS)
    assert len(titles) == 1000
    series = [t for t in titles if t.media == "tv"]
    assert len(series) == 350
    assert 0.04 <= sum(not t.title_ko for t in titles) / 1000 <= 0.06
    korean = [t for t in titles if t.original_language == "ko"]
    assert 0.2 <= len(korean) / 1000 <= 0.5
    assert all(t.origin_country == ["KR"] and t.title_ko for t in korean)
    sizes = {
        pid: sum(pid in t.offers for t in titles)
        for pid in (8, 1883, 1881, 356, 97, 337, 119, 350)
    }
    assert max(sizes, key=sizes.get) == NETFLIX and min(sizes.values()) > 0
    assert all(1 <= len(t.offers) <= 5 for t in titles)
    popularity = sorted(t.popularity for t in titles)
    assert popularity[-1] > 20 * popularity[500]  # a long tail
    years = [int(t.date[:4]) for t in titles if t.date]
    assert sum(2015 <= y <= 2026 for y in years) / len(years) > 0.6
    assert min(years) < 2000
    by_key = {(t.media, t.id): t for t in titles}
    assert len(by_key) == len(titles)
    assert by_key[("movie", 862)].title_en == "Toy Story"
    assert by_key[("movie", 278)].title_en == "The Shawshank Redemption"
    assert any(t.title_en == "Heat" for t in titles if t.media == "movie")


def test_it_runs_as_a_process_that_prints_ready(tmp_path):
    (tmp_path / "movies.csv").write_text(
        "movieId,title,genres\n1,Toy Story (1995),Animation\n2,Heat (1995),Crime\n"
    )
    (tmp_path / "links.csv").write_text(
        "movieId,imdbId,tmdbId\n1,0114709,862\n2,0113277,\n"
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "catalog.tests.fake_tmdb_catalogue",
            "--titles",
            "50",
            "--seed",
            "0",
            "--port",
            "0",
            "--movielens-links",
            str(tmp_path),
        ],  # fmt: skip
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        line = process.stdout.readline().strip()
        assert line.startswith("READY http://127.0.0.1:")
        url = line.removeprefix("READY ")
        toy = requests.get(url + "/3/movie/862", headers=KEY, timeout=10).json()
        assert toy["title"] == "Toy Story"
        assert toy["imdb_id"] == "tt0114709"
    finally:
        process.terminate()
        assert process.wait(10) == 0
