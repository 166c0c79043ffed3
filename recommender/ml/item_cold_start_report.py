"""Plain-text table of an item cold-start result (command output and RESULTS.md)."""

from __future__ import annotations

from typing import Any

from .item_cold_start import MODEL

NOTES = {
    MODEL: "all offline content, map chosen on validation",
    f"{MODEL}[joint]": "one ridge over all tokens",
    f"{MODEL}[fields]": "one ridge per field, mean over fields",
    f"{MODEL}_movielens": "genres, years, early tags (no snapshots)",
    f"{MODEL}_genre_year": "genres and years only",
    "tfidf_similarity": "TF-IDF cosine to the favourites, no map",
    "genre_overlap": "mean genre Jaccard to the favourites",
    "genre_year": "today's content_scores (genre cosine x year)",
    "newest_release": "latest release year first",
    "random": "",
    "listing": "NOT fair: services listing it years later",
    "oracle_popularity": "NOT fair: raters in the test period",
}


def _chosen(report: dict[str, Any]) -> str:
    c = report["chosen"]
    return (
        f"{c['matrix']} matrix, {c['combine']} map, ridge {c['ridge']:g}, "
        f"{c['dim']} dims (validation NDCG@10 "
        f"{max((r['ndcg@10'] for r in report['grid']), default=float('nan')):.4f})"
    )


def format_item_cold_start(result: dict[str, Any]) -> str:
    """Per-seed NDCG@10, mean recall@10 and Wilcoxon p of the content model vs each."""
    runs = result["runs"]
    seeds = [r["seed"] for r in runs]
    documented = result["documented_new_items"]
    lines = [
        f"Item cold start: the newest {result['n_new_items']:,} films by first rating "
        f"({result['n_new_ratings']:,} ratings) unrated in training; "
        f"{result['n_users']} survey users held out, {result['n_given']} older "
        f"favourites given; {result['n_train_ratings']:,} training ratings",
        f"New films with a snapshot match: {result['snapshot_new_items']}; "
        f"with any document: {documented['all']}",
        f"content_model = the {result['content_model_map']} map (better on the "
        f"{result['n_validation_items']:,} validation films)",
    ]
    for name, report in result["content"].items():
        lines.append(f"  {name}: {_chosen(report)}")
    seed_cols = "".join(f"{'s' + str(s):>8}" for s in seeds)
    p_cols = "".join(f"{'p s' + str(s):>9}" for s in seeds)
    lines += [
        "",
        f"{'method':<28}{seed_cols}{'mean':>8}{'R@10':>8}{p_cols}  note",
    ]
    for name in runs[0]["models"]:
        ndcg = "".join(f"{r['models'][name]['ndcg@10']:>8.4f}" for r in runs)
        mean = result["mean"][name]
        ps = "".join(
            f"{r['versus_content_model'][name]['p']:>9.3g}"
            if name in r["versus_content_model"]
            else f"{'':>9}"
            for r in runs
        )
        lines.append(
            f"{name:<28}{ndcg}{mean['ndcg@10']:>8.4f}{mean['recall@10']:>8.4f}{ps}"
            f"  {NOTES.get(name, '')}".rstrip()
        )
    lines.append(
        "NDCG@10 per seed and mean, recall@10 mean; p = two-sided Wilcoxon "
        "signed-rank of per-user NDCG@10, content_model vs the row, per seed"
    )
    return "\n".join(lines)
