"""Evaluate the recommender offline: RMSE/MAE on u1..u5 and cold-start ranking."""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from recommender.evaluation_service import EvaluationError, recommender_evaluate
from recommender.ml.evaluation import format_table


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
            "--experiment", metavar="NAME", help="only the offline arm of an experiment"
        )

    def handle(self, *args, **options) -> None:
        if options["experiment"]:
            return self._experiment(options)
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
                progress=lambda message: print(message, file=sys.stderr, flush=True),
            )
        except EvaluationError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(format_table(result))
        if options["json"]:
            self.stdout.write(json.dumps(result, indent=2, default=float))

    def _experiment(self, options) -> None:
        from ottsite.lib.errors import NotFound
        from recommender.experiments.offline import offline_arm_text
        from recommender.experiments.offline_service import (
            experiment_offline_evaluate,
        )

        try:
            result = experiment_offline_evaluate(
                name=options["experiment"],
                source=options["source"],
                seed=options["seed"],
                progress=lambda message: print(message, file=sys.stderr, flush=True),
            )
        except (EvaluationError, NotFound) as exc:
            raise CommandError(getattr(exc, "message", str(exc))) from exc
        self.stdout.write(offline_arm_text(result))
        if options["json"]:
            self.stdout.write(json.dumps(result, indent=2, default=float))
