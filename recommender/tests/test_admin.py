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


METRICS = {
    "val_rmse": 0.9342871904373169,
    "val_loss": 0.8680388331413269,
    "epochs_run": 12,
    "history": [{"loss": 1.0, "val_loss": 0.9}, {"loss": 0.8, "val_loss": 0.868}],
    "n_users": 875,
    "n_items": 1682,
    "n_ratings": 75116,
    "ncf_train_seconds": 45.5,
    "ranker": {
        "n_fit_cases": 1200,
        "n_boosters": 3,
        "best_iteration": 38,
        "stop_ndcg@10": 0.2758245367363029,
        "stop_seed_score_ndcg@10": 0.27108318366780526,
        "tuned": {f"rp3_{i}": 0.1 * i for i in range(60)},
        "feature_gain": {"popularity_rank": 3976.6, "item_mean": 1291.3, "year": 1.0},
        "seconds": {"tuning": 120.0, "features": 100.0, "boosting": 70.1},
    },
    "ranker_train_seconds": 290.1,
    "ranker_skipped": None,
    "total_seconds": 346.0,
    "holdout": {
        "protocol": "holdout-v1",
        "cold_start_ndcg@10": 0.33025414164002576,
        "rmse": 1.2516841931581595,
        "by_origin": {
            "dataset": {
                "cold_start_users": 69,
                "cold_start_ndcg@10": 0.3302,
                "rmse": 1.25,
            },
            "product": {
                "cold_start_users": 0,
                "cold_start_ndcg@10": None,
                "rmse": 0.84,
            },
        },
    },
}


def test_the_korean_admin_shows_a_versions_metrics_for_people(admin_client):
    version = ModelVersion.objects.create(
        version="v2",
        path="/tmp/x",
        metrics=METRICS,
        training_seconds=346.0,
        gate_decision=ModelVersion.Gate.ACCEPTED,
        gate_reason="cold-start NDCG@10 0.3303 vs active 0.3100 (tolerance 0.0100)",
        data_counts={"dataset": {"users": 875, "ratings": 75116}},
    )
    page = admin_client.get(
        reverse("admin:recommender_modelversion_change", args=[version.pk]),
        HTTP_ACCEPT_LANGUAGE="ko",
    ).content.decode()
    table = page.split('class="metrics-table"', 1)[1].split("</table>", 1)[0]
    assert "0.934" in table and "0.868" in table
    assert "사용자 875명, 작품 1,682편, 평점 75,116개" in table
    # The whole training, not the NCF's 45.5 s alone.
    assert "5분 46초 (NCF 45.5초, 랭커 4분 50초)" in table
    assert "학습 사례 1,200개, 부스터 3개, 최적 반복 38회" in table
    assert "popularity_rank, item_mean, year" in table
    assert "NDCG@10 0.330, RMSE 1.252 (데이터셋 69명, 서비스 사용자 0명)" in table
    for raw in ("0.8680388331413269", "{", "rp3_", "val_loss", "holdout"):
        assert raw not in table, raw
    assert "보류 사용자 NDCG@10 0.330, 현재 버전 0.310(허용 오차 0.010)." in page
    assert "데이터셋: 사용자 875명, 평점 75,116개" in page
    assert "<details><summary>기록된 그대로의 지표 보기(JSON)</summary>" in page
    assert "에포크별 MSE 손실" in page
    listing = admin_client.get(
        reverse("admin:recommender_modelversion_changelist"),
        HTTP_ACCEPT_LANGUAGE="ko",
    ).content.decode()
    assert (
        "0.330 (69명)" in listing
        and '<td class="field-total_time">5분 46초</td>' in listing
    )
    assert "NCF 45.5초" not in listing  # the parts are on the version's page


def test_a_version_trained_before_the_total_was_kept_adds_ncf_and_ranker(
    admin_client,
):
    metrics = {k: v for k, v in METRICS.items() if k != "total_seconds"}
    old = ModelVersion.objects.create(
        version="old", path="/tmp/x", metrics=metrics, training_seconds=45.5
    )
    page = admin_client.get(
        reverse("admin:recommender_modelversion_change", args=[old.pk]),
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    assert "5 min 36 s (NCF 45.5 s, ranker 4 min 50 s)" in page


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
