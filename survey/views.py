"""The survey pages: three steps, then one call to survey_submit."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import Region
from catalog.hangul import has_hangul
from catalog.selectors import SEARCH_MAX_LENGTH, movie_search, platforms_for_region
from ottsite.lib.errors import ValidationFailed
from ottsite.lib.flash import PROGRESS_TAG
from survey.drafts import (
    draft_clear,
    draft_get,
    draft_movie_ids,
    draft_movies,
    draft_save,
)
from survey.forms import (
    AboutForm,
    HistoryConfirmForm,
    HistoryUploadForm,
    MoviesForm,
    ServicesForm,
)
from survey.history import FORMAT_NAMES, HistoryFileError
from survey.models import MIN_FAVORITES
from survey.onboarding import HistoryProposal, history_import
from survey.services import UNSET, Unset, survey_submit

HISTORY_KEY = "survey_history"

# Fields of survey_submit mapped to the step that asks for them.
FIELD_STEPS = {
    "age": "survey:about",
    "gender": "survey:about",
    "occupation": "survey:about",
    "region": "survey:about",
    "platforms": "survey:services",
}


@login_required
@require_http_methods(["GET", "POST"])
def about(request: HttpRequest) -> HttpResponse:
    draft = draft_get(request)
    form = AboutForm(request.POST or None, initial=draft["about"])
    if request.method == "POST":
        draft_save(request, "about", _answers(request, AboutForm.base_fields))
        if form.is_valid():
            return redirect("survey:services")
    return render(request, "survey/about.html", _context(form, step=1))


@login_required
@require_http_methods(["GET", "POST"])
def services(request: HttpRequest) -> HttpResponse:
    draft = draft_get(request)
    region = _region(draft)
    platforms = platforms_for_region(region=region)
    form = ServicesForm(
        request.POST or None, initial=draft["services"], platforms=platforms
    )
    if request.method == "POST":
        answers = {
            "platforms": request.POST.getlist("platforms"),
            "monthly_budget": request.POST.get("monthly_budget", "").strip()[:20],
        }
        draft_save(request, "services", answers)
        if request.POST.get("action") == "back":
            return redirect("survey:about")
        if form.is_valid():
            return redirect("survey:movies")
    context = _context(form, step=2)
    context["region_name"] = Region(region).label
    return render(request, "survey/services.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def movies(request: HttpRequest) -> HttpResponse:
    form = MoviesForm(request.POST or None)
    if request.method == "POST":
        action = request.POST.get("action", "submit")
        chosen = request.POST.getlist("movie")
        if request.POST.get("add"):
            chosen.append(request.POST["add"])
        chosen = [c for c in chosen if c != request.POST.get("remove")]
        draft_save(request, "movies", {"movie_ids": list(dict.fromkeys(chosen))})
        if action == "back":
            return redirect("survey:services")
        if request.POST.get("add") or request.POST.get("remove") or action == "search":
            return _movies_redirect(request.POST.get("q", ""))
        if form.is_valid():
            response = _submit(request, form)
            if response is not None:
                return response
    ids = draft_movie_ids(draft_get(request))
    query = request.GET.get("q", "").strip()
    query_error = ""
    if len(query) > SEARCH_MAX_LENGTH:
        query_error = _(
            "Search words can be at most %(n)s characters. Try a shorter part of "
            "the title."
        ) % {"n": SEARCH_MAX_LENGTH}
        query = query[:SEARCH_MAX_LENGTH]
    results = movie_search(query=query, limit=10) if query and not query_error else []
    context = _context(form, step=3)
    context.update(
        chosen=draft_movies(ids),
        query=query,
        query_is_korean=has_hangul(query),
        query_error=query_error,
        search_max_length=SEARCH_MAX_LENGTH,
        results=[m for m in results if m.pk not in ids],
        min_favorites=MIN_FAVORITES,
    )
    return render(request, "survey/movies.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def history(request: HttpRequest) -> HttpResponse:
    bound = request.method == "POST"
    form = HistoryUploadForm(
        request.POST if bound else None, request.FILES if bound else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            proposal = history_import(data=form.cleaned_data["export"])
        except HistoryFileError as exc:
            form.add_error("export", str(exc))
        else:
            # Only the matches are kept (in the session), never the file: the titles
            # not found are named in this one response and only counted after it.
            request.session[HISTORY_KEY] = proposal.to_session()
            return _history_confirm_render(request, proposal, HistoryConfirmForm())
    context = _context(form, step=3)
    return render(request, "survey/history.html", context, status=_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def history_confirm(request: HttpRequest) -> HttpResponse:
    stored = request.session.get(HISTORY_KEY)
    if not isinstance(stored, dict):
        return redirect("survey:history")
    proposal = HistoryProposal.from_session(stored)
    form = HistoryConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        known = {m.movie_id for m in proposal.matched}
        chosen = [i for i in dict.fromkeys(form.cleaned_data["movie"]) if i in known]
        if chosen:
            draft_save(request, "movies", {"movie_ids": chosen})
            request.session.pop(HISTORY_KEY, None)
            messages.success(
                request,
                _("%(n)d favourites filled in from your export.") % {"n": len(chosen)},
            )
            return redirect("survey:movies")
        form.add_error("movie", _("Choose at least one movie."))
    return _history_confirm_render(request, proposal, form)


def _history_confirm_render(
    request: HttpRequest, proposal: HistoryProposal, form: HistoryConfirmForm
) -> HttpResponse:
    movies = draft_movies([m.movie_id for m in proposal.matched])
    by_id = {m.movie_id: m for m in proposal.matched}
    proposed = set(proposal.proposed_ids)
    rows = [(movie, by_id[movie.pk], movie.pk in proposed) for movie in movies]
    rows.sort(key=lambda row: (not row[2], row[0].display_title))
    context = _context(form, step=3)
    context.update(
        rows=rows,
        unplaced=proposal.unplaced,
        unplaced_count=proposal.unplaced_count,
        format_name=FORMAT_NAMES.get(proposal.format, proposal.format),
        skipped_episodes=proposal.skipped_episodes,
        min_favorites=MIN_FAVORITES,
    )
    return render(request, "survey/history_confirm.html", context, status=_status(form))


def _status(form: object) -> int:
    return 400 if getattr(form, "is_bound", False) and form.errors else 200


def _submit(request: HttpRequest, form: MoviesForm) -> HttpResponse | None:
    draft = draft_get(request)
    about = draft["about"]
    try:
        age = int(about.get("age", ""))
    except (TypeError, ValueError):
        age = None
    try:
        survey_submit(
            user=request.user,
            age=age,
            gender=about.get("gender", ""),
            occupation=about.get("occupation", ""),
            region=about.get("region", ""),
            platform_slugs=draft["services"].get("platforms", []),
            monthly_budget=_budget(draft["services"]),
            favorite_movie_ids=form.cleaned_data["movie"],
            # A draft from before the question existed keeps the default (yes).
            share_for_training=bool(about.get("share_for_training", "on")),
            raw_answers=draft,
        )
    except ValidationFailed as exc:
        for field, errors in exc.errors.items():
            if field in FIELD_STEPS:
                for error in errors:
                    messages.error(request, error)
                return redirect(FIELD_STEPS[field])
            for error in errors:
                form.add_error("movie", error)
        return None
    draft_clear(request)
    messages.success(
        request,
        _("Thanks! We are picking your movies now; this takes a few seconds."),
        extra_tags=PROGRESS_TAG,
    )
    return redirect("recommender:latest")


def _budget(services: dict) -> Decimal | None | Unset:
    """The budget the services step kept (validated there); UNSET for old drafts."""
    if "monthly_budget" not in services:
        return UNSET
    try:
        return ServicesForm.base_fields["monthly_budget"].clean(
            services["monthly_budget"]
        )
    except ValidationError:
        return UNSET


def _answers(request: HttpRequest, fields: dict) -> dict[str, str]:
    return {name: request.POST.get(name, "")[:100] for name in fields}


def _region(draft: dict) -> str:
    region = draft["about"].get("region")
    return region if region in Region.values else Region.KOREA


def _movies_redirect(query: str) -> HttpResponseRedirect:
    url = reverse("survey:movies")
    # One character over the cap keeps the page's "too long" message and the URL short.
    query = query.strip()[: SEARCH_MAX_LENGTH + 1]
    return HttpResponseRedirect(f"{url}?{urlencode({'q': query})}" if query else url)


def _context(form: object, *, step: int) -> dict:
    steps = [
        (1, _("About you"), "survey:about"),
        (2, _("Your services"), "survey:services"),
        (3, _("Favourite movies"), "survey:movies"),
    ]
    return {"form": form, "step": step, "steps": steps, "nav": "survey"}
