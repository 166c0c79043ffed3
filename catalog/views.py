"""The movie page: details, where it streams and similar movies."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from accounts.selectors import viewer_region
from catalog.labels import movie_genre_labels
from catalog.links import movie_search_links
from catalog.lookup import availability_lookups_request
from catalog.models import Movie
from catalog.pages import availability_by_platform
from catalog.regions import Region
from catalog.selectors import (
    availability_status_for_movies,
    movie_similar,
    platforms_for_region,
)
from experiments.events import feedback_record
from experiments.models import Event

# Movies with fewer ratings are co-liked too rarely to call "similar".
SIMILAR_MIN_RATINGS = 20


@require_GET
def movie(request: HttpRequest, movie_id: int) -> HttpResponse:
    movie = get_object_or_404(Movie.objects.prefetch_related("genres"), pk=movie_id)
    region, mine = _viewer_region(request)
    availability_lookups_request(movie_ids=[movie.pk], region=region)
    status = availability_status_for_movies(movie_ids=[movie.pk], region=region)
    my_services = [p for p in platforms_for_region(region=region) if p.slug in mine]
    feedback_record(
        user=request.user,
        kind=Event.Kind.DETAIL_VIEW,
        movie_id=movie.pk,
        surface=Event.Surface.PAGE,
    )
    context = {
        "movie": movie,
        "genres": movie_genre_labels(movie),
        "region": region,
        "region_name": Region(region).label,
        "platforms": availability_by_platform(
            movie_id=movie.pk, region=region, my_platforms=mine
        ),
        "availability": status[movie.pk],
        "search_links": []
        if status[movie.pk].state in ("available", "checking")
        else movie_search_links(movie=movie, region=region, platforms=my_services),
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
