"""Development runs of the ranker on *dev* seeds (never the reported seeds 0, 1, 2).

usage: MOVIELENS_SOURCE=../shared/data/ml-100k python benchmarks/ranker_dev.py SEED
       [ranker_users] [cases_per_user] [folds]

Holds out 20% of the eligible users with evaluate_cold_start's own split and
survey draws (`cold_start_split`: the same draws for a seed), fits the NCF (cached
per seed under $OTT_VAR_DIR/ranker_dev, so feature variants reuse it), trains the
ranker and prints one JSON line: NDCG@10 of the ranker, EASE, RP3beta and EDLAE on
the held-out users. Ranker design choices
were compared on seeds 10 to 15 with this script before seeds 0, 1, 2 were run.
"""

from __future__ import annotations

import json
import os
import pickle
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

from catalog import movielens  # noqa: E402
from recommender.ml import metrics as m  # noqa: E402
from recommender.ml.artifacts import ServingSettings  # noqa: E402
from recommender.ml.cold_start_split import (  # noqa: E402
    cold_start_split,
    survey_demographics,
)
from recommender.ml.data import encode_demographics  # noqa: E402
from recommender.ml.matching import top_n_indices  # noqa: E402
from recommender.ml.model import NCFConfig, NCFRecommender  # noqa: E402
from recommender.ml.predict import build_context  # noqa: E402
from recommender.ml.ranker import (  # noqa: E402
    _finite,
    build_features,
    build_statics,
    candidates,
    case_signals,
    train_ranker,
)


def main() -> None:
    seed = int(sys.argv[1])
    users = int(sys.argv[2]) if len(sys.argv) > 2 else 600
    per_user = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    n_folds = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    source = os.environ.get(
        "MOVIELENS_SOURCE", str(REPO / ".." / "shared/data/ml-100k")
    )
    ds = movielens.read_dataset(source)
    split = cold_start_split(ds.ratings, ds.users, ds.movies, seed=seed)
    inter = split.inter
    cache_dir = Path(os.environ.get("OTT_VAR_DIR", REPO / "var")) / "ranker_dev"
    cache_dir.mkdir(parents=True, exist_ok=True)
    cache = cache_dir / f"ncf_{seed}.pkl"
    if cache.exists():
        weights = pickle.loads(cache.read_bytes())
    else:
        cfg = NCFConfig.from_dict({**NCFConfig().to_dict(), "seed": 42 + seed})
        weights = NCFRecommender(cfg).fit(inter).weights
        cache.write_bytes(pickle.dumps(weights))
    st = ServingSettings()
    serving = {
        "n_neighbours": st.n_neighbours,
        "demo_weight": st.demo_weight,
        "support_weight": st.support_weight,
        "item_weight": st.item_weight,
    }
    t0 = time.perf_counter()
    trained = train_ranker(
        weights,
        inter,
        serving=serving,
        seed=seed,
        max_users=users,
        per_user=per_user,
        n_folds=n_folds,
    )
    train_seconds = time.perf_counter() - t0
    ctx = build_context(weights, inter)
    statics = build_statics(ctx, inter)
    signals = trained.signals
    demo_frame = ds.users.set_index("user_id")
    ndcg: dict[str, list[float]] = {"ranker": [], "ease": [], "rp3": [], "edlae": []}
    for user in split.held:
        given, relevant = split.draw_survey(user)
        demo = encode_demographics(*survey_demographics(demo_frame, user))
        case = case_signals(ctx, signals, statics, given, demo, **serving)
        cand = candidates(case, given, per_signal=trained.ranker.per_signal)
        scores = np.full(inter.n_items, -np.inf)
        scores[cand] = trained.ranker.score(build_features(case, cand))
        scores[given] = -np.inf
        ndcg["ranker"].append(
            m.ndcg_at_k(list(top_n_indices(scores, 10)), relevant, 10)
        )
        for name in ("ease", "rp3", "edlae"):
            v = _finite(case.values[name])
            v[given] = -np.inf
            ndcg[name].append(m.ndcg_at_k(list(top_n_indices(v, 10)), relevant, 10))
    out: dict = {k: float(np.mean(v)) for k, v in ndcg.items()}
    out.update(
        seed=seed,
        folds=n_folds,
        ratio=out["ranker"] / out["ease"],
        trees=trained.report["best_iteration"],
        out_of_fold_ndcg=trained.report["stop_ndcg@10"],
        ease_lambda=signals.ease_lambda,
        edlae_params=[signals.edlae_lambda, signals.edlae_dropout],
        train_seconds=round(train_seconds, 1),
    )
    print(json.dumps(out))


if __name__ == "__main__":
    main()
