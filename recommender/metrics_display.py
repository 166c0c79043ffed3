"""A model version's metrics as people read them in the admin: labelled, rounded and
translated (the raw JSON stays one click away)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

# How many ranker features by gain the summary names.
TOP_FEATURES = 3


def number_label(value: Any, digits: int = 3) -> str:
    """A score rounded for reading ("0.934"); "-" when missing."""
    if value is None or not isinstance(value, int | float) or value != value:
        return "-"
    return f"{value:.{digits}f}"


def count_label(value: Any) -> str:
    """A count with thousands separators ("75,116")."""
    if not isinstance(value, int | float):
        return "-"
    return number_format(int(value), force_grouping=True)


def seconds_label(seconds: Any) -> str:
    """ "45.5 s" below a minute and a half, else "5 min 46 s"."""
    if not isinstance(seconds, int | float):
        return "-"
    if seconds < 90:
        return _("%(seconds).1f s") % {"seconds": seconds}
    minutes, rest = divmod(round(seconds), 60)
    if not rest:
        return _("%(minutes)d min") % {"minutes": minutes}
    return _("%(minutes)d min %(seconds)d s") % {"minutes": minutes, "seconds": rest}


def total_seconds(metrics: Mapping[str, Any], recorded: float) -> float:
    """The whole training's time. Versions trained before it was measured recorded
    the NCF's time alone: their NCF and ranker times are added up instead."""
    if isinstance(metrics.get("total_seconds"), int | float):
        return float(metrics["total_seconds"])
    parts = [metrics.get("ncf_train_seconds"), metrics.get("ranker_train_seconds")]
    known = [p for p in parts if isinstance(p, int | float)]
    return float(sum(known)) if known else float(recorded)


def training_time_label(metrics: Mapping[str, Any], recorded: float) -> str:
    """ "5 min 46 s (NCF 45.5 s, ranker 4 min 51 s)"."""
    total = seconds_label(total_seconds(metrics, recorded))
    parts = []
    if isinstance(metrics.get("ncf_train_seconds"), int | float):
        parts.append(
            _("NCF %(time)s") % {"time": seconds_label(metrics["ncf_train_seconds"])}
        )
    if isinstance(metrics.get("ranker_train_seconds"), int | float):
        parts.append(
            _("ranker %(time)s")
            % {"time": seconds_label(metrics["ranker_train_seconds"])}
        )
    return f"{total} ({', '.join(parts)})" if parts else total


def origin_label(origin: str) -> str:
    return {"dataset": _("data set"), "product": _("our users")}.get(origin, origin)


def data_counts_label(counts: Mapping[str, Mapping[str, int]]) -> str:
    """ "data set: 875 users, 75,116 ratings; our users: 3 users, 30 ratings"."""
    parts = [
        _("%(origin)s: %(users)s users, %(ratings)s ratings")
        % {
            "origin": origin_label(origin),
            "users": count_label(row.get("users")),
            "ratings": count_label(row.get("ratings")),
        }
        for origin, row in counts.items()
    ]
    return "; ".join(parts) or "-"


def ndcg_users_label(row: Mapping[str, Any]) -> str:
    """ "0.330 (69 users)" for one origin of the held-out evaluation."""
    if not row or not row.get("cold_start_users"):
        return "-"
    return _("%(score)s (%(users)s users)") % {
        "score": number_label(row.get("cold_start_ndcg@10")),
        "users": count_label(row.get("cold_start_users", 0)),
    }


_GATE_REASONS = [
    (re.compile(r"^no comparable active version$"), "none"),
    (re.compile(r"^the active version has no held-out score$"), "unscored_active"),
    (re.compile(r"^the candidate could not be scored"), "unscored_candidate"),
    (
        re.compile(
            r"^cold-start NDCG@10 (?P<new>[\d.]+) is worse than the active version's "
            r"(?P<old>[\d.]+) by more than the tolerance (?P<tolerance>[\d.]+)$"
        ),
        "worse",
    ),
    (
        re.compile(
            r"^cold-start NDCG@10 (?P<new>[\d.]+) vs active (?P<old>[\d.]+) "
            r"\(tolerance (?P<tolerance>[\d.]+)\)$"
        ),
        "within",
    ),
]


def gate_reason_label(reason: str) -> str:
    """The gate's reason (recorded in English by recommender.ml.holdout), translated
    with its scores rounded; an unknown text as written."""
    for pattern, kind in _GATE_REASONS:
        match = pattern.match(reason.strip())
        if match:
            scores = {k: number_label(float(v)) for k, v in match.groupdict().items()}
            return _gate_reason_text(kind) % scores
    return reason or "-"


def _gate_reason_text(kind: str) -> str:
    if kind == "none":
        return _("No active version to compare with.")
    if kind == "unscored_active":
        return _("The active version has no held-out score.")
    if kind == "unscored_candidate":
        return _("The candidate could not be scored on the held-out users.")
    if kind == "worse":
        return _(
            "Held-out NDCG@10 %(new)s is worse than the active version's "
            "%(old)s by more than %(tolerance)s."
        )
    return _(
        "Held-out NDCG@10 %(new)s against the active version's %(old)s "
        "(tolerance %(tolerance)s)."
    )


def ranker_label(metrics: Mapping[str, Any]) -> str:
    """What the learned ranker was fitted on, how it stopped and what its time went
    to; or why there is none."""
    report = metrics.get("ranker")
    if not isinstance(report, Mapping):
        skipped = metrics.get("ranker_skipped")
        return _("none (%(reason)s)") % {"reason": skipped} if skipped else _("none")
    parts = [
        _("%(cases)s cases, %(boosters)s boosters, best iteration %(iteration)s")
        % {
            "cases": count_label(report.get("n_fit_cases")),
            "boosters": count_label(report.get("n_boosters")),
            "iteration": count_label(report.get("best_iteration")),
        },
        _("NDCG@10 %(score)s (seed score alone %(seed)s)")
        % {
            "score": number_label(report.get("stop_ndcg@10")),
            "seed": number_label(report.get("stop_seed_score_ndcg@10")),
        },
    ]
    gains = report.get("feature_gain")
    if isinstance(gains, Mapping) and gains:
        top = sorted(gains, key=lambda name: -gains[name])[:TOP_FEATURES]
        parts.append(_("strongest features: %(names)s") % {"names": ", ".join(top)})
    seconds = report.get("seconds")
    if isinstance(seconds, Mapping):
        names = {
            "tuning": _("tuning"),
            "features": _("features"),
            "boosting": _("boosting"),
            "full_signals": _("signals"),
        }
        parts.append(
            ", ".join(
                f"{names[key]} {seconds_label(seconds[key])}"
                for key in names
                if key in seconds
            )
        )
    return "; ".join(parts)


def holdout_label(holdout: Any) -> str:
    """The held-out evaluation: NDCG@10 and RMSE, and users per origin."""
    if not isinstance(holdout, Mapping):
        return _("not gated")
    users = [
        _("%(origin)s %(users)s users")
        % {
            "origin": origin_label(origin),
            "users": count_label(row.get("cold_start_users", 0)),
        }
        for origin, row in (holdout.get("by_origin") or {}).items()
    ]
    text = _("NDCG@10 %(ndcg)s, RMSE %(rmse)s") % {
        "ndcg": number_label(holdout.get("cold_start_ndcg@10")),
        "rmse": number_label(holdout.get("rmse")),
    }
    return f"{text} ({', '.join(users)})" if users else text


# Keys shown in their own rows (or in another row), in this order.
_SHOWN = {
    "val_rmse",
    "val_loss",
    "epochs_run",
    "n_users",
    "n_items",
    "n_ratings",
    "total_seconds",
    "ncf_train_seconds",
    "ranker",
    "ranker_train_seconds",
    "ranker_skipped",
    "holdout",
    "history",
}


def metrics_rows(metrics: Mapping[str, Any], recorded: float) -> list[tuple[str, str]]:
    """(label, value) rows of a version's metrics, for people."""
    rows = [
        (_("validation RMSE"), number_label(metrics.get("val_rmse"))),
        (_("validation loss (MSE)"), number_label(metrics.get("val_loss"))),
        (_("epochs"), count_label(metrics.get("epochs_run"))),
        (
            _("training data"),
            _("%(users)s users, %(items)s titles, %(ratings)s ratings")
            % {
                "users": count_label(metrics.get("n_users")),
                "items": count_label(metrics.get("n_items")),
                "ratings": count_label(metrics.get("n_ratings")),
            },
        ),
        (_("training time"), training_time_label(metrics, recorded)),
        (_("learned ranker"), ranker_label(metrics)),
        (_("held-out users"), holdout_label(metrics.get("holdout"))),
    ]
    for key, value in metrics.items():
        if key in _SHOWN:
            continue
        if isinstance(value, Mapping | list):
            shown = _("%(count)s entries (see the raw metrics)") % {
                "count": count_label(len(value))
            }
        elif isinstance(value, float):
            shown = number_label(value)
        else:
            shown = str(value)
        rows.append((key, shown))
    return rows
