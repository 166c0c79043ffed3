"""Evaluate the recommender offline: RMSE/MAE on u1..u5, cold-start ranking, and
(--item-cold-start) how well films nobody has rated are ranked."""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from recommender.evaluation_service import (
    EvaluationError,
    recommender_evaluate,
    recommender_item_cold_start,
)
from recommender.ml.evaluation_report import format_table
from recommender.ml.item_cold_start_report import format_item_cold_start


class Command(BaseCommand):
    help = (
        "Train throw-away models per split and report rating accuracy and cold-start "
        "ranking against baselines (the active model is never touched)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--json", action="store_true", help="print JSON too")
        parser.add_argument("--source", help="ml-100k directory (default: configured)")
        parser.add_argument("--folds", nargs="+", help="splits, default u1 u2 u3 u4 u5")
        parser.add_argument("--skip-rating", action="store_true")
        parser.add_argument("--skip-cold-start", action="store_true")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument(
            "--seeds", type=int, nargs="+", help="cold-start seeds (default: --seed)"
        )
        parser.add_argument(
            "--ranker-users",
            type=int,
            default=600,
            help="training users whose simulated surveys train the ranker",
        )
        parser.add_argument(
            "--ranker-cases-per-user",
            type=int,
            default=2,
            help="simulated surveys per ranker training user (different favourites)",
        )
        parser.add_argument(
            "--item-cold-start",
            action="store_true",
            help="only the item cold start: the newest tenth of the films unrated",
        )
        parser.add_argument(
            "--content-model",
            action="store_true",
            help="cold start: also the ranker with the content model (paired)",
        )
        parser.add_argument(
            "--streaming",
            metavar="DIR",
            help="streaming snapshot CSVs (default: a 'streaming' folder beside "
            "the MovieLens directory, if there is one)",
        )

    def handle(self, *args, **options) -> None:
        if options["item_cold_start"]:
            return self._item_cold_start(options)
        try:
            result = recommender_evaluate(
                source=options["source"],
                folds=options["folds"],
                rating=not options["skip_rating"],
                cold_start=not options["skip_cold_start"],
                seed=options["seed"],
                seeds=options["seeds"],
                ranker_users=options["ranker_users"],
                ranker_cases_per_user=options["ranker_cases_per_user"],
                content_model=options["content_model"],
                streaming=options["streaming"],
                progress=lambda message: print(message, file=sys.stderr, flush=True),
            )
        except EvaluationError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(format_table(result))
        if options["json"]:
            self.stdout.write(json.dumps(result, indent=2, default=float))

    def _item_cold_start(self, options) -> None:
        try:
            result = recommender_item_cold_start(
                source=options["source"],
                streaming=options["streaming"],
                seeds=options["seeds"] or [0, 1, 2],
                progress=lambda message: print(message, file=sys.stderr, flush=True),
            )
        except EvaluationError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(format_item_cold_start(result))
        if options["json"]:
            self.stdout.write(json.dumps(result, indent=2, default=float))
