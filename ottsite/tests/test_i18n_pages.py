"""The pages render in Korean and English; no English template string leaks into ko."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalog.models import Platform
from catalog.tests.factories import AvailabilityFactory
from recommender.models import RecommendationSet, WatchlistItem
from recommender.tests.factories import (
    RecommendationSetFactory,
    SurveyFactory,
    ready_set,
)

pytestmark = pytest.mark.django_db
PO = Path(settings.BASE_DIR) / "locale" / "ko" / "LC_MESSAGES" / "django.po"
# Sources of the strings on the pages checked here.
PAGE_SOURCES = (
    "templates/",
    "survey/forms.py",
    "survey/views.py",
    "recommender/pages.py",
    "recommender/forms.py",
    "recommender/views.py",
    "catalog/labels.py",
    "accounts/forms.py",
)


def _catalogue() -> list[dict]:
    entries, entry, field = [], {"refs": ""}, None
    for line in [*PO.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if "msgid" in entry:
                entries.append(entry)
            entry, field = {"refs": ""}, None
        elif line.startswith("#:"):
            entry["refs"] += line
        elif line.startswith("#"):
            continue
        elif match := re.match(
            r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[0\])?) "(.*)"$', line
        ):
            field = match.group(1).replace("[0]", "")
            entry[field] = match.group(2)
        elif line.startswith('"') and field:
            entry[field] += line[1:-1]
    return [e for e in entries if e["msgid"]]


def _page_msgids() -> set[str]:
    """English msgids from the page sources, long enough not to be a name or code."""
    ids = set()
    for entry in _catalogue():
        if any(source in entry["refs"] for source in PAGE_SOURCES):
            for text in re.split(r"%\(\w+\)[sd]|%\(\w+\)\.1f", entry["msgid"]):
                text = text.replace('\\"', '"').strip(" .,:;()—-")
                if len(text) >= 12 and " " in text:
                    ids.add(text)
    return ids


class _Text(HTMLParser):
    """Visible text plus the attributes a screen reader reads out."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in ("aria-label", "placeholder", "title", "alt") and value:
                self.parts.append(value)
            if name.startswith("data-") and value and " " in value:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _text(response) -> str:
    parser = _Text()
    parser.feed(response.content.decode())
    return " ".join(" ".join(parser.parts).split())


@pytest.fixture
def pages(owner_client, owner, other_user):
    """URLs of every page built for the web product, in all their states."""
    rec_set = ready_set(owner, movies=3, genres=["Comedy", "Drama"])
    rec_set.survey.platforms.set([Platform.objects.get(region="KR", slug="netflix")])
    movie = rec_set.items.get(rank=1).movie
    AvailabilityFactory(movie=movie)
    WatchlistItem.objects.create(user=owner, movie=movie)
    pending = RecommendationSetFactory(
        survey=SurveyFactory(user=owner), status=RecommendationSet.Status.PENDING
    )
    failed = RecommendationSetFactory(
        survey=SurveyFactory(user=owner),
        status=RecommendationSet.Status.FAILED,
        error="x",
    )
    owner_client.post(
        reverse("survey:about"),
        {"age": "3", "gender": "F", "occupation": "engineer", "region": "KR"},
    )
    owner_client.post(
        reverse("survey:history"),
        {"export": SimpleUploadedFile("h.csv", b"Title,Date\nNo Such Film,1/2/24\n")},
    )
    return [
        reverse("home"),
        reverse("survey:about"),
        reverse("survey:services"),
        reverse("survey:movies") + "?q=test",
        reverse("recommender:detail", args=[rec_set.pk]),
        reverse("recommender:detail", args=[rec_set.pk]) + "?year_from=3000",
        reverse("recommender:detail", args=[pending.pk]),
        reverse("recommender:detail", args=[failed.pk]),
        reverse("recommender:watchlist"),
        reverse("recommender:movie", args=[movie.pk]),
        reverse("accounts:profile"),
        reverse("accounts:password_change"),
        reverse("accounts:delete"),
        reverse("survey:history"),
        reverse("survey:history_confirm"),
    ]


def test_it_has_a_korean_translation_for_every_string():
    untranslated = [e["msgid"] for e in _catalogue() if not e.get("msgstr")]
    assert untranslated == []


def test_it_leaves_no_english_page_string_on_korean_pages(owner_client, pages):
    english = _page_msgids()
    assert len(english) > 100
    for url in pages:
        response = owner_client.get(url, HTTP_ACCEPT_LANGUAGE="ko")
        assert response.status_code == 200, url
        text = _text(response)
        leaks = sorted(m for m in english if m in text)
        assert leaks == [], (url, leaks)


def test_it_renders_the_pages_in_english(owner_client, pages):
    for url in pages:
        response = owner_client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200, url
        assert '<html lang="en">' in response.content.decode()
    survey = owner_client.get(reverse("survey:movies"), HTTP_ACCEPT_LANGUAGE="en")
    # The leak detector sees the English strings when they are there.
    assert len([m for m in _page_msgids() if m in _text(survey)]) >= 5


def test_it_translates_anonymous_pages(anon_client):
    for url in [reverse("accounts:login"), reverse("accounts:signup")]:
        response = anon_client.get(url, HTTP_ACCEPT_LANGUAGE="ko")
        assert "로그인" in response.content.decode()
        assert not [m for m in _page_msgids() if m in _text(response)]
