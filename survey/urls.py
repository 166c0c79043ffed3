"""The survey: about you -> your services -> your favourite movies."""

from __future__ import annotations

from django.urls import path

from survey import views

app_name = "survey"

urlpatterns = [
    path("", views.about, name="about"),
    path("services/", views.services, name="services"),
    path("movies/", views.movies, name="movies"),
    path("history/", views.history, name="history"),
    path("history/confirm/", views.history_confirm, name="history_confirm"),
]
