"""Keras 3 NCF rating regressor (GMF + MLP + biases + side features): building and
training the network, and copying its weights out for NumPy serving.

Keras/TensorFlow is imported lazily: only training (``NCFRecommender.fit``) and
``model.keras`` export need it, so a web worker serving from ``NCFWeights`` never
imports TensorFlow. ``NCFConfig`` and ``NCFWeights`` live in ``ncf_weights`` and
are re-exported here.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from .baselines import BiasBaseline
from .data import DEMO_CARDINALITIES, Interactions
from .ema import ema_rmse_callback
from .ncf_weights import ITEM_VECTOR_DIM, NCFConfig, NCFWeights, UserSide

__all__ = [
    "ITEM_VECTOR_DIM",
    "NCFConfig",
    "NCFRecommender",
    "NCFWeights",
    "ProgressCallback",
    "UserSide",
    "build_keras_model",
    "extract_weights",
]

ProgressCallback = Callable[[int, dict[str, float]], None]


def build_keras_model(
    config: NCFConfig,
    n_users: int,
    n_items: int,
    item_genres: np.ndarray,
    global_mean: float,
) -> Any:
    """Build (uncompiled) the Keras functional NCF model."""
    import keras
    from keras import layers, regularizers

    reg_e = regularizers.l2(config.l2_embedding) if config.l2_embedding else None
    reg_d = regularizers.l2(config.l2_dense) if config.l2_dense else None
    reg_a = regularizers.l2(config.l2_activity) if config.l2_activity else None
    user = keras.Input(shape=(1,), dtype="int32", name="user")
    item = keras.Input(shape=(1,), dtype="int32", name="item")
    demo_inputs = [
        keras.Input(shape=(1,), dtype="int32", name=name)
        for name in ("age_band", "gender", "occupation")
    ]

    def emb(n: int, d: int, name: str, init: str = "random_normal") -> Any:
        return layers.Embedding(
            n,
            d,
            embeddings_initializer=keras.initializers.RandomNormal(stddev=0.01)
            if init == "random_normal"
            else init,
            embeddings_regularizer=reg_e,
            activity_regularizer=reg_a,
            name=name,
        )

    flat = layers.Flatten
    p_u = flat()(emb(n_users, config.gmf_dim, "user_gmf")(user))
    q_i = flat()(emb(n_items, config.gmf_dim, "item_gmf")(item))
    b_u = flat()(emb(n_users, 1, "user_bias", "zeros")(user))
    b_i = flat()(emb(n_items, 1, "item_bias", "zeros")(item))
    gmf = layers.Dot(axes=1, name="gmf_dot")([p_u, q_i])

    u_m = flat()(emb(n_users, config.mlp_dim, "user_mlp")(user))
    demo_vecs = [
        flat()(emb(card, config.demo_dim, f"demo_{j}")(inp))
        for j, (card, inp) in enumerate(
            zip(DEMO_CARDINALITIES, demo_inputs, strict=True)
        )
    ]
    i_m = flat()(emb(n_items, config.mlp_dim, "item_mlp")(item))
    n_genres = max(1, item_genres.shape[1])
    genres_table = item_genres if item_genres.shape[1] else np.zeros((n_items, 1))
    genre_lookup = layers.Embedding(
        n_items,
        n_genres,
        trainable=False,
        embeddings_initializer=keras.initializers.Constant(
            genres_table.astype(np.float32)
        ),
        name="item_genres",
    )
    g = flat()(genre_lookup(item))
    g = layers.Dense(
        config.genre_dim, use_bias=False, kernel_regularizer=reg_d, name="genre_proj"
    )(g)
    h = layers.Concatenate(name="mlp_input")([u_m, *demo_vecs, i_m, g])
    for j, units in enumerate(config.hidden):
        h = layers.Dense(
            units, activation="relu", kernel_regularizer=reg_d, name=f"dense_{j}"
        )(h)
        if config.dropout:
            h = layers.Dropout(config.dropout, name=f"dropout_{j}")(h)
    mlp_out = layers.Dense(1, name="mlp_out")(h)
    p0 = min(max((global_mean - 1.0) / 4.0, 0.05), 0.95)
    logit = layers.Add(name="logit")([gmf, b_u, b_i, mlp_out])
    out = layers.Dense(
        1,
        activation="sigmoid",
        kernel_initializer="ones",
        bias_initializer=keras.initializers.Constant(math.log(p0 / (1 - p0))),
        trainable=True,
        name="squash",
    )(logit)
    rating = layers.Rescaling(4.0, offset=1.0, name="rating")(out)
    return keras.Model([user, item, *demo_inputs], rating, name="ncf")


class NCFRecommender:
    """Train the Keras NCF on Interactions; serve predictions through NumPy weights."""

    def __init__(self, config: NCFConfig | None = None, **overrides: Any) -> None:
        base = config or NCFConfig()
        self.config = NCFConfig.from_dict({**base.to_dict(), **overrides})
        self.model: Any = None
        self.weights: NCFWeights | None = None
        self.history: list[dict[str, float]] = []
        self.train_seconds: float = 0.0

    def _inputs(
        self, demo: np.ndarray, users: np.ndarray, items: np.ndarray
    ) -> dict[str, np.ndarray]:
        codes = demo[users]
        return {
            "user": users.astype(np.int32)[:, None],
            "item": items.astype(np.int32)[:, None],
            "age_band": codes[:, 0:1].astype(np.int32),
            "gender": codes[:, 1:2].astype(np.int32),
            "occupation": codes[:, 2:3].astype(np.int32),
        }

    def fit(
        self,
        interactions: Interactions,
        *,
        epochs: int | None = None,
        batch_size: int | None = None,
        progress: ProgressCallback | None = None,
        verbose: int = 0,
    ) -> NCFRecommender:
        """Train with early stopping on a seeded validation split; returns self."""
        import keras

        cfg = self.config
        epochs = int(epochs if epochs is not None else cfg.epochs)
        batch_size = int(batch_size if batch_size is not None else cfg.batch_size)
        start = time.perf_counter()
        keras.utils.set_random_seed(cfg.seed)
        users, items, ratings = interactions.to_triples()
        baseline = BiasBaseline().fit(
            users, items, ratings, interactions.n_users, interactions.n_items
        )
        rng = np.random.default_rng(cfg.seed)
        order = rng.permutation(len(ratings))
        n_val = int(round(len(ratings) * cfg.validation_fraction)) if epochs > 0 else 0
        if len(ratings) - n_val < 1:
            n_val = 0
        val, train = order[:n_val], order[n_val:]
        self.model = build_keras_model(
            cfg,
            interactions.n_users,
            interactions.n_items,
            interactions.item_genres,
            interactions.global_mean,
        )
        use_ema = cfg.ema_momentum > 0
        self.model.compile(
            optimizer=keras.optimizers.Adam(
                learning_rate=cfg.learning_rate,
                use_ema=use_ema,
                ema_momentum=cfg.ema_momentum if use_ema else 0.99,
            ),
            loss="mse",
            metrics=[keras.metrics.RootMeanSquaredError(name="rmse")],
        )
        demo = interactions.user_demo
        x_train = self._inputs(demo, users[train], items[train])
        y_train = ratings[train]
        callbacks: list[Any] = []
        validation = None
        if n_val > 0:
            validation = (self._inputs(demo, users[val], items[val]), ratings[val])
            if use_ema:
                callbacks.append(ema_rmse_callback(*validation))
            callbacks.append(
                keras.callbacks.EarlyStopping(
                    monitor="val_ema_rmse" if use_ema else "val_rmse",
                    mode="min",
                    patience=cfg.patience,
                    restore_best_weights=not use_ema,
                )
            )
        self.history = []

        def on_epoch_end(epoch: int, logs: dict[str, Any] | None = None) -> None:
            row = {k: float(v) for k, v in (logs or {}).items()}
            row["epoch"] = float(epoch + 1)
            row["seconds"] = time.perf_counter() - start
            self.history.append(row)
            if progress is not None:
                progress(epoch + 1, row)

        callbacks.append(keras.callbacks.LambdaCallback(on_epoch_end=on_epoch_end))
        if epochs > 0 and len(y_train):
            self.model.fit(
                x_train,
                y_train,
                batch_size=batch_size,
                epochs=epochs,
                validation_data=validation,
                shuffle=True,
                callbacks=callbacks,
                verbose=verbose,
            )
        self.weights = extract_weights(self.model, cfg, interactions, baseline)
        self.train_seconds = time.perf_counter() - start
        return self

    def predict(self, user_idx: np.ndarray, item_idx: np.ndarray) -> np.ndarray:
        """Ratings for (user_idx, item_idx) pairs; unknown indices -> bias baseline."""
        if self.weights is None:
            raise RuntimeError("NCFRecommender is not fitted")
        return self.weights.predict_pairs(user_idx, item_idx)

    def item_embeddings(self) -> np.ndarray:
        """(n_items x ITEM_VECTOR_DIM) float32 item vectors."""
        if self.weights is None:
            raise RuntimeError("NCFRecommender is not fitted")
        return self.weights.item_embeddings()


def extract_weights(
    model: Any, config: NCFConfig, interactions: Interactions, baseline: BiasBaseline
) -> NCFWeights:
    """Copy the Keras model's weights into an NCFWeights (NumPy)."""

    def get(name: str) -> list[np.ndarray]:
        return [
            np.asarray(w, dtype=np.float32) for w in model.get_layer(name).get_weights()
        ]

    squash_w, squash_b = get("squash")
    scale = float(squash_w.ravel()[0])
    dense = [tuple(get(f"dense_{j}")) for j in range(len(config.hidden))]
    out_w, out_b = get("mlp_out")
    # fold the squash layer's scale into every additive term of the logit
    assert baseline.user_bias is not None and baseline.item_bias is not None
    return NCFWeights(
        config=config,
        global_bias=float(squash_b.ravel()[0]),
        user_gmf=get("user_gmf")[0] * scale,
        item_gmf=get("item_gmf")[0],
        user_bias=get("user_bias")[0][:, 0] * scale,
        item_bias=get("item_bias")[0][:, 0] * scale,
        user_mlp=get("user_mlp")[0],
        item_mlp=get("item_mlp")[0],
        demo_embeddings=[get(f"demo_{j}")[0] for j in range(3)],
        genre_kernel=get("genre_proj")[0],
        dense=[(w, b) for w, b in dense],
        out_kernel=out_w * scale,
        out_bias=out_b * scale,
        user_demo=interactions.user_demo.copy(),
        item_genres=interactions.item_genres.copy(),
        baseline_mean=baseline.mean,
        baseline_user_bias=baseline.user_bias,
        baseline_item_bias=baseline.item_bias,
    )
