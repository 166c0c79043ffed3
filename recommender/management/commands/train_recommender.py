"""Train a gated candidate on the data set + consenting users; activate if it passes."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from recommender.training import TrainingError, model_train


class Command(BaseCommand):
    help = "Train the Keras NCF model on the catalogue's ratings (progress per epoch)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--epochs", type=int, default=None, help="maximum epochs")
        parser.add_argument(
            "--no-activate", action="store_true", help="record but do not activate"
        )
        parser.add_argument(
            "--no-gate",
            action="store_true",
            help="train on everything (no held-out slice) and activate without "
            "comparing with the active version",
        )

    def handle(
        self,
        *args,
        epochs: int | None,
        no_activate: bool,
        no_gate: bool,
        **options,
    ) -> None:
        started = time.monotonic()
        with tqdm(total=epochs, desc="training", unit="epoch") as bar:

            def phase(message: str) -> None:
                # tqdm.write keeps the line clear of the epoch bar.
                tqdm.write(f"[{time.monotonic() - started:6.1f} s] {message}")

            def progress(epoch: int, logs: dict[str, Any]) -> None:
                bar.set_postfix(
                    loss=f"{logs.get('loss', 0):.4f}",
                    val_rmse=f"{logs.get('val_rmse', float('nan')):.4f}",
                )
                bar.update(1)

            try:
                version = model_train(
                    epochs=epochs,
                    progress=progress,
                    activate=not no_activate,
                    gate=not no_gate,
                    phase=phase,
                )
            except TrainingError as exc:
                raise CommandError(str(exc)) from exc
        m = version.metrics
        self.stdout.write(
            self.style.SUCCESS(
                f"Model {version.version}: {m['epochs_run']} epochs in "
                f"{m['ncf_train_seconds']:.1f} s, "
                f"validation RMSE {m['val_rmse']:.4f} "
                f"on {m['n_ratings']:,} ratings "
                f"({m['n_users']:,} users x {m['n_items']:,} movies)"
                + (
                    f"; ranker {m['ranker_train_seconds']:.1f} s"
                    if m.get("ranker_train_seconds") is not None
                    else "; no ranker"
                )
                + f"; {version.training_seconds:.1f} s in all"
                + ("; active" if version.is_active else "; not active")
            )
        )
        if version.gate_decision != version.Gate.UNGATED:
            self.stdout.write(f"gate: {version.gate_decision}: {version.gate_reason}")
