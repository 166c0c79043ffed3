"""The click-out redirect and the list-satisfaction form of the recommendations page."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from experiments.events import (
    clickout_record,
    satisfaction_set,
    search_clickout_record,
)
from experiments.models import Event
from ottsite.lib.errors import NotFound, ValidationFailed

SCORES = [(n, str(n)) for n in range(1, 6)]


class SatisfactionForm(forms.Form):
    score = forms.TypedChoiceField(
        label=gettext_lazy("How good is this list for you?"),
        choices=SCORES,
        coerce=int,
        error_messages={"required": gettext_lazy("Choose a score from 1 to 5.")},
    )


@login_required
@require_GET
def clickout(
    request: HttpRequest, set_id: int, movie_id: int, platform: str
) -> HttpResponse:
    """Record the click on a card's service, then send the user to the offer."""
    return _record_and_follow(clickout_record, request, set_id, movie_id, platform)


@login_required
@require_GET
def search_clickout(
    request: HttpRequest, set_id: int, movie_id: int, platform: str
) -> HttpResponse:
    """Record a click on a card's "search on <service>" link, then follow it."""
    return _record_and_follow(
        search_clickout_record, request, set_id, movie_id, platform
    )


def _record_and_follow(
    record: Callable[..., str],
    request: HttpRequest,
    set_id: int,
    movie_id: int,
    platform: str,
) -> HttpResponse:
    # Another user's set, an unknown movie or service: 404, and nothing recorded.
    try:
        url = record(
            user=request.user, set_id=set_id, movie_id=movie_id, platform_slug=platform
        )
    except (NotFound, ValidationFailed) as exc:
        raise Http404(exc.message) from exc
    return HttpResponseRedirect(url)


@login_required
@require_POST
def satisfaction(request: HttpRequest, set_id: int) -> HttpResponse:
    """'How good is this list for you?' from the page's form (works without JS)."""
    wants_json = "application/json" in request.headers.get("Accept", "")
    form = SatisfactionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed({"score": [_("Choose a score from 1 to 5.")]})
        satisfaction_set(
            user=request.user,
            set_id=set_id,
            score=form.cleaned_data["score"],
            surface=Event.Surface.PAGE,
        )
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except ValidationFailed as exc:
        if wants_json:
            return JsonResponse({"ok": False, "error": exc.message}, status=400)
        context = {"message": exc.message, "next": _set_url(set_id)}
        return render(request, "recommender/feedback_error.html", context, status=400)
    message = _("Thanks for telling us how good this list is.")
    if wants_json:
        return JsonResponse({"ok": True, "message": message})
    messages.success(request, message)
    return redirect(_set_url(set_id))


def _set_url(set_id: int) -> str:
    return reverse("recommender:detail", args=[set_id])
