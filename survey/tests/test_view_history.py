"""Pages: upload an export, confirm the matches, the survey's favourites are filled."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalog.tests.factories import MovieFactory, SeriesFactory
from survey.drafts import SESSION_KEY
from survey.tests import history_files as files
from survey.views import HISTORY_KEY

pytestmark = pytest.mark.django_db
UPLOAD = reverse("survey:history")
CONFIRM = reverse("survey:history_confirm")


@pytest.fixture
def catalogue() -> dict[str, int]:
    movies = {
        "Fargo": MovieFactory(title="Fargo", year=1996, imdb_id="tt0116282"),
        "Heat": MovieFactory(title="Heat", year=1995, imdb_id="tt0113277"),
        "Toy Story": MovieFactory(title="Toy Story", year=1995),
    }
    return {name: m.pk for name, m in movies.items()}


def _upload(client, data: bytes, name: str = "export.csv", language: str = "en"):
    return client.post(
        UPLOAD,
        {"export": SimpleUploadedFile(name, data, "text/csv")},
        HTTP_ACCEPT_LANGUAGE=language,
    )


def test_it_redirects_anonymous_users_to_login(anon_client):
    for url in (UPLOAD, CONFIRM):
        response = anon_client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_it_shows_the_upload_form_and_the_survey_links_to_it(owner_client):
    assert owner_client.get(UPLOAD).status_code == 200
    assert UPLOAD.encode() in owner_client.get(reverse("survey:movies")).content


def test_the_file_input_asks_for_a_csv_file(owner_client):
    page = owner_client.get(UPLOAD).content.decode()
    assert 'type="file" name="export"' in page
    assert 'accept=".csv,text/csv,text/comma-separated-values"' in page


def test_confirm_without_an_upload_goes_back_to_the_upload(owner_client):
    assert owner_client.get(CONFIRM).url == UPLOAD


def test_it_matches_a_netflix_export_and_lists_the_unplaced(owner_client, catalogue):
    page = _upload(owner_client, files.NETFLIX, "NetflixViewingHistory.csv")
    assert page.status_code == 200  # the confirmation, at once
    matched = {movie.pk for movie, _match, _proposed in page.context["rows"]}
    assert matched == set(catalogue.values())
    # Series the catalogue does not have are named like films.
    assert page.context["unplaced"] == ["기생충", "Stranger Things", "오징어 게임"]
    assert "기생충" in page.content.decode()
    assert page.context["skipped_episodes"] == 0


def test_it_keeps_no_title_of_the_file_in_the_session(owner_client, catalogue):
    # README: the file is read once and never stored; the titles it did not place
    # are named in the upload's answer and only counted afterwards (issue #25 12h).
    _upload(owner_client, files.NETFLIX, "NetflixViewingHistory.csv")
    kept = json.dumps(dict(owner_client.session), ensure_ascii=False)
    for title in ("기생충", "Stranger Things", "오징어 게임", "Fargo", "Toy Story"):
        assert title not in kept
    page = owner_client.get(CONFIRM, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert {movie.pk for movie, _m, _p in page.context["rows"]} == set(
        catalogue.values()
    )
    text = page.content.decode()
    assert "기생충" not in text and 'id="history-unplaced"' not in text
    assert "3 titles from your file were not found in our catalogue" in text
    korean = owner_client.get(CONFIRM, HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "파일의 제목 3개는 카탈로그에서 찾지 못했어요" in korean


def test_it_matches_alternate_titles_as_the_availability_import_does(owner_client):
    # Issue #25 item 5: the availability import already matched these.
    wars = MovieFactory(title="Star Wars", year=1977)
    MovieFactory(title="Star Wars: The Last Jedi", year=2017, synced=True)
    volcano = MovieFactory(title="Volcano", year=1997)
    export = (
        b"Date,Name,Year,Letterboxd URI,Rating\n"
        b"2024-01-03,Star Wars: A New Hope,1977,https://boxd.it/1,5\n"
        b"2024-01-04,Star Wars: Episode IV - A New Hope,1977,https://boxd.it/2,4\n"
        b"2024-01-05,Volcano: Fire on the Mountain,1997,https://boxd.it/3,3\n"
    )
    page = _upload(owner_client, export)
    assert [movie.pk for movie, _m, _p in page.context["rows"]] == [wars.pk]
    # A prefix no other title starts is not a franchise (a 1997 TV film).
    assert page.context["unplaced"] == ["Volcano: Fire on the Mountain (1997)"]
    assert volcano.pk not in {m.pk for m, _m, _p in page.context["rows"]}


@pytest.fixture
def synced() -> dict[str, int]:
    titles = {
        "Stranger Things": SeriesFactory(
            title="Stranger Things", title_ko="기묘한 이야기", year=2016, seasons=5
        ),
        "Squid Game": SeriesFactory(
            title="Squid Game", title_ko="오징어 게임", year=2021, seasons=2
        ),
        "Parasite": MovieFactory(
            synced=True, title="Parasite", title_ko="기생충", year=2019, runtime=132
        ),
        # A film of the same name as a series: episodes mean the series.
        "Squid Game film": MovieFactory(title="Squid Game", year=2021),
    }
    return {name: m.pk for name, m in titles.items()}


def test_it_matches_series_from_episodes_by_english_or_korean_title(
    owner_client, catalogue, synced
):
    _upload(owner_client, files.NETFLIX, "NetflixViewingHistory.csv")
    page = owner_client.get(CONFIRM, HTTP_ACCEPT_LANGUAGE="en")
    matched = {movie.pk for movie, _match, _proposed in page.context["rows"]}
    assert matched == {
        *catalogue.values(),
        synced["Stranger Things"],
        synced["Squid Game"],
        synced["Parasite"],
    }
    assert page.context["unplaced"] == []
    text = page.content.decode()
    assert "Stranger Things" in text and "Series · 5 seasons" in text
    assert "Series · 2 seasons" in text
    korean = owner_client.get(CONFIRM, HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "오징어 게임</span>" in korean and "시리즈 · 시즌 2개" in korean


def test_it_matches_an_imdb_series_row_by_title_and_year(owner_client, synced):
    _upload(owner_client, files.IMDB)
    rows = owner_client.get(CONFIRM).context["rows"]
    assert [movie.pk for movie, _match, _proposed in rows] == [
        synced["Stranger Things"]
    ]


def test_confirming_fills_the_survey_favourites(owner_client, catalogue):
    _upload(owner_client, files.IMDB)
    rows = owner_client.get(CONFIRM).context["rows"]
    proposed = [movie.pk for movie, _match, is_proposed in rows if is_proposed]
    assert proposed == [catalogue["Fargo"], catalogue["Heat"]]  # by IMDb id
    response = owner_client.post(CONFIRM, {"movie": [catalogue["Fargo"]]})
    assert response.status_code == 302 and response.url == reverse("survey:movies")
    assert owner_client.session[SESSION_KEY]["movies"]["movie_ids"] == [
        catalogue["Fargo"]
    ]
    assert HISTORY_KEY not in owner_client.session  # nothing of the file is kept
    page = owner_client.get(reverse("survey:movies"))
    assert [m.pk for m in page.context["chosen"]] == [catalogue["Fargo"]]


def test_it_ignores_ids_that_were_not_in_the_export(owner_client, catalogue):
    other = MovieFactory(title="Not in the file")
    _upload(owner_client, files.LETTERBOXD_RATINGS)
    response = owner_client.post(CONFIRM, {"movie": [other.pk]})
    assert response.status_code == 400
    assert "movie" in response.context["form"].errors
    response = owner_client.post(CONFIRM, {"movie": ["x"]})
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (files.WRONG_COLUMNS, "Line 1: unknown columns"),
        (files.BAD_DATE_LINE_3, "Line 3:"),
        (files.LATIN1, "not UTF-8"),
    ],
)
def test_a_bad_file_gets_a_clear_message_naming_the_line(owner_client, data, message):
    response = _upload(owner_client, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert HISTORY_KEY not in owner_client.session


def test_the_message_is_in_korean_for_korean_users(owner_client):
    response = _upload(owner_client, files.BAD_DATE_LINE_3, language="ko")
    assert response.status_code == 400
    text = response.content.decode()
    assert "3번째 줄: “yesterday”" in text and "날짜가 아닙니다" in text


def test_it_requires_a_file(owner_client):
    response = owner_client.post(UPLOAD, {})
    assert response.status_code == 400
    assert response.context["form"].errors["export"]


def test_one_users_matches_are_not_anothers(client, owner, other_user, catalogue):
    client.force_login(owner)
    _upload(client, files.NETFLIX)
    client.force_login(other_user)  # a new session
    assert client.get(CONFIRM).url == UPLOAD
