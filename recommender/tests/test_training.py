from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from recommender.models import ModelVersion

pytestmark = pytest.mark.django_db


def test_it_refuses_to_train_on_an_empty_catalogue():
    with pytest.raises(CommandError, match="import MovieLens first"):
        call_command("train_recommender", "--epochs", "1")


def test_it_trains_records_and_activates_a_version(trained_model, admin_client):
    call_command("train_recommender", "--epochs", "1")
    versions = ModelVersion.objects.all()
    assert versions.count() == 2
    newest = versions.first()
    assert newest.is_active and not versions.last().is_active
    assert newest.metrics["epochs_run"] == 1 and newest.metrics["val_rmse"] > 0
    page = admin_client.get(f"/admin/recommender/modelversion/{newest.pk}/change/")
    assert page.status_code == 200
    assert b"<svg" in page.content and b"MSE loss per epoch" in page.content


def test_it_trains_through_the_celery_task(trained_model):
    from recommender.tasks import model_train_task

    version = model_train_task.delay(epochs=1).get(timeout=300)
    active = ModelVersion.objects.get(is_active=True)
    assert active.version == version and active.pk != trained_model.pk
