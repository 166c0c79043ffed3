"""A traffic simulator: synthetic users through the real services, known effects.

Each synthetic user signs up, answers the survey, gets a set built (the real task,
run in-process), sees it (an impression), and then behaves by a fixed model whose
probabilities the treatment variants shift by the requested relative effects. The
users are marked (SyntheticUser, username prefix "sim-"), so reports leave them out
unless asked.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Count
from django.test import override_settings

from accounts.services import user_signup
from catalog.models import Movie, Platform
from catalog.movielens import OCCUPATIONS
from catalog.selectors import availability_for_movies
from experiments.events import (
    clickout_record,
    feedback_record,
    impression_record,
    satisfaction_set,
)
from experiments.models import Event, Experiment, SyntheticUser
from ottsite.celery import app as celery_app
from ottsite.lib.errors import ValidationFailed
from recommender.models import RecommendationSet
from recommender.services import (
    dismissal_create,
    rating_create,
    recommendations_build,
    watchlist_add,
)
from survey.services import survey_submit

Kind = Event.Kind
METRICS = (
    "satisfaction",
    "ctr",
    "conversion",
    "save_rate",
    "dismissal_rate",
    "mean_rating",
)
# Baseline behaviour: P(score = 1..5) for satisfaction and ratings, and per-user
# probabilities of clicking out (to a paid / unpaid service), saving, dismissing.
SATISFACTION_P = np.array([0.08, 0.14, 0.33, 0.30, 0.15])
RATING_P = np.array([0.05, 0.10, 0.30, 0.35, 0.20])
BASE = {
    "click_paid": 0.20,
    "click_unpaid": 0.10,
    "save": 0.25,
    "dismiss": 0.15,
    "rate": 0.5,
    "answer": 0.7,
}
POPULAR_POOL = 300


class SimulationError(Exception):
    """The simulation cannot run (no running experiment, no catalogue...)."""


def effect_parse(text: str) -> tuple[str, float]:
    """'satisfaction=+5%' -> ('satisfaction', 0.05)."""
    name, sep, value = text.partition("=")
    name = name.strip()
    if not sep or name not in METRICS:
        raise SimulationError(f"--effect wants METRIC=+x% with METRIC in {METRICS}")
    value = value.strip().removesuffix("%")
    try:
        return name, float(value) / 100
    except ValueError as exc:
        raise SimulationError(f"--effect {text!r}: {value!r} is not a number") from exc


def _bump(
    rng: np.random.Generator, p: np.ndarray, effect: float, size: int = 1
) -> np.ndarray:
    """Scores 1..5 whose expected mean is the base mean * (1 + effect), exactly.

    A draw moves one step up (down for a negative effect) with probability s,
    chosen so that the expected shift is effect * mean.
    """
    scores = rng.choice(np.arange(1, 6), size=size, p=p)
    mean = float(np.dot(np.arange(1, 6), p))
    if effect == 0:
        return scores
    movable = 1 - (p[4] if effect > 0 else p[0])
    s = min(1.0, abs(effect) * mean / movable)
    step = rng.random(size) < s
    if effect > 0:
        return np.where(step & (scores < 5), scores + 1, scores)
    return np.where(step & (scores > 1), scores - 1, scores)


@dataclass
class SimulationResult:
    run: str
    users: int = 0
    sets_ready: int = 0
    per_variant: dict[str, int] = field(default_factory=dict)
    events: dict[str, int] = field(default_factory=dict)
    no_offer_clicks: int = 0


def _popular_movies() -> list[int]:
    return list(
        Movie.objects.annotate(n=Count("ratings"))
        .order_by("-n", "pk")
        .values_list("pk", flat=True)[:POPULAR_POOL]
    )


def simulate_traffic(
    *,
    experiment: Experiment,
    users: int,
    effects: dict[str, float] | None = None,
    region: str = "KR",
    seed: int = 0,
    progress: Callable[[int], None] | None = None,
) -> SimulationResult:
    """Drive `users` synthetic users; treatment variants get `effects` (relative)."""
    if experiment.status != Experiment.Status.RUNNING:
        raise SimulationError(f"experiment {experiment.name!r} is not running")
    effects = effects or {}
    rng = np.random.default_rng(seed)
    pool = _popular_movies()
    if len(pool) < 10:
        raise SimulationError("import a catalogue first (import_movielens)")
    platforms = list(
        Platform.objects.filter(region=region, is_active=True).values_list(
            "slug", flat=True
        )
    )
    result = SimulationResult(run=f"sim-{uuid.uuid4().hex[:8]}")
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True  # the real build task, in-process
    try:
        # Synthetic accounts never log in: a cheap hasher keeps sign-up fast.
        with override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
        ):
            for index in range(users):
                _one_user(
                    index, experiment, effects, region, platforms, pool, rng, result
                )
                if progress is not None:
                    progress(index + 1)
    finally:
        celery_app.conf.task_always_eager = eager
    return result


def _one_user(
    index: int,
    experiment: Experiment,
    effects: dict[str, float],
    region: str,
    platforms: list[str],
    pool: list[int],
    rng: np.random.Generator,
    result: SimulationResult,
) -> None:
    user = user_signup(
        username=f"{result.run}-{index}",
        email="",
        password=uuid.uuid4().hex + "Aa1!",
    )
    SyntheticUser.objects.create(user=user, run=result.run)
    result.users += 1
    favourites = [int(i) for i in rng.choice(pool, size=10, replace=False)]
    paid = [str(s) for s in rng.choice(platforms, size=min(2, len(platforms)))]
    survey = survey_submit(
        user=user,
        age=int(rng.integers(16, 70)),
        gender=str(rng.choice(["M", "F", "X"])),
        occupation=str(rng.choice(OCCUPATIONS)),
        region=region,
        platform_slugs=sorted(set(paid)),
        favorite_movie_ids=favourites,
    )
    rec_set = RecommendationSet.objects.filter(survey=survey).first()
    if rec_set is not None:
        # Inside an outer transaction the commit hook has not run yet; the build
        # is claim-safe, so building here never duplicates the task's work.
        rec_set = recommendations_build(set_id=rec_set.pk)
    if rec_set is None or rec_set.status != RecommendationSet.Status.READY:
        return
    result.sets_ready += 1
    variant = rec_set.variant
    name = variant.name if variant else "(none)"
    result.per_variant[name] = result.per_variant.get(name, 0) + 1
    lift = (
        {}
        if variant is None
        or variant.is_control
        or variant.experiment_id != experiment.pk
        else effects
    )
    impression_record(user=user, rec_set=rec_set, surface=Event.Surface.PAGE)
    _count(result, Kind.IMPRESSION)
    movie_ids = list(rec_set.items.order_by("rank").values_list("movie_id", flat=True))
    _clicks(user, rec_set, movie_ids, set(paid), lift, rng, result)

    def chance(key: str, metric: str) -> bool:
        return bool(rng.random() < min(1.0, BASE[key] * (1 + lift.get(metric, 0.0))))

    if chance("save", "save_rate"):
        movie_id = int(rng.choice(movie_ids))
        watchlist_add(user=user, movie_id=movie_id)
        feedback_record(
            user=user, kind=Kind.WATCHLIST_ADD, movie_id=movie_id, surface="page"
        )
        _count(result, Kind.WATCHLIST_ADD)
    if chance("dismiss", "dismissal_rate"):
        movie_id = int(rng.choice(movie_ids))
        dismissal_create(user=user, movie_id=movie_id)
        feedback_record(
            user=user, kind=Kind.DISMISSAL, movie_id=movie_id, surface="page"
        )
        _count(result, Kind.DISMISSAL)
    if rng.random() < BASE["rate"]:
        movie_id = int(rng.choice(movie_ids))
        value = int(_bump(rng, RATING_P, lift.get("mean_rating", 0.0))[0])
        rating_create(user=user, movie_id=movie_id, rating=value)
        feedback_record(
            user=user, kind=Kind.RATING, movie_id=movie_id, value=value, surface="page"
        )
        _count(result, Kind.RATING)
    if rng.random() < BASE["answer"]:
        score = int(_bump(rng, SATISFACTION_P, lift.get("satisfaction", 0.0))[0])
        satisfaction_set(user=user, set_id=rec_set.pk, score=score, surface="page")
        _count(result, Kind.SATISFACTION)


def _clicks(
    user, rec_set, movie_ids, paid, lift, rng, result: SimulationResult
) -> None:
    """Maybe click out to a service the user pays for, and/or one they do not."""
    ctr = lift.get("ctr", 0.0)
    offers = availability_for_movies(movie_ids=movie_ids, region=rec_set.survey.region)
    for key, want_paid, extra in (
        ("click_paid", True, 0.0),
        ("click_unpaid", False, lift.get("conversion", 0.0)),
    ):
        if rng.random() >= min(1.0, BASE[key] * (1 + ctr) * (1 + extra)):
            continue
        choices = [
            (movie_id, o.platform_slug)
            for movie_id in movie_ids
            for o in offers.get(movie_id, [])
            if (o.platform_slug in paid) == want_paid
        ]
        if not choices:
            result.no_offer_clicks += 1
            continue
        movie_id, slug = choices[int(rng.integers(len(choices)))]
        try:
            clickout_record(
                user=user, set_id=rec_set.pk, movie_id=movie_id, platform_slug=slug
            )
        except ValidationFailed:
            result.no_offer_clicks += 1
            continue
        _count(result, Kind.CLICK_OUT)


def _count(result: SimulationResult, kind: str) -> None:
    key = str(kind)
    result.events[key] = result.events.get(key, 0) + 1
