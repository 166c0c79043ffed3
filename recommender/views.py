"""Recommendation pages, their status polling, feedback forms, the watchlist and the
movie page (it composes the catalogue with the viewer's region and feedback)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

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
from ottsite.lib.errors import Conflict, DomainError, NotFound, ValidationFailed
from recommender import signals
from recommender.forms import ItemFilterForm, RatingForm
from recommender.models import RecommendationSet
from recommender.pages import (
    PROGRESS_TAG,
    advice_for,
    cards_listing,
    genre_options,
    movie_cards,
    recommendation_cards,
    satisfaction_for,
    taste_chart,
)
from recommender.pool import pool_items
from recommender.selectors import (
    dismissed_movie_ids,
    movie_feedback,
    recommendation_set_get,
    recommendation_set_latest,
    results_fragment_cached,
    watchlist_list,
)
from recommender.services import (
    dismissal_create,
    dismissal_delete,
    rating_create,
    recommendation_set_retry,
    recommendations_refresh,
    watchlist_add,
    watchlist_remove,
)

# Movies with fewer ratings are co-liked too rarely to call "similar".
SIMILAR_MIN_RATINGS = 20


@login_required
@require_GET
def latest(request: HttpRequest) -> HttpResponse:
    rec_set = recommendation_set_latest(user=request.user)
    if rec_set is None:
        return render(request, "recommender/empty.html", {"nav": "recommendations"})
    return _set_page(request, rec_set)


@login_required
@require_GET
def detail(request: HttpRequest, set_id: int) -> HttpResponse:
    return _set_page(request, _set_get(request, set_id))


@login_required
@require_GET
def results(request: HttpRequest, set_id: int) -> HttpResponse:
    """The results fragment, swapped into the page by JavaScript once ready."""
    rec_set = _set_get(request, set_id)
    return HttpResponse(_results_html(request, rec_set))


@login_required
@require_GET
def status(request: HttpRequest, set_id: int) -> JsonResponse:
    rec_set = _set_get(request, set_id)
    return JsonResponse(
        {
            "id": rec_set.pk,
            "status": rec_set.status,
            "error": _(rec_set.error) if rec_set.error else "",
        }
    )


@login_required
@require_POST
def retry(request: HttpRequest, set_id: int) -> HttpResponse:
    try:
        rec_set = recommendation_set_retry(user=request.user, set_id=set_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except Conflict as exc:
        messages.info(request, exc.message)
        return redirect("recommender:detail", set_id=set_id)
    return redirect("recommender:detail", set_id=rec_set.pk)


@login_required
@require_POST
def refresh(request: HttpRequest) -> HttpResponse:
    try:
        rec_set = recommendations_refresh(user=request.user)
    except NotFound as exc:
        messages.info(request, exc.message)
        return redirect("survey:about")
    messages.success(
        request,
        _("Fresh recommendations are on their way."),
        extra_tags=PROGRESS_TAG,
    )
    return redirect("recommender:detail", set_id=rec_set.pk)


@login_required
@require_POST
def rate(request: HttpRequest, movie_id: int) -> HttpResponse:
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _feedback_error(request, form.errors["rating"][0])
    rating = form.cleaned_data["rating"]
    return _feedback(
        request,
        lambda: rating_create(user=request.user, movie_id=movie_id, rating=rating),
        _("Thanks, you rated it %(rating)d out of 5.") % {"rating": rating},
        event=(signals.RATING, movie_id, rating),
    )


@login_required
@require_POST
def dismiss(request: HttpRequest, movie_id: int) -> HttpResponse:
    return _feedback(
        request,
        lambda: dismissal_create(user=request.user, movie_id=movie_id),
        _("Got it. We will not recommend this movie again."),
        event=(signals.DISMISSAL, movie_id, None),
    )


@login_required
@require_POST
def undismiss(request: HttpRequest, movie_id: int) -> HttpResponse:
    return _feedback(
        request,
        lambda: dismissal_delete(user=request.user, movie_id=movie_id),
        _("Undone. This movie can be recommended again."),
    )


@login_required
@require_POST
def save(request: HttpRequest, movie_id: int) -> HttpResponse:
    return _feedback(
        request,
        lambda: watchlist_add(user=request.user, movie_id=movie_id),
        _("Saved to your watchlist."),
        event=(signals.WATCHLIST_ADD, movie_id, None),
    )


@login_required
@require_POST
def unsave(request: HttpRequest, movie_id: int) -> HttpResponse:
    return _feedback(
        request,
        lambda: watchlist_remove(user=request.user, movie_id=movie_id),
        _("Removed from your watchlist."),
    )


@login_required
@require_GET
def watchlist(request: HttpRequest) -> HttpResponse:
    entries = list(watchlist_list(user=request.user))
    region, mine = viewer_region(user=request.user)
    cards = movie_cards(
        user=request.user,
        movies=[e.movie for e in entries],
        region=region,
        my_platforms=mine,
    )
    context = {"cards": cards, "nav": "watchlist", "region": region}
    return render(request, "recommender/watchlist.html", context)


@require_GET
def movie(request: HttpRequest, movie_id: int) -> HttpResponse:
    """The movie page: details, where it streams, similar movies, your feedback."""
    movie = get_object_or_404(Movie.objects.prefetch_related("genres"), pk=movie_id)
    region, mine = _viewer_region(request)
    availability_lookups_request(movie_ids=[movie.pk], region=region)
    status = availability_status_for_movies(movie_ids=[movie.pk], region=region)
    my_services = [p for p in platforms_for_region(region=region) if p.slug in mine]
    signals.feedback_given_send(
        user=request.user,
        kind=signals.DETAIL_VIEW,
        movie_id=movie.pk,
        surface=signals.PAGE,
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
        context["feedback"] = movie_feedback(user=request.user, movie_id=movie.pk)
    return render(request, "recommender/movie.html", context)


def _viewer_region(request: HttpRequest) -> tuple[str, list[str]]:
    region, mine = viewer_region(user=request.user)
    requested = request.GET.get("region", "")
    return (requested if requested in Region.values else region), mine


def _set_get(request: HttpRequest, set_id: int) -> RecommendationSet:
    try:
        return recommendation_set_get(user=request.user, set_id=set_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _set_page(request: HttpRequest, rec_set: RecommendationSet) -> HttpResponse:
    if rec_set.status == RecommendationSet.Status.READY:
        # Also when the set was built before a key existed or its checks went stale.
        availability_lookups_request(
            movie_ids=[i.movie_id for i in rec_set.items.all()],
            region=rec_set.survey.region,
        )
    context = {
        "rec_set": rec_set,
        "query": request.GET.urlencode(),
        "results_html": _results_html(request, rec_set),
        "nav": "recommendations",
    }
    return render(request, "recommender/recommendations.html", context)


def _results_html(request: HttpRequest, rec_set: RecommendationSet) -> str:
    """The results fragment. A ready set's is cached per user, set, address (the
    cards' "next" fields), language and CSRF secret (the forms' tokens) until the
    catalogue or the user changes; impressions are recorded when it is built."""
    if rec_set.status != RecommendationSet.Status.READY:
        return render_to_string(
            "recommender/_results.html", _results(request, rec_set), request
        )
    get_token(request)  # the secret the cached forms are valid for, from now on

    def render_fragment() -> tuple[str, dict]:
        context = _results(request, rec_set)
        html = render_to_string("recommender/_results.html", context, request)
        cards = context.get("cards") or []
        return html, {card.movie.pk: card.availability for card in cards}

    html = results_fragment_cached(
        user=request.user,
        rec_set=rec_set,
        vary=[request.get_full_path(), request.META.get("CSRF_COOKIE", "")],
        render=render_fragment,
    )
    # Our own template's output (escaped when rendered), kept as text in the cache.
    return mark_safe(html)  # noqa: S308  # nosec B308 B703


def _results(request: HttpRequest, rec_set: RecommendationSet) -> dict:
    context: dict = {"rec_set": rec_set, "query": request.GET.urlencode()}
    if rec_set.status != RecommendationSet.Status.READY:
        return context
    signals.recommendations_shown_send(
        user=request.user, rec_set=rec_set, surface=signals.PAGE
    )
    cards = recommendation_cards(user=request.user, rec_set=rec_set)
    pool = pool_items(rec_set=rec_set, exclude=dismissed_movie_ids(user=request.user))
    form = ItemFilterForm(request.GET or None, genres=genre_options(cards, pool))
    filters = form.filters()
    listing = cards_listing(
        user=request.user, rec_set=rec_set, cards=cards, pool=pool, filters=filters
    )
    context.update(
        cards=listing.cards,
        total=listing.total,
        listing=listing,
        filter_form=form,
        filters=filters,
        advice=advice_for(user=request.user, rec_set=rec_set),
        chart=taste_chart(rec_set=rec_set, cards=cards),
        platform_names={p.slug: p.name for p in rec_set.survey.platforms.all()},
        price_platforms=platforms_for_region(region=rec_set.survey.region),
        satisfaction=satisfaction_for(rec_set=rec_set),
    )
    return context


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _next_url(request: HttpRequest) -> str:
    url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("recommender:latest")


def _feedback(
    request: HttpRequest,
    action: Callable[[], object],
    message: str,
    event: tuple[str, int, float | None] | None = None,
) -> HttpResponse:
    try:
        action()
        if event is not None:
            kind, movie_id, value = event
            signals.feedback_given_send(
                user=request.user,
                kind=kind,
                movie_id=movie_id,
                value=value,
                surface=signals.PAGE,
            )
    except ValidationFailed as exc:
        if "movie_id" in exc.errors:
            raise Http404(exc.message) from exc
        return _feedback_error(request, exc.message)
    except NotFound as exc:
        return _feedback_error(request, exc.message, status=404)
    except DomainError as exc:
        return _feedback_error(request, exc.message)
    if _wants_json(request):
        return JsonResponse({"ok": True, "message": message})
    messages.success(request, message)
    return redirect(_next_url(request))


def _feedback_error(
    request: HttpRequest, message: str, status: int = 400
) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"ok": False, "error": message}, status=status)
    context = {"message": message, "next": _next_url(request)}
    return render(request, "recommender/feedback_error.html", context, status=status)
