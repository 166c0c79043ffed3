"""Offers a complete list no longer shows become history; the run announces changes."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from catalog.models import Availability, OfferHistory
from catalog.selectors import search_index_clear
from catalog.signals import (
    SYNC,
    availability_changed_record,
    movies_included_offers,
)
from catalog.sync.base import KIND_OF_MEDIA, OFFER_OF_MONETIZATION, SyncRunBase
from ottsite.lib.generations import movies_changed


class PruneMixin(SyncRunBase):
    def prune(self) -> None:
        """Offers a complete list no longer shows become history."""
        now = timezone.now()
        for media, platform, monetization in self._lists():
            stale = Availability.objects.filter(
                region=self.run.region,
                platform=platform,
                offer_type=OFFER_OF_MONETIZATION[monetization],
                source=Availability.Source.TMDB,
                movie__kind=KIND_OF_MEDIA[media],
                last_checked__lt=self.run.started_at,
            )
            with transaction.atomic():
                rows = list(stale.select_for_update())
                if not rows:
                    continue
                OfferHistory.objects.bulk_create(
                    OfferHistory(
                        movie_id=row.movie_id,
                        platform_id=row.platform_id,
                        region=row.region,
                        offer_type=row.offer_type,
                        source=row.source,
                        last_seen=row.last_checked,
                        ended_at=now,
                    )
                    for row in rows
                )
                Availability.objects.filter(pk__in=[row.pk for row in rows]).delete()
            for row in rows:
                self.changed.add(row.movie_id)
                self.offer_changes[row.movie_id][1].add(row.platform_id)
            self.summary.offers_removed += len(rows)

    def _announce(self) -> None:
        """The run's offer changes as one availability_changed; stale caches of the
        titles whose details changed, and search."""
        changed_offers = sorted(self.offer_changes)
        before: dict[int, dict[int, str]] = {}
        # The run wrote as it went (committed), so "before" is now's state without
        # what it gained and with what it pruned.
        for movie_id, now in movies_included_offers(movie_ids=changed_offers).items():
            gained, lost = self.offer_changes[movie_id]
            before[movie_id] = {p: r for p, r in now.items() if p not in gained}
            before[movie_id] |= {p: self.run.region for p in lost if p not in now}
        availability_changed_record(
            movie_ids=changed_offers,
            before=before,
            source=SYNC,
            region=self.run.region,
        )
        details_only = self.changed - set(changed_offers)
        if details_only:
            # Only the cached pages and payloads that show these titles go stale.
            movies_changed(movie_ids=sorted(details_only))
        if self.titles_changed:
            search_index_clear()
