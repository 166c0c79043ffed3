"""A loopback fake KOBIS (the Korean Film Council's open API), for tests.

    GET /kobisopenapi/webservice/rest/movie/searchMovieList.json?key=KEY
        &movieNm=...&itemPerPage=100&curPage=1
    -> {"movieListResult": {"totCnt": N, "source": "영화진흥위원회",
        "movieList": [{"movieCd", "movieNm", "movieNmEn", "prdtYear", "openDt",
        "typeNm", "prdtStatNm", "nationAlt", "genreAlt", "repNationNm",
        "repGenreNm", "directors": [{"peopleNm"}], "companys": []}]}}

Stated choices where KOBIS's behaviour is not spelled out: movieNm matches a
film whose Korean or English title contains it (case, spaces and punctuation
ignored); a wrong key is HTTP 200 with {"faultInfo": {"message": "유효하지않은
키값입니다.", "errorCode": "320010"}}; films come in movieCd order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from catalog.tests.fake_servers import Canned, FakeServer

PATH = "/kobisopenapi/webservice/rest/movie/searchMovieList.json"
BASE = "/kobisopenapi/webservice/rest"
KEY = "kobis-test-key"


@dataclass(frozen=True)
class KobisFilm:
    movie_cd: str
    title_ko: str
    title_en: str
    production_year: str = ""
    open_date: str = ""
    type_name: str = "장편"
    nation: str = "미국"
    genre: str = "드라마"


class FakeKobis:
    """Serves `films` on `server` at PATH; `searches` lists the movieNm asked."""

    def __init__(self, server: FakeServer, films: Iterable[KobisFilm] = ()) -> None:
        self.server = server
        self.films = sorted(films, key=lambda f: f.movie_cd)
        self.searches: list[str] = []
        server.add_pattern(re.escape(PATH), self._answer)

    @property
    def api_url(self) -> str:
        return self.server.url + BASE

    def _answer(self, match: re.Match, query: dict) -> Canned:
        args = {name: values[-1] for name, values in query.items()}
        if args.get("key") != KEY:
            return Canned(
                200,
                {
                    "faultInfo": {
                        "message": "유효하지않은 키값입니다.",
                        "errorCode": "320010",
                    }
                },
            )
        name = args.get("movieNm", "")
        self.searches.append(name)
        wanted = _squash(name)
        hits = [
            film
            for film in self.films
            if wanted in _squash(film.title_ko) or wanted in _squash(film.title_en)
        ]
        size = min(max(int(args.get("itemPerPage") or 10), 1), 100)
        page = max(int(args.get("curPage") or 1), 1)
        rows = hits[(page - 1) * size : page * size]
        return Canned(
            200,
            {
                "movieListResult": {
                    "totCnt": len(hits),
                    "source": "영화진흥위원회",
                    "movieList": [_row(film) for film in rows],
                }
            },
        )


def _squash(text: str) -> str:
    return "".join(re.findall(r"[^\W_]+", text.lower()))


def _row(film: KobisFilm) -> dict[str, Any]:
    return {
        "movieCd": film.movie_cd,
        "movieNm": film.title_ko,
        "movieNmEn": film.title_en,
        "prdtYear": film.production_year,
        "openDt": film.open_date,
        "typeNm": film.type_name,
        "prdtStatNm": "개봉",
        "nationAlt": film.nation,
        "genreAlt": film.genre,
        "repNationNm": film.nation,
        "repGenreNm": film.genre,
        "directors": [],
        "companys": [],
    }
