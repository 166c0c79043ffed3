"""Early stopping on the optimizer's exponential moving average (EMA) of the weights.

Keras' ``use_ema`` only swaps the averaged weights in at the very end of ``fit``
and ``EarlyStopping(restore_best_weights=True)`` would then overwrite them with
raw weights, so the average is never what gets validated or kept. This callback
scores the averaged weights on the validation set after every epoch, logs
``val_ema_rmse`` and leaves the best averaged weights in the model when training
ends. Keras is imported lazily, like in model.py.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def ema_rmse_callback(x_val: dict[str, np.ndarray], y_val: np.ndarray) -> Any:
    """Keras callback logging ``val_ema_rmse``; keeps the best EMA weights."""
    import keras

    class EMAValidation(keras.callbacks.Callback):
        def __init__(self) -> None:
            super().__init__()
            self.best = np.inf
            self.best_weights: list[np.ndarray] | None = None

        def _swap_in_average(self) -> list[np.ndarray]:
            variables = self.model.trainable_variables
            raw = [v.numpy() for v in variables]
            averages = self.model.optimizer._model_variables_moving_average
            for var, avg in zip(variables, averages, strict=True):
                var.assign(avg)
            return raw

        def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
            raw = self._swap_in_average()
            pred = np.asarray(self.model.predict(x_val, batch_size=8192, verbose=0))
            rmse = float(np.sqrt(np.mean((pred.ravel() - y_val) ** 2)))
            if logs is not None:
                logs["val_ema_rmse"] = rmse
            if rmse < self.best:
                self.best = rmse
                self.best_weights = [v.numpy() for v in self.model.trainable_variables]
            for var, value in zip(self.model.trainable_variables, raw, strict=True):
                var.assign(value)

        def on_train_end(self, logs: dict[str, Any] | None = None) -> None:
            if self.best_weights is None:
                return
            for var, value in zip(
                self.model.trainable_variables, self.best_weights, strict=True
            ):
                var.assign(value)

    return EMAValidation()
