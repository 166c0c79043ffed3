"""Sync what a region's streaming services carry now from TMDB (films and series)."""

from __future__ import annotations

from functools import partial

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from catalog.regions import Region
from catalog.sync import SyncBusy, SyncNotConfigured, SyncScopeError, catalog_sync


class Command(BaseCommand):
    help = (
        "Sync the catalogue of a region's services from TMDB: new titles, their "
        "offers (subscription, free, ads) and details; offers a service no longer "
        "lists become history. Resumes an interrupted run; prints one summary line."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--region", default="KR", choices=list(Region.values))
        parser.add_argument(
            "--provider",
            type=int,
            nargs="+",
            default=[],
            metavar="TMDB_ID",
            help="only these TMDB provider ids (default: every active platform)",
        )
        parser.add_argument(
            "--media",
            nargs="+",
            choices=["movie", "tv"],
            default=["movie", "tv"],
            help="films (movie), series (tv) or both (default)",
        )
        parser.add_argument(
            "--pages",
            type=int,
            help="at most N discover pages (20 titles) a list; offers are then "
            "not pruned, since the lists were not read to their end",
        )
        parser.add_argument(
            "--rate",
            type=float,
            help="TMDB requests a second (default TMDB_REQUESTS_PER_SECOND)",
        )

    def handle(self, *args, **options) -> None:
        if options["rate"] is not None and options["rate"] <= 0:
            raise CommandError("--rate must be above 0")
        try:
            summary = catalog_sync(
                region=options["region"],
                provider_ids=options["provider"],
                media=options["media"],
                pages=options["pages"],
                rate=options["rate"],
                progress=partial(tqdm, disable=None, leave=False),
            )
        except SyncNotConfigured as exc:
            self.stdout.write(self.style.WARNING(str(exc)))
            return
        except (SyncBusy, SyncScopeError) as exc:
            raise CommandError(str(exc)) from exc
        for message in summary.error_messages:
            self.stderr.write(self.style.WARNING(message))
        if summary.failed:
            raise CommandError(summary.line())
        style = self.style.WARNING if summary.errors else self.style.SUCCESS
        self.stdout.write(style(summary.line()))
