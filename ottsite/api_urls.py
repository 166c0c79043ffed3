"""The REST API: each app's api routes plus the OpenAPI schema and docs."""

from __future__ import annotations

from django.urls import path, re_path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts import api as accounts_api
from catalog import api as catalog_api
from experiments import api as experiments_api
from ottsite.lib.api import IdConverter, NotFoundApi
from planner import api as planner_api
from recommender import api as recommender_api
from survey import api as survey_api

app_name = "api"
register_converter(IdConverter, "id")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Its start-up script is served from docs/?script, not inline (the CSP allows
    # no inline scripts).
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema"),
        name="docs",
    ),
    # Accounts
    path(
        "accounts/register/",
        accounts_api.RegisterApi.as_view(),
        name="account-register",
    ),
    path("auth/token/", accounts_api.TokenApi.as_view(), name="auth-token"),
    path("me/", accounts_api.MeApi.as_view(), name="me"),
    # Catalogue
    path("movies/", catalog_api.MovieListApi.as_view(), name="movie-list"),
    path(
        "movies/<id:movie_id>/",
        catalog_api.MovieDetailApi.as_view(),
        name="movie-detail",
    ),
    path("platforms/", catalog_api.PlatformListApi.as_view(), name="platform-list"),
    path(
        "platforms/<id:platform_id>/",
        catalog_api.PlatformDetailApi.as_view(),
        name="platform-detail",
    ),
    # Survey and its recommendations
    path("surveys/", survey_api.SurveyListApi.as_view(), name="survey-list"),
    path(
        "surveys/<id:survey_id>/",
        survey_api.SurveyDetailApi.as_view(),
        name="survey-detail",
    ),
    path(
        "surveys/<id:survey_id>/recommendations/",
        recommender_api.SurveyRecommendationsApi.as_view(),
        name="survey-recommendations",
    ),
    path(
        "recommendations/latest/",
        recommender_api.LatestRecommendationsApi.as_view(),
        name="recommendations-latest",
    ),
    path(
        "recommendations/refresh/",
        recommender_api.RefreshRecommendationsApi.as_view(),
        name="recommendations-refresh",
    ),
    # Feedback
    path("ratings/", recommender_api.RatingApi.as_view(), name="rating-create"),
    path(
        "dismissals/", recommender_api.DismissalApi.as_view(), name="dismissal-create"
    ),
    path("watchlist/", recommender_api.WatchlistApi.as_view(), name="watchlist"),
    path(
        "watchlist/<id:movie_id>/",
        recommender_api.WatchlistItemApi.as_view(),
        name="watchlist-item",
    ),
    # The plan for the coming months
    path("plan/", planner_api.PlanApi.as_view(), name="plan"),
    # Experiments
    path(
        "recommendations/<id:set_id>/satisfaction/",
        experiments_api.SatisfactionApi.as_view(),
        name="satisfaction",
    ),
    path("events/", experiments_api.EventBatchApi.as_view(), name="events"),
    re_path(r"^[\s\S]*$", NotFoundApi.as_view(), name="not-found"),
]
