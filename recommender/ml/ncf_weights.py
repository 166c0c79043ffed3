"""The NCF's NumPy side: its hyper-parameters and the trained weights' forward pass.

Serving needs only this module (no Keras, no TensorFlow); `model` trains the
network and copies its weights into an `NCFWeights`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

ITEM_VECTOR_DIM = 32  # the Django Movie model stores exactly 32-dim vectors


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
