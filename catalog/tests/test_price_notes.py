"""Price notes and snapshot dates say what is known, in the reader's language."""

from __future__ import annotations

import importlib
import re
from datetime import UTC, datetime

import pytest
from django.apps import apps
from django.utils import translation

from catalog.availability import COMBINED_EDITION
from catalog.labels import partial_date_label, price_note
from catalog.models import Platform
from catalog.tests.factories import AvailabilityFactory
from recommender.tests.factories import ready_set

pytestmark = pytest.mark.django_db

LATIN_WORDS = re.compile(r"\b(source|found|no|checked|seed|launch|price)\b", re.I)


def _notes(language: str) -> dict[str, str]:
    with translation.override(language):
        return {p.slug: price_note(p) for p in Platform.objects.filter(region="KR")}


def test_it_dates_a_price_by_its_source_and_says_when_we_last_looked():
    en, ko = _notes("en"), _notes("ko")
    assert en["watcha"] == (
        "Source: Herald, 2020. "
        "When we looked on Nov. 27, 2026, it was the newest figure we found."
    )
    assert ko["watcha"] == (
        "출처: Herald, 2020년. 2026년 11월 27일에 찾아본 자료 중 가장 최근 것입니다."
    )
    assert en["tving"].startswith(
        "Source: joongang.co.kr/article/25203717, December 2023."
    )
    assert ko["netflix"].startswith(
        "출처: etnews.com/20231225000102, 2023년 12월 25일."
    )
    assert en["apple-tv-plus"].startswith(
        "Reported Nov. 4, 2021; the source is not named."
    )
    assert en["prime-video"] == "No source confirms this price."
    assert ko["prime-video"] == "이 가격을 뒷받침하는 출처가 없습니다."


def test_korean_notes_carry_no_english_and_no_dash_dates():
    for slug, note in _notes("ko").items():
        assert not LATIN_WORDS.search(note), (slug, note)
        assert not re.search(r"\d{4}-\d", note), (slug, note)


def test_it_shows_the_notes_in_the_fine_print(owner_client, owner):
    rec_set = ready_set(owner, movies=1, region="KR")
    html = owner_client.get(
        f"/recommendations/{rec_set.pk}/", HTTP_ACCEPT_LANGUAGE="ko"
    ).content.decode()
    fine_print = html.split("data-price-fine-print", 1)[1].split("</details>")[0]
    assert "Watcha: 7,900 KRW." in fine_print
    assert "출처: Herald, 2020년. 2026년 11월 27일에" in fine_print
    assert "no 2024-26 source found" not in fine_print and "확인, 출처" not in html


def test_partial_dates_read_as_a_year_a_month_or_a_day():
    with translation.override("ko"):
        assert [partial_date_label(v) for v in ("2020", "2023-12", "2023-12-25")] == [
            "2020년",
            "2023년 12월",
            "2023년 12월 25일",
        ]
    with translation.override("en"):
        assert partial_date_label("2023-12") == "December 2023"
        assert partial_date_label("2020") == "2020"
        assert partial_date_label("2023-02-30") == "2023-02-30"  # as written
    assert partial_date_label("") == ""


def test_the_migration_rewrites_the_old_texts_and_keeps_an_admins():
    migration = importlib.import_module(
        "catalog.migrations.0011_price_notes_dated_by_their_source"
    )
    Platform.objects.filter(region="KR", slug="watcha").update(
        price_source="Herald 2020 (no 2024-26 source found)", price_source_date=""
    )
    Platform.objects.filter(region="KR", slug="wavve").update(
        price_source="wavve.com price page, seen by an admin", price_source_date=""
    )
    migration.sources_rewrite(apps, None)
    watcha = Platform.objects.get(region="KR", slug="watcha")
    wavve = Platform.objects.get(region="KR", slug="wavve")
    assert (watcha.price_source, watcha.price_source_date) == ("Herald", "2020")
    assert wavve.price_source == "wavve.com price page, seen by an admin"
    assert wavve.price_source_date == ""


def test_an_undated_snapshot_says_so_instead_of_a_made_up_day(owner, owner_client):
    # Snapshots are of US catalogues; the region only has to be the reader's.
    rec_set = ready_set(owner, movies=2, region="KR")
    undated, dated = [item.movie for item in rec_set.items.order_by("rank")]
    netflix = Platform.objects.get(region="KR", slug="netflix")
    AvailabilityFactory(
        movie=undated,
        platform=netflix,
        source="snapshot",
        last_checked=COMBINED_EDITION,
    )
    AvailabilityFactory(
        movie=dated,
        platform=netflix,
        source="snapshot",
        last_checked=datetime(2021, 9, 25, tzinfo=UTC),
    )
    for language, undated_note, dated_note in [
        (
            "en",
            "Listed in a 2020 catalogue snapshot (date unknown).",
            "Listed in a catalogue snapshot of Sept. 25, 2021.",
        ),
        (
            "ko",
            "2020년 카탈로그 스냅숏에 있음(정확한 날짜 모름).",
            "2021년 9월 25일 카탈로그 스냅숏에 있음.",
        ),
    ]:
        page = owner_client.get(
            f"/recommendations/{rec_set.pk}/", HTTP_ACCEPT_LANGUAGE=language
        ).content.decode()
        assert undated_note in page and dated_note in page
        assert "01/01/2020" not in page and "2020년 1월 1일" not in page
        movie_page = owner_client.get(
            f"/movies/{undated.pk}/", HTTP_ACCEPT_LANGUAGE=language
        ).content.decode()
        assert undated_note.rstrip(".")[1:] in movie_page
