"""Save/load a versioned model bundle (Keras model + NumPy weights + id maps)."""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from .content_model import ContentModel
from .data import Interactions
from .model import ITEM_VECTOR_DIM, NCFConfig, NCFRecommender, NCFWeights
from .predict import ServingContext, build_context
from .ranker import ItemStatics, Ranker, build_statics
from .signals import SignalModel

# 2: optional learned ranker (ranker.txt, ranker.json) and signals.npz; format-1
# bundles still load and serve with the hand-weighted seed path. An optional content
# model (content_model.npz) needs no new format: a reader without it ignores the
# file, and a bundle without the file places unrated titles by genres and year.
BUNDLE_FORMAT = 2
READABLE_FORMATS = (1, 2)


@dataclass
class ServingSettings:
    """Defaults used by pipeline.recommend for this bundle."""

    method: str = "seed"
    n_neighbours: int = 30
    demo_weight: float = 0.1
    support_weight: float = 0.8
    item_weight: float = 3.0  # item-item cosine term, see predict.item_similarity
    favourite_rating: float = 4.5
    ridge: float = 1.0
    diversity: float = 0.2

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ServingSettings:
        """Build from a dict, ignoring unknown keys."""
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


@dataclass
class ModelBundle:
    """Everything needed to serve recommendations, loaded once per process."""

    weights: NCFWeights
    interactions: Interactions
    settings: ServingSettings = field(default_factory=ServingSettings)
    metrics: dict[str, Any] = field(default_factory=dict)
    version: str = ""
    directory: Path | None = None
    signals: SignalModel | None = None
    ranker: Ranker | None = None
    content_model: ContentModel | None = None
    _context: ServingContext | None = field(default=None, repr=False)
    _statics: ItemStatics | None = field(default=None, repr=False)

    @property
    def has_ranker(self) -> bool:
        """True when the bundle carries a learned ranker and its signals."""
        return self.ranker is not None and self.signals is not None

    @property
    def statics(self) -> ItemStatics:
        """Survey-independent item features for the ranker (built on first use)."""
        if self._statics is None:
            self._statics = build_statics(self.context, self.interactions)
        return self._statics

    @property
    def context(self) -> ServingContext:
        """Precomputed serving matrices (built on first use)."""
        if self._context is None:
            self._context = build_context(self.weights, self.interactions)
        return self._context

    def item_embeddings(self) -> np.ndarray:
        """(n_items x ITEM_VECTOR_DIM) float32 item vectors."""
        return self.weights.item_embeddings()

    def item_embedding_map(self) -> dict[int, np.ndarray]:
        """External item id -> 32-dim vector."""
        vecs = self.item_embeddings()
        return {int(m): vecs[i] for i, m in enumerate(self.interactions.item_ids)}


def save_bundle(
    directory: Path | str,
    recommender: NCFRecommender,
    interactions: Interactions,
    metrics: dict[str, Any] | None = None,
    *,
    settings: ServingSettings | None = None,
    save_keras: bool = True,
    ranker: Ranker | None = None,
    signals: SignalModel | None = None,
    content_model: ContentModel | None = None,
) -> Path:
    """Write model.keras, weights.npz, interactions.npz, id_maps.json, metrics.json.

    With a ranker (and its signals): also ranker.txt, ranker.json and signals.npz;
    with a fitted content model: content_model.npz.
    """
    if recommender.weights is None:
        raise ValueError("recommender is not fitted")
    path = Path(directory)
    path.mkdir(parents=True, exist_ok=True)
    if save_keras and recommender.model is not None:
        recommender.model.save(path / "model.keras")
    np.savez(path / "weights.npz", **recommender.weights.to_arrays())
    r = interactions.ratings.tocsr()
    np.savez(
        path / "interactions.npz",
        data=r.data,
        indices=r.indices,
        indptr=r.indptr,
        shape=np.array(r.shape),
        user_ids=interactions.user_ids,
        item_ids=interactions.item_ids,
        user_demo=interactions.user_demo,
        item_genres=interactions.item_genres,
        item_years=interactions.item_years,
    )
    if ranker is not None and signals is not None:
        # ranker.txt is the first booster (a format-2 reader's single model);
        # ranker.1.txt, ranker.2.txt, ... the others of the mean
        for n, text in enumerate(ranker.model_strings):
            (path / ("ranker.txt" if n == 0 else f"ranker.{n}.txt")).write_text(text)
        (path / "ranker.json").write_text(
            json.dumps(
                {
                    "n_models": len(ranker.model_strings),
                    "feature_names": ranker.feature_names,
                    "per_signal": ranker.per_signal,
                    "meta": ranker.meta,
                },
                indent=2,
                default=float,
            )
        )
        np.savez(path / "signals.npz", **signals.to_arrays())
    if content_model is not None and content_model.is_fitted:
        np.savez(path / "content_model.npz", **content_model.to_arrays())
    id_maps = {
        "user_ids": [int(u) for u in interactions.user_ids],
        "item_ids": [int(m) for m in interactions.item_ids],
        "genre_names": list(interactions.genre_names),
        "titles": {str(k): v for k, v in interactions.item_titles.items()},
    }
    (path / "id_maps.json").write_text(json.dumps(id_maps))
    (path / "metrics.json").write_text(
        json.dumps(metrics or {}, indent=2, default=float)
    )
    version = time.strftime("%Y%m%dT%H%M%S")
    manifest = {
        "format": BUNDLE_FORMAT,
        "version": version,
        "item_vector_dim": ITEM_VECTOR_DIM,
        "config": recommender.config.to_dict(),
        "serving": asdict(settings or ServingSettings()),
        "history": recommender.history,
        "train_seconds": recommender.train_seconds,
        "ranker": None if ranker is None else ranker.meta,
    }
    (path / "manifest.json").write_text(json.dumps(manifest, indent=2, default=float))
    return path


def load_bundle(directory: Path | str) -> ModelBundle:
    """Load a bundle written by save_bundle (NumPy only; TensorFlow not imported)."""
    path = Path(directory)
    manifest = json.loads((path / "manifest.json").read_text())
    if manifest.get("format") not in READABLE_FORMATS:
        raise ValueError(f"{path}: unsupported bundle format {manifest.get('format')}")
    config = NCFConfig.from_dict(manifest["config"])
    with np.load(path / "weights.npz") as npz:
        weights = NCFWeights.from_arrays(config, {k: npz[k] for k in npz.files})
    interactions = load_interactions(path)
    ranker = signals = None
    if (path / "ranker.txt").exists() and (path / "signals.npz").exists():
        info = json.loads((path / "ranker.json").read_text())
        n_models = int(info.get("n_models", 1))
        ranker = Ranker(
            model_strings=[
                (path / ("ranker.txt" if n == 0 else f"ranker.{n}.txt")).read_text()
                for n in range(n_models)
            ],
            feature_names=list(info["feature_names"]),
            per_signal=int(info.get("per_signal", 100)),
            meta=dict(info.get("meta", {})),
        )
        with np.load(path / "signals.npz") as npz:
            signals = SignalModel.from_arrays({k: npz[k] for k in npz.files})
    content_model = None
    if (path / "content_model.npz").exists():
        with np.load(path / "content_model.npz") as npz:
            content_model = ContentModel.from_arrays({k: npz[k] for k in npz.files})
    metrics_path = path / "metrics.json"
    metrics = json.loads(metrics_path.read_text()) if metrics_path.exists() else {}
    return ModelBundle(
        weights=weights,
        interactions=interactions,
        settings=ServingSettings.from_dict(manifest.get("serving", {})),
        metrics=metrics,
        version=str(manifest.get("version", "")),
        directory=path,
        signals=signals,
        ranker=ranker,
        content_model=content_model,
    )


def load_interactions(directory: Path | str) -> Interactions:
    """The training ratings and id maps of a bundle, without its model files."""
    path = Path(directory)
    id_maps = json.loads((path / "id_maps.json").read_text())
    with np.load(path / "interactions.npz") as npz:
        ratings = sp.csr_matrix(
            (npz["data"], npz["indices"], npz["indptr"]), shape=tuple(npz["shape"])
        )
        return Interactions(
            user_ids=npz["user_ids"],
            item_ids=npz["item_ids"],
            ratings=ratings,
            user_demo=npz["user_demo"],
            item_genres=npz["item_genres"],
            genre_names=list(id_maps["genre_names"]),
            item_titles={int(k): v for k, v in id_maps.get("titles", {}).items()},
            item_years=npz["item_years"] if "item_years" in npz.files else None,
        )


def bundle_from_recommender(
    recommender: NCFRecommender,
    interactions: Interactions,
    settings: ServingSettings | None = None,
    *,
    ranker: Ranker | None = None,
    signals: SignalModel | None = None,
    content_model: ContentModel | None = None,
) -> ModelBundle:
    """In-memory bundle (no files) for evaluation and tests."""
    if recommender.weights is None:
        raise ValueError("recommender is not fitted")
    return ModelBundle(
        weights=recommender.weights,
        interactions=interactions,
        settings=settings or ServingSettings(),
        ranker=ranker,
        signals=signals,
        content_model=content_model,
    )
