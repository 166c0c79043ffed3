"""Plain-text tables of an offline evaluation result (see `evaluation`)."""

from __future__ import annotations

from typing import Any


def _format_cold(cold: dict[str, Any]) -> list[str]:
    lines = [
        f"Cold start, seed {cold['seed']} ({cold['n_heldout_users']} held-out users, "
        f"{cold['n_given']} favourites given, demographics "
        f"{'yes' if cold.get('has_demographics', True) else 'no'})",
        f"EASE lambda={cold['ease_lambda']:g}, "
        + (
            f"EDLAE lambda={cold['edlae']['lambda']:g} "
            f"dropout={cold['edlae']['dropout']:g}, "
            if "edlae" in cold
            else ""
        )
        + "RP3beta alpha="
        f"{cold['rp3beta']['alpha']:g} beta={cold['rp3beta']['beta']:g} "
        "(tuned on validation users); NCF "
        f"{cold['train_seconds']:.1f}s, ranker {cold['ranker_train_seconds']:.1f}s",
    ]
    metric_names = ["ndcg@10", "recall@20", "hr@10", "ild@20", "coverage@20"]
    lines.append(
        f"{'model':<24}"
        + "".join(f"{n:>12}" for n in metric_names)
        + f"{'vs EASE p':>12}"
    )
    for name, vals in cold["models"].items():
        p = cold["versus_ease"].get(name, {}).get("wilcoxon_p", float("nan"))
        lines.append(
            f"{name:<24}"
            + "".join(f"{vals[n]:>12.4f}" for n in metric_names)
            + f"{p:>12.2g}"
        )
    lines.append(
        f"ranker / EASE NDCG@10 = {cold['ranker_over_ease_ndcg@10']:.4f}; "
        f"survey latency p50 {cold['latency_ms']['p50']:.1f} ms, "
        f"p95 {cold['latency_ms']['p95']:.1f} ms"
    )
    for name, p in cold["demographics_paired"].items():
        lines.append(
            f"{name} demographics on vs off: {p['mean_with']:.4f} vs "
            f"{p['mean_without']:.4f}, Wilcoxon p={p['wilcoxon_p']:.3g}"
        )
    for metric, p in (cold.get("content_paired") or {}).items():
        lines.append(
            f"ranker with the content model vs without ({cold['unrated_titles']} "
            f"unrated titles), {metric}: {p['mean_with']:.4f} vs "
            f"{p['mean_without']:.4f}, Wilcoxon p={p['wilcoxon_p']:.3g}"
        )
    lines.append("")
    return lines


def format_table(result: dict[str, Any]) -> str:
    """Readable plain-text table of an evaluation result."""
    lines: list[str] = []
    rating = result.get("rating_accuracy")
    if rating:
        models = list(rating["mean"])
        lines.append("Rating accuracy (RMSE / MAE)")
        lines.append(f"{'fold':<8}" + "".join(f"{n:>20}" for n in models))
        for row in rating["folds"]:
            cells = "".join(
                f"{row[n]['rmse']:>11.4f} /{row[n]['mae']:>7.4f}" for n in models
            )
            lines.append(f"{row['fold']:<8}{cells}")
        mean = rating["mean"]
        cells = "".join(
            f"{mean[n]['rmse']:>11.4f} /{mean[n]['mae']:>7.4f}" for n in models
        )
        lines.append(f"{'mean':<8}{cells}")
        lines.append(
            f"training per fold: NCF {rating['mean_train_seconds']:.1f}s, "
            f"FM {rating['mean_fm_train_seconds']:.1f}s"
        )
        lines.append("")
    for cold in result.get("cold_start", []):
        lines.extend(_format_cold(cold))
    summary = result.get("cold_start_summary")
    if summary and len(summary["seeds"]) > 1:
        lines.append(f"Mean over seeds {summary['seeds']}")
        for name, vals in summary["mean"].items():
            lines.append(
                f"{name:<24}{vals['ndcg@10']:>12.4f}{vals['recall@20']:>12.4f}"
                f"{vals['ild@20']:>12.4f}{vals['coverage@20']:>12.4f}"
            )
        ratios = ", ".join(f"{r:.4f}" for r in summary["ranker_over_ease_ndcg@10"])
        lines.append(f"ranker / EASE NDCG@10 per seed: {ratios}")
    return "\n".join(lines)
