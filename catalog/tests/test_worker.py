from __future__ import annotations

import pytest

from catalog.selectors import catalog_counts
from catalog.tasks import movielens_import_task
from catalog.tests.movielens_files import write_ml100k


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_it_runs_a_task_in_a_real_worker(celery_worker, tmp_path):
    folder = write_ml100k(tmp_path / "ml")
    result = movielens_import_task.delay(str(folder))
    assert result.get(timeout=60) == {"movies": 4, "users": 3, "ratings": 5}
    assert catalog_counts() == {"movies": 4, "users": 3, "ratings": 5}
