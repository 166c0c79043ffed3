"""Ten current Korean series as favourites bring Korean titles back (issue #24).

Against the loopback fakes of TMDB (a realistic KR catalogue) and Wikidata: the
sync adds the catalogue and its Wikidata content, a retraining fits the content
model over it, and a survey whose favourites are ten Korean series nobody has
rated gets mostly Korean-language titles, each saying which favourite it
resembles, and a longer list from the whole catalogue.
"""

from __future__ import annotations

import pytest

from catalog.models import Availability, Movie
from catalog.sync import catalog_sync
from ottsite.testing import FakeServer, FakeTmdbCatalogue, FakeWikidata, kr_catalogue
from recommender.advice import platform_advice_for_set
from recommender.building import recommendation_set_build
from recommender.models import RecommendationSet
from recommender.tests.factories import RecommendationSetFactory, SurveyFactory
from recommender.training import model_train

pytestmark = pytest.mark.django_db
KEY = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def synced_catalogue(settings, fake_server, trained_model, tmp_path):
    """The KR catalogue synced with its Wikidata content, and a model retrained
    over it (test size: one epoch, no ranker)."""
    titles = kr_catalogue(300, seed=7)
    FakeTmdbCatalogue(fake_server, titles=titles)
    settings.TMDB_API_URL = fake_server.url
    settings.TMDB_API_KEY = KEY
    settings.TMDB_REQUESTS_PER_SECOND = 10_000
    wikidata_server = FakeServer()
    wikidata_server.start()
    try:
        wiki = FakeWikidata(wikidata_server, titles=titles, seed=7)
        settings.WIKIDATA_ENABLED = True
        settings.WIKIDATA_API_URL = wiki.api_url
        settings.WIKIDATA_CONTACT = "ops@example.com"
        settings.WIKIDATA_REQUESTS_PER_SECOND = 10_000
        catalog_sync(region="KR")
    finally:
        wikidata_server.stop()
    settings.MODELS_DIR = tmp_path
    version = model_train(epochs=1, gate=False, ranker=False)
    return version


def test_ten_korean_series_bring_mostly_korean_titles_back(
    synced_catalogue, favourite_ids
) -> None:
    report = synced_catalogue.metrics["content_model"]
    documented = Movie.objects.filter(
        source__in=["tmdb-movie", "tmdb-tv"], content__status="found"
    )
    # every synced title Wikidata knows is a candidate
    assert report["n_unrated_titles"] == documented.count() >= 150
    korean_series = list(
        Movie.objects.filter(
            kind=Movie.Kind.SERIES, original_language="ko", content__status="found"
        ).order_by("pk")[:10]
    )
    assert len(korean_series) == 10
    built = _build(korean_series)

    assert built.status == RecommendationSet.Status.READY
    items = list(built.items.select_related("movie"))
    assert len(items) == 20
    korean = [i for i in items if i.movie.original_language == "ko"]
    # mostly Korean (none of the rated MovieLens films is)
    assert len(korean) > len(items) / 2, [
        (i.movie.title, i.movie.original_language) for i in items
    ]
    chosen = {m.pk for m in korean_series}
    assert not chosen & {i.movie_id for i in items}
    for item in korean:
        assert item.reason_data["kind"] == "resembles"
        assert item.reason_data["item_id"] in chosen
    # the longer list reaches across the whole catalogue, best first
    pool = built.pool
    assert len(pool) == 300
    assert {i.movie_id for i in items} <= {entry["movie_id"] for entry in pool}
    scores = [entry["score"] for entry in pool]
    assert scores == sorted(scores, reverse=True)
    synced = set(
        Movie.objects.filter(source__in=["tmdb-movie", "tmdb-tv"]).values_list(
            "pk", flat=True
        )
    )
    assert sum(entry["movie_id"] in synced for entry in pool) >= 100
    # "Which service" counts over that list: each KR service by how many of the
    # 300 it carries (the sync's offers), with examples, not the 20 on screen
    advice = platform_advice_for_set(rec_set=built)
    assert advice.scope == "pool"
    assert advice.known_count > len(items)
    counted = [p for p in advice.per_platform if p.covered_count > 0]
    assert counted and max(p.covered_count for p in counted) > len(items) // 2
    for platform in counted:
        carried = set(
            Availability.objects.filter(
                movie_id__in=[e["movie_id"] for e in pool],
                platform__slug=platform.slug,
                region="KR",
            ).values_list("movie_id", flat=True)
        )
        assert set(platform.movie_ids) <= carried
        assert advice.examples[platform.slug]

    # Rated favourites keep the collaborative lead over the same catalogue: the
    # first half stays MovieLens titles people rated.
    rated = _build(Movie.objects.filter(pk__in=favourite_ids))
    first = [(i.movie.title, i.movie.source, i.reason_data) for i in rated.items.all()]
    assert all(source == "ml-100k" for _, source, _ in first[:9]), [
        (n, row) for n, row in enumerate(first) if row[1] != "ml-100k"
    ]


def _build(favourites) -> RecommendationSet:
    survey = SurveyFactory(favourites=list(favourites))
    rec_set = RecommendationSetFactory(
        survey=survey, status=RecommendationSet.Status.PENDING
    )
    return recommendation_set_build(set_id=rec_set.pk, owner="test")
