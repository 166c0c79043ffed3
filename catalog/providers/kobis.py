"""KOBIS client: the Korean Film Council's open API (영화진흥위원회 오픈 API).

    GET {KOBIS_API_URL}/movie/searchMovieList.json?key=KEY&movieNm=...
        &itemPerPage=100&curPage=1
    -> {"movieListResult": {"totCnt": N, "source": "영화진흥위원회",
        "movieList": [{"movieCd", "movieNm" (the Korean title), "movieNmEn",
        "prdtYear", "openDt" ("YYYYMMDD" or ""), "typeNm", "nationAlt", ...}]}}

A refusal is answered with HTTP 200 and {"faultInfo": {"message": ...,
"errorCode": ...}} (a wrong key: "유효하지않은 키값입니다."). Our requests have
one fixed shape, so a refusal is about the key or its quota (a free key allows
3,000 calls a day): read as ProviderAuthError, which stops a run.

Assumption, not checked against the real service (no network where this was
written): movieNm matches English titles (movieNmEn) as well as Korean ones, as
the KOBIS web search does. If it matches only Korean titles, a search by English
title finds nothing and nothing is stored: the fetch is wasted, never wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings

from catalog.providers.http import JsonClient, ProviderAuthError, ProviderBadResponse

SEARCH_PATH = "movie/searchMovieList.json"
PAGE_SIZE = 100  # KOBIS's most per page


@dataclass(frozen=True)
class KobisMovie:
    movie_cd: str
    title_ko: str
    title_en: str
    production_year: int | None
    open_date: str  # "YYYYMMDD" or ""
    type_name: str  # 장편 (feature), 단편 (short), ...

    @property
    def open_year(self) -> int | None:
        return int(self.open_date[:4]) if self.open_date[:4].isdigit() else None


def kobis_is_enabled() -> bool:
    return bool(settings.KOBIS_API_KEY)


def kobis_client(**overrides: Any) -> JsonClient:
    """A JsonClient for KOBIS with the configured key."""
    options: dict[str, Any] = {
        "params": {"key": settings.KOBIS_API_KEY},
        "headers": {"Accept": "application/json"},
    }
    return JsonClient(base_url=settings.KOBIS_API_URL, **{**options, **overrides})


def search_movies(client: JsonClient, *, name: str) -> list[KobisMovie]:
    """Films whose title matches `name` (the first page of 100: enough for a
    title, and one call of the day's 3,000)."""
    body = client.get_json(
        SEARCH_PATH,
        params={"movieNm": name, "itemPerPage": str(PAGE_SIZE), "curPage": "1"},
    )
    if not isinstance(body, dict):
        raise ProviderBadResponse("KOBIS: body is not an object")
    fault = body.get("faultInfo")
    if isinstance(fault, dict):
        raise ProviderAuthError(
            f"KOBIS refused: {fault.get('errorCode')}: {fault.get('message')}"
        )
    result = body.get("movieListResult")
    rows = result.get("movieList") if isinstance(result, dict) else None
    if not isinstance(rows, list):
        raise ProviderBadResponse("KOBIS: no 'movieListResult.movieList' list")
    return [_movie(row) for row in rows if isinstance(row, dict)]


def _movie(row: dict) -> KobisMovie:
    year = str(row.get("prdtYear") or "")
    return KobisMovie(
        movie_cd=str(row.get("movieCd") or ""),
        title_ko=str(row.get("movieNm") or "").strip(),
        title_en=str(row.get("movieNmEn") or "").strip(),
        production_year=int(year) if year.isdigit() else None,
        open_date=str(row.get("openDt") or ""),
        type_name=str(row.get("typeNm") or ""),
    )
