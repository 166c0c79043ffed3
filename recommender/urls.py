"""Recommendation pages, the movie page, feedback on movies and the watchlist."""

from __future__ import annotations

from django.urls import path

from recommender import views

app_name = "recommender"

urlpatterns = [
    path("recommendations/", views.latest, name="latest"),
    path("recommendations/refresh/", views.refresh, name="refresh"),
    path("recommendations/<int:set_id>/", views.detail, name="detail"),
    path("recommendations/<int:set_id>/results/", views.results, name="results"),
    path("recommendations/<int:set_id>/status/", views.status, name="status"),
    path("recommendations/<int:set_id>/retry/", views.retry, name="retry"),
    path("movies/<int:movie_id>/", views.movie, name="movie"),
    path("movies/<int:movie_id>/rate/", views.rate, name="rate"),
    path("movies/<int:movie_id>/dismiss/", views.dismiss, name="dismiss"),
    path("movies/<int:movie_id>/undismiss/", views.undismiss, name="undismiss"),
    path("movies/<int:movie_id>/save/", views.save, name="save"),
    path("movies/<int:movie_id>/unsave/", views.unsave, name="unsave"),
    path("watchlist/", views.watchlist, name="watchlist"),
]
