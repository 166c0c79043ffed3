from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from recommender.models import ModelVersion

pytestmark = pytest.mark.django_db


def test_it_refuses_to_train_on_an_empty_catalogue():
    with pytest.raises(CommandError, match="import MovieLens first"):
        call_command("train_recommender", "--epochs", "1")


def test_it_trains_records_and_activates_a_version(trained_model, admin_client, capsys):
    call_command("train_recommender", "--epochs", "1")
    printed = capsys.readouterr()
    phases = printed.out + printed.err
    # Every phase says when it starts (the ranker's too), with the time so far.
    for start in ("reading the ratings", "NCF: ", "ranker: ", "gate: ", "saving"):
        assert f" s] {start}" in phases
    versions = ModelVersion.objects.all()
    assert versions.count() == 2
    newest = versions.first()
    assert newest.is_active and not versions.last().is_active
    assert newest.gate_decision == ModelVersion.Gate.ACCEPTED, newest.gate_reason
    assert newest.metrics["epochs_run"] == 1 and newest.metrics["val_rmse"] > 0
    assert 800 < newest.data_counts["dataset"]["users"] < 943  # minus held-out
    # The whole training's time, of which the NCF and the ranker are parts.
    m = newest.metrics
    assert newest.training_seconds == m["total_seconds"]
    assert m["total_seconds"] > m["ncf_train_seconds"] + m["ranker_train_seconds"]
    assert " s in all" in phases
    page = admin_client.get(
        f"/admin/recommender/modelversion/{newest.pk}/change/",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert page.status_code == 200
    assert b"<svg" in page.content and b"MSE loss per epoch" in page.content
    listing = admin_client.get(
        "/admin/recommender/modelversion/", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert b"NDCG@10, data set" in listing.content and b"train-now" in listing.content
    counts = newest.data_counts["dataset"]
    shown = f"data set: {counts['users']:,} users, {counts['ratings']:,} ratings"
    assert shown.encode() in page.content  # users / ratings by origin
    # Roll back to the first version with the admin action.
    response = admin_client.post(
        "/admin/recommender/modelversion/",
        {"action": "activate", "_selected_action": [trained_model.pk]},
    )
    assert response.status_code == 302
    assert ModelVersion.objects.get(is_active=True).pk == trained_model.pk


def test_the_admin_train_button_queues_a_gated_training(
    trained_model, admin_client, settings
):
    settings.RETRAIN_EPOCHS = 1
    assert admin_client.get("/admin/recommender/modelversion/train/").status_code == 405
    response = admin_client.post("/admin/recommender/modelversion/train/")
    assert response.status_code == 302
    newest = ModelVersion.objects.first()  # tasks run eagerly in unit tests
    assert newest.pk != trained_model.pk
    assert newest.gate_decision in (
        ModelVersion.Gate.ACCEPTED,
        ModelVersion.Gate.REJECTED,
    )
    assert newest.metrics["holdout"]["protocol"] == "holdout-v1"


def test_the_admin_train_button_is_for_staff_only(client, trained_model):
    response = client.post("/admin/recommender/modelversion/train/")
    assert response.status_code == 302 and "/login/" in response.url
    assert ModelVersion.objects.count() == 1


def test_it_trains_through_the_celery_task(trained_model):
    from recommender.tasks import model_train_task

    version = model_train_task.delay(epochs=1).get(timeout=300)
    active = ModelVersion.objects.get(is_active=True)
    assert active.version == version and active.pk != trained_model.pk


def test_the_first_start_says_how_long_training_takes_here(monkeypatch, settings):
    from ottsite.management.commands import bootstrap

    settings.RECOMMENDER_RANKER_USERS = 600
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    monkeypatch.setattr("os.getloadavg", lambda: (0.1, 0.1, 0.1))
    quiet = bootstrap.training_estimate(100_000)
    monkeypatch.setattr("os.getloadavg", lambda: (5.0, 5.0, 5.0))
    busy = bootstrap.training_estimate(100_000)

    assert "About 1.7 minutes on a quiet 2-core machine" in quiet
    assert "busy" not in quiet
    assert "busy (load 5.0 on 2 cores), so expect about 5 minutes" in busy
