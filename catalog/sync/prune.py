"""Offers a complete list no longer shows become history; who must hear of it."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from catalog.models import Availability, OfferHistory
from catalog.selectors import search_index_clear
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
        """Watchlist alerts for gained or lost offers; stale caches and search."""
        from accounts.alerts import watchlist_alerts_create
        from recommender.models import WatchlistItem

        watched = set(
            WatchlistItem.objects.filter(
                movie_id__in=list(self.offer_changes)
            ).values_list("movie_id", flat=True)
        )
        for movie_id in sorted(watched):
            gained, lost = self.offer_changes[movie_id]
            after = dict(
                Availability.objects.filter(
                    movie_id=movie_id,
                    offer_type__in=Availability.INCLUDED_OFFER_TYPES,
                    platform__is_active=True,
                ).values_list("platform_id", "region")
            )
            before = {p: r for p, r in after.items() if p not in gained}
            before |= {p: self.run.region for p in lost if p not in after}
            if before != after:
                watchlist_alerts_create(movie_id=movie_id, before=before, after=after)
        if self.changed:
            # Only the cached pages and payloads that show these titles go stale.
            movies_changed(movie_ids=sorted(self.changed))
        if self.titles_changed:
            search_index_clear()
