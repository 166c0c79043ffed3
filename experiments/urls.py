"""The experiments' pages: click-outs from a set's cards and the satisfaction answer.

Their paths sit under /recommendations/<set>/ beside the set's page; the
recommender's templates link to them by these names (experiments:...).
"""

from __future__ import annotations

from django.urls import path

from experiments import views

app_name = "experiments"

urlpatterns = [
    path(
        "recommendations/<int:set_id>/out/<int:movie_id>/<slug:platform>/",
        views.clickout,
        name="clickout",
    ),
    path(
        "recommendations/<int:set_id>/search/<int:movie_id>/<slug:platform>/",
        views.search_clickout,
        name="search_clickout",
    ),
    path(
        "recommendations/<int:set_id>/satisfaction/",
        views.satisfaction,
        name="satisfaction",
    ),
]
