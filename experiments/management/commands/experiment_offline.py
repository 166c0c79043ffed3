"""The offline arm of an experiment: every variant on the same cold-start users of
MovieLens, with the paired Wilcoxon test against control."""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from experiments.offline import offline_arm_text
from experiments.offline_service import experiment_offline_evaluate
from ottsite.lib.errors import NotFound
from recommender.evaluation_service import EvaluationError


class Command(BaseCommand):
    help = (
        "Train throw-away models per variant of an experiment on the same held-out "
        "cold-start users and compare them with control (the active model is never "
        "touched)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("name", help="the experiment's name")
        parser.add_argument("--source", help="ml-100k directory (default: configured)")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--json", action="store_true", help="print JSON too")

    def handle(self, *args, **options) -> None:
        try:
            result = experiment_offline_evaluate(
                name=options["name"],
                source=options["source"],
                seed=options["seed"],
                progress=lambda message: print(message, file=sys.stderr, flush=True),
            )
        except (EvaluationError, NotFound) as exc:
            raise CommandError(getattr(exc, "message", str(exc))) from exc
        self.stdout.write(offline_arm_text(result))
        if options["json"]:
            self.stdout.write(json.dumps(result, indent=2, default=float))
