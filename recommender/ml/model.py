"""Keras 3 NCF rating regressor (GMF + MLP + biases + side features), NumPy serving.

Keras/TensorFlow is imported lazily: only training (``NCFRecommender.fit``) and
``model.keras`` export need it, so a web worker serving from ``NCFWeights`` never
imports TensorFlow.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from .baselines import BiasBaseline
from .data import DEMO_CARDINALITIES, Interactions
from .ema import ema_rmse_callback

ITEM_VECTOR_DIM = 32  # the Django Movie model stores exactly 32-dim vectors

ProgressCallback = Callable[[int, dict[str, float]], None]


@dataclass
class NCFConfig:
    """Hyper-parameters of the NCF model and its training."""

    gmf_dim: int = ITEM_VECTOR_DIM
    mlp_dim: int = 16
    demo_dim: int = 4
    genre_dim: int = 8
    hidden: tuple[int, ...] = (64, 32)
    dropout: float = 0.2
    l2_embedding: float = 1e-4
    l2_dense: float = 1e-5
    l2_activity: float = 0.0  # L2 on looked-up user/item vectors (per example)
    learning_rate: float = 2e-3
    # EMA of the weights (Adam use_ema); early stopping and serving use the
    # average, which is smoother than the raw Adam iterate. 0 disables.
    ema_momentum: float = 0.998
    batch_size: int = 512
    epochs: int = 30
    patience: int = 3
    validation_fraction: float = 0.05
    seed: int = 42

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly dict."""
        data = asdict(self)
        data["hidden"] = list(self.hidden)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> NCFConfig:
        """Inverse of to_dict (unknown keys ignored)."""
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        if "hidden" in known:
            known["hidden"] = tuple(known["hidden"])
        return cls(**known)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * x))


@dataclass
class UserSide:
    """Everything the forward pass needs about one or more users."""

    gmf: np.ndarray  # (k, gmf_dim)
    bias: np.ndarray  # (k,)
    hidden: np.ndarray  # (k, h1) user contribution to the first MLP layer


@dataclass
class NCFWeights:
    """NumPy copy of the trained network; fast forward pass for serving."""

    config: NCFConfig
    global_bias: float
    user_gmf: np.ndarray
    item_gmf: np.ndarray
    user_bias: np.ndarray
    item_bias: np.ndarray
    user_mlp: np.ndarray
    item_mlp: np.ndarray
    demo_embeddings: list[np.ndarray]  # age, gender, occupation tables
    genre_kernel: np.ndarray  # (n_genres, genre_dim)
    dense: list[tuple[np.ndarray, np.ndarray]]  # hidden layers
    out_kernel: np.ndarray  # (h_last, 1)
    out_bias: np.ndarray  # (1,)
    user_demo: np.ndarray  # (n_users, 3) training users' codes
    item_genres: np.ndarray  # (n_items, n_genres)
    baseline_mean: float
    baseline_user_bias: np.ndarray
    baseline_item_bias: np.ndarray
    _item_hidden: np.ndarray | None = field(default=None, repr=False)
    _w1_user: np.ndarray | None = field(default=None, repr=False)
    _w1_demo: list[np.ndarray] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        w1, b1 = self.dense[0]
        m, d = self.config.mlp_dim, self.config.demo_dim
        # MLP input order: [user_mlp, age, gender, occupation, item_mlp, genres]
        self._w1_user = w1[:m]
        self._w1_demo = [w1[m + j * d : m + (j + 1) * d] for j in range(3)]
        off = m + 3 * d
        w1_item = w1[off : off + m]
        w1_genre = w1[off + m :]
        genre_proj = self.item_genres @ self.genre_kernel
        self._item_hidden = (
            self.item_mlp @ w1_item + genre_proj @ w1_genre + b1
        ).astype(np.float32)

    @property
    def n_users(self) -> int:
        """Number of training users."""
        return int(self.user_gmf.shape[0])

    @property
    def n_items(self) -> int:
        """Number of items."""
        return int(self.item_gmf.shape[0])

    def demo_hidden(self, demo: np.ndarray) -> np.ndarray:
        """First-layer contribution of (k, 3) demographic codes."""
        demo = np.atleast_2d(np.asarray(demo, dtype=np.int64))
        out = np.zeros((demo.shape[0], self._item_hidden.shape[1]), dtype=np.float32)
        for j in range(3):
            table = self.demo_embeddings[j]
            codes = np.clip(demo[:, j], 0, table.shape[0] - 1)
            out += table[codes] @ self._w1_demo[j]
        return out

    def mlp_user_hidden(self, mlp_vecs: np.ndarray) -> np.ndarray:
        """First-layer contribution of (k, mlp_dim) user MLP vectors."""
        return np.atleast_2d(mlp_vecs) @ self._w1_user

    def user_side(self, users: np.ndarray, demo: np.ndarray | None = None) -> UserSide:
        """UserSide of known users (optionally overriding their demographics)."""
        users = np.asarray(users, dtype=np.int64)
        codes = self.user_demo[users] if demo is None else demo
        hidden = self.mlp_user_hidden(self.user_mlp[users]) + self.demo_hidden(codes)
        return UserSide(self.user_gmf[users], self.user_bias[users], hidden)

    def _mlp_tail(self, h: np.ndarray) -> np.ndarray:
        shape = h.shape[:-1]
        h = np.maximum(h.reshape(-1, h.shape[-1]), 0.0, dtype=np.float32)
        for w, b in self.dense[1:]:
            h = np.maximum(h @ w + b, 0.0)
        out = (h @ self.out_kernel)[:, 0] + self.out_bias[0]
        return out.reshape(shape)

    def logits_matrix(self, side: UserSide, items: np.ndarray) -> np.ndarray:
        """(k users x m items) pre-sigmoid scores."""
        items = np.asarray(items, dtype=np.int64)
        h = side.hidden[:, None, :] + self._item_hidden[items][None, :, :]
        mlp = self._mlp_tail(h)
        gmf = side.gmf @ self.item_gmf[items].T
        return (
            self.global_bias
            + side.bias[:, None]
            + self.item_bias[items][None, :]
            + gmf
            + mlp
        )

    def rating_matrix(self, side: UserSide, items: np.ndarray) -> np.ndarray:
        """(k users x m items) predicted ratings in [1, 5]."""
        return (1.0 + 4.0 * _sigmoid(self.logits_matrix(side, items))).astype(
            np.float32
        )

    def predict_pairs(self, users: np.ndarray, items: np.ndarray) -> np.ndarray:
        """Predicted ratings for (user_idx, item_idx) pairs; unknown -> baseline."""
        users = np.asarray(users, dtype=np.int64).ravel()
        items = np.asarray(items, dtype=np.int64).ravel()
        ok_u = (users >= 0) & (users < self.n_users)
        ok_i = (items >= 0) & (items < self.n_items)
        out = self.baseline_pairs(users, items)
        ok = ok_u & ok_i
        if ok.any():
            u, i = users[ok], items[ok]
            out_ok = np.empty(len(u), dtype=np.float32)
            for start in range(0, len(u), 65536):
                sl = slice(start, start + 65536)
                side = self.user_side(u[sl])
                h = side.hidden + self._item_hidden[i[sl]]
                z = (
                    self.global_bias
                    + side.bias
                    + self.item_bias[i[sl]]
                    + np.einsum("ij,ij->i", side.gmf, self.item_gmf[i[sl]])
                    + self._mlp_tail(h)
                )
                out_ok[sl] = 1.0 + 4.0 * _sigmoid(z)
            out[ok] = out_ok
        return out

    def baseline_pairs(self, users: np.ndarray, items: np.ndarray) -> np.ndarray:
        """mu + b_u + b_i with zero bias for unknown users/items, clipped to [1, 5]."""
        users = np.asarray(users, dtype=np.int64).ravel()
        items = np.asarray(items, dtype=np.int64).ravel()
        bu_t, bi_t = self.baseline_user_bias, self.baseline_item_bias
        ok_u = (users >= 0) & (users < len(bu_t))
        ok_i = (items >= 0) & (items < len(bi_t))
        bu = np.where(ok_u, bu_t[np.where(ok_u, users, 0)], 0.0)
        bi = np.where(ok_i, bi_t[np.where(ok_i, items, 0)], 0.0)
        return np.clip(self.baseline_mean + bu + bi, 1.0, 5.0).astype(np.float32)

    def item_embeddings(self) -> np.ndarray:
        """(n_items x ITEM_VECTOR_DIM) float32 item vectors (GMF item factors)."""
        vec = self.item_gmf.astype(np.float32)
        if vec.shape[1] >= ITEM_VECTOR_DIM:
            return np.ascontiguousarray(vec[:, :ITEM_VECTOR_DIM])
        pad = np.zeros((vec.shape[0], ITEM_VECTOR_DIM - vec.shape[1]), np.float32)
        return np.hstack([vec, pad])

    def to_arrays(self) -> dict[str, np.ndarray]:
        """Flat dict of arrays for np.savez."""
        arrays: dict[str, np.ndarray] = {
            "global_bias": np.array([self.global_bias], dtype=np.float32),
            "user_gmf": self.user_gmf,
            "item_gmf": self.item_gmf,
            "user_bias": self.user_bias,
            "item_bias": self.item_bias,
            "user_mlp": self.user_mlp,
            "item_mlp": self.item_mlp,
            "genre_kernel": self.genre_kernel,
            "out_kernel": self.out_kernel,
            "out_bias": self.out_bias,
            "user_demo": self.user_demo,
            "item_genres": self.item_genres,
            "baseline_mean": np.array([self.baseline_mean], dtype=np.float32),
            "baseline_user_bias": self.baseline_user_bias,
            "baseline_item_bias": self.baseline_item_bias,
        }
        for j, table in enumerate(self.demo_embeddings):
            arrays[f"demo_{j}"] = table
        for j, (w, b) in enumerate(self.dense):
            arrays[f"dense_{j}_kernel"] = w
            arrays[f"dense_{j}_bias"] = b
        return arrays

    @classmethod
    def from_arrays(
        cls, config: NCFConfig, arrays: dict[str, np.ndarray]
    ) -> NCFWeights:
        """Inverse of to_arrays."""
        n_dense = sum(1 for k in arrays if k.startswith("dense_") and "kernel" in k)
        return cls(
            config=config,
            global_bias=float(arrays["global_bias"][0]),
            user_gmf=arrays["user_gmf"],
            item_gmf=arrays["item_gmf"],
            user_bias=arrays["user_bias"],
            item_bias=arrays["item_bias"],
            user_mlp=arrays["user_mlp"],
            item_mlp=arrays["item_mlp"],
            demo_embeddings=[arrays[f"demo_{j}"] for j in range(3)],
            genre_kernel=arrays["genre_kernel"],
            dense=[
                (arrays[f"dense_{j}_kernel"], arrays[f"dense_{j}_bias"])
                for j in range(n_dense)
            ],
            out_kernel=arrays["out_kernel"],
            out_bias=arrays["out_bias"],
            user_demo=arrays["user_demo"],
            item_genres=arrays["item_genres"],
            baseline_mean=float(arrays["baseline_mean"][0]),
            baseline_user_bias=arrays["baseline_user_bias"],
            baseline_item_bias=arrays["baseline_item_bias"],
        )


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
