"""Drive synthetic users through sign-up, survey, build and feedback (for demos)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from experiments.report import experiment_get
from experiments.simulate import (
    SimulationError,
    effect_parse,
    simulate_traffic,
)
from ottsite.lib.errors import NotFound


class Command(BaseCommand):
    help = (
        "Simulate N synthetic users in an experiment, with a known true effect on "
        "the treatment variants (simulated users are marked and left out of reports "
        "unless --include-simulated)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--experiment", required=True, help="experiment name")
        parser.add_argument("--users", type=int, required=True)
        parser.add_argument(
            "--effect",
            action="append",
            default=[],
            metavar="METRIC=+x%",
            help="true relative effect on the treatment, e.g. satisfaction=+5%%",
        )
        parser.add_argument("--region", default="KR")
        parser.add_argument("--seed", type=int, default=0)

    def handle(self, *args, **options) -> None:
        if options["users"] < 1:
            raise CommandError("--users must be at least 1")
        try:
            effects = dict(effect_parse(text) for text in options["effect"])
            experiment = experiment_get(name=options["experiment"])
            with tqdm(total=options["users"], unit="user") as bar:
                result = simulate_traffic(
                    experiment=experiment,
                    users=options["users"],
                    effects=effects,
                    region=options["region"],
                    seed=options["seed"],
                    progress=lambda done: bar.update(done - bar.n),
                )
        except (SimulationError, NotFound) as exc:
            raise CommandError(getattr(exc, "message", str(exc))) from exc
        self.stdout.write(
            f"run {result.run}: {result.users} users, {result.sets_ready} sets ready, "
            f"per variant {result.per_variant}, events {result.events}, "
            f"clicks without an offer {result.no_offer_clicks}"
        )
