"""Root URLs: pages per app, the REST API under /api/, admin and i18n."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from ottsite import views

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("health/live/", views.live, name="health-live"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("survey/", include("survey.urls")),
    path("", include("recommender.urls")),
    path("", include("experiments.urls")),
    path("", include("planner.urls")),
    path("api/", include("ottsite.api_urls")),
]
