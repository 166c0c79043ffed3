"""The movie page: details, where it streams and similar movies."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from accounts.models import Region
from accounts.selectors import viewer_region
from catalog.labels import genre_label
from catalog.models import Movie
from catalog.pages import availability_by_platform
from catalog.selectors import movie_similar

# Movies with fewer ratings have embeddings too noisy to call "similar".
SIMILAR_MIN_RATINGS = 20


@require_GET
def movie(request: HttpRequest, movie_id: int) -> HttpResponse:
    movie = get_object_or_404(Movie.objects.prefetch_related("genres"), pk=movie_id)
    region, mine = _viewer_region(request)
    context = {
        "movie": movie,
        "genres": [genre_label(g.name) for g in movie.genres.all()],
        "region": region,
        "region_name": Region(region).label,
        "platforms": availability_by_platform(
            movie_id=movie.pk, region=region, my_platforms=mine
        ),
        "similar": movie_similar(
            movie=movie, limit=10, min_ratings=SIMILAR_MIN_RATINGS
        ),
    }
    if request.user.is_authenticated:
        # Feedback lives in the recommender app, which builds on the catalogue.
        from recommender.selectors import movie_feedback

        context["feedback"] = movie_feedback(user=request.user, movie_id=movie.pk)
    return render(request, "catalog/movie.html", context)


def _viewer_region(request: HttpRequest) -> tuple[str, list[str]]:
    region, mine = viewer_region(user=request.user)
    requested = request.GET.get("region", "")
    return (requested if requested in Region.values else region), mine
