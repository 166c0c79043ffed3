"""Real snapshot availability reaching the recommendation page and the API."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from catalog.models import Availability
from ottsite.tests.api_support import api_test_settings, token_client
from recommender.pool import pool_rows
from survey.services import survey_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def us_survey(owner, favourite_ids, movielens_dir, django_capture_on_commit_callbacks):
    """ml-100k + the real US snapshots imported, and a US survey built (eagerly)."""
    streaming = movielens_dir.parent / "streaming"
    if not streaming.is_dir():
        pytest.skip("no streaming snapshots beside the MovieLens directory")
    call_command("import_availability", str(streaming), "--region", "US")
    with django_capture_on_commit_callbacks(execute=True):
        return survey_submit(
            user=owner,
            age=30,
            gender="M",
            occupation="programmer",
            region="US",
            platform_slugs=["netflix"],
            favorite_movie_ids=favourite_ids,
        )


def test_it_shows_snapshot_offers_and_advice_in_the_api(settings, owner, us_survey):
    api_test_settings(settings)
    client = token_client(owner)
    body = client.get(f"/api/surveys/{us_survey.pk}/recommendations/").json()
    assert body["status"] == "ready"
    offers = [o for item in body["items"] for o in item["availability"]]
    assert offers, "no recommended movie matched the US snapshots"
    assert {o["source"] for o in offers} == {"snapshot"}
    advice = body["platform_advice"]
    assert advice["region"] == "US" and advice["subscribed"] == ["netflix"]
    # The advice counts over the set's longer list (the catalogue's best
    # matches), not only the items shown: each service's count is the list's
    # titles it carries in the snapshots.
    assert advice["scope"] == "pool" and advice["k"] > len(body["items"])
    pool_ids = [
        row["movie_id"]
        for row in pool_rows(rec_set=us_survey.recommendation_sets.get(), exclude=set())
    ]
    covered = {p["slug"]: p["covered_count"] for p in advice["per_platform"]}
    assert any(covered.values())
    for slug, count in covered.items():
        expected = (
            Availability.objects.filter(
                region="US",
                platform__slug=slug,
                offer_type__in=Availability.INCLUDED_OFFER_TYPES,
                movie_id__in=pool_ids,
            )
            .values("movie_id")
            .distinct()
            .count()
        )
        assert count == expected, slug
    assert advice["sentence"]


def test_it_shows_snapshot_badges_on_the_page(owner_client, us_survey):
    rec_set = us_survey.recommendation_sets.get()
    offered = set(
        Availability.objects.filter(
            region="US", movie__in=rec_set.items.values("movie")
        ).values_list("platform__slug", flat=True)
    )
    assert offered, "no recommended movie matched the US snapshots"
    page = owner_client.get("/recommendations/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    badges = set(re.findall(r'class="badge[^"]*" data-platform="([^"]+)"', page.text))
    assert badges == offered
