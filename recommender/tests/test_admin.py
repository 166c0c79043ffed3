from __future__ import annotations

import re

import pytest
from django.urls import reverse

from catalog.models import Availability, Movie, Platform
from recommender.charts import bar_chart_svg, loss_chart_svg
from recommender.models import ModelVersion

pytestmark = pytest.mark.django_db


def test_the_korean_admin_names_the_feedback_models_in_korean(admin_client):
    page = admin_client.get(
        reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="ko"
    ).content.decode()
    for english in ("Dismissals", "Movie ratings", "Watchlist items"):
        assert english not in page
    for korean in ("영화 평점", "관심 없음", "보고 싶은 영화"):
        assert korean in page


def test_the_korean_admin_labels_availability_fields(admin_client):
    page = admin_client.get(
        reverse("admin:catalog_availability_add"), HTTP_ACCEPT_LANGUAGE="ko"
    ).content.decode()
    assert "Movie:" not in page and "Platform:" not in page
    assert "영화:" in page and "플랫폼:" in page


def test_it_rounds_training_time_and_translates_model_version_labels(admin_client):
    ModelVersion.objects.create(
        version="v1", path="/tmp/x", training_seconds=15.741614035999987
    )
    page = admin_client.get(
        reverse("admin:recommender_modelversion_changelist"),
        HTTP_ACCEPT_LANGUAGE="ko",
    ).content.decode()
    assert "15.741614" not in page
    assert "15.7초" in page
    assert "VALIDATION RMSE" not in page.upper().replace("검증 RMSE", "")
    assert "선택한 버전 활성화" in page


def test_an_availability_reads_with_names_and_defaults_to_checked_now(admin_client):
    movie = Movie.objects.create(source="t", source_id=1, title="Fargo", year=1996)
    netflix = Platform.objects.get(region="KR", slug="netflix")
    offer = Availability(movie=movie, platform=netflix, offer_type="subscription")
    assert offer.last_checked is not None
    assert str(offer) == "Fargo (1996) on Netflix (Subscription)"
    page = admin_client.get(reverse("admin:catalog_availability_add")).content.decode()
    assert re.search(r'name="last_checked_0"[^>]*value="\d{4}-\d\d-\d\d"', page)


def test_chart_legends_sit_outside_the_plot():
    svg = loss_chart_svg(
        [{"loss": 1.0, "val_loss": 1.2}, {"loss": 0.5, "val_loss": 0.9}]
    )
    legend_y = [
        float(y)
        for y in re.findall(r'<text x="\d+" y="([\d.]+)"[^>]*chart-legend', svg)
    ]
    curve_y = [
        float(p.split(",")[1])
        for pts in re.findall(r'points="([^"]+)"', svg)
        for p in pts.split()
    ]
    assert len(legend_y) == 2
    assert max(legend_y) < min(curve_y)
    wide = bar_chart_svg(
        ["Drama"],
        {"Your favourites": [50], "Recommended": [40]},
        width=200,
    )
    # Too wide for one row at 200px: the second entry wraps instead of being clipped.
    xs = [int(x) for x in re.findall(r'<rect x="(\d+)" y="\d+" width="12"', wide)]
    assert all(x + 12 < 200 for x in xs)
