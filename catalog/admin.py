from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from catalog.models import (
    Availability,
    AvailabilityCheck,
    CatalogSync,
    DatasetUser,
    Genre,
    Movie,
    OfferHistory,
    Platform,
    Rating,
    TitleContent,
)
from catalog.search import search_index_clear
from catalog.signals import ADMIN, availability_changed_record, movies_included_offers
from ottsite.lib.generations import catalog_changed, movies_changed


class CatalogAdmin(admin.ModelAdmin):
    """Admin edits announce a catalogue change, as the services do, so cached
    recommendation pages and payloads show them at once."""

    def save_model(self, request, obj, form, change) -> None:  # noqa: ANN001
        super().save_model(request, obj, form, change)
        catalog_changed()

    def delete_model(self, request, obj) -> None:  # noqa: ANN001
        super().delete_model(request, obj)
        catalog_changed()

    def delete_queryset(self, request, queryset) -> None:  # noqa: ANN001
        super().delete_queryset(request, queryset)
        catalog_changed()


class MovieRowsAdmin(admin.ModelAdmin):
    """Rows of one movie each (offers, checks): an edit announces only their movies,
    so cached pages and payloads that show other movies stay cached."""

    def save_model(self, request, obj, form, change) -> None:  # noqa: ANN001
        old = self._movie_ids(type(obj).objects.filter(pk=obj.pk)) if change else []
        movie_ids = [*old, obj.movie_id]  # the old movie and the new
        before = self._state(movie_ids)
        super().save_model(request, obj, form, change)
        self._rows_changed(movie_ids, before)

    def delete_model(self, request, obj) -> None:  # noqa: ANN001
        before = self._state([obj.movie_id])
        super().delete_model(request, obj)
        self._rows_changed([obj.movie_id], before)

    def delete_queryset(self, request, queryset) -> None:  # noqa: ANN001
        movie_ids = self._movie_ids(queryset)
        before = self._state(movie_ids)
        super().delete_queryset(request, queryset)
        self._rows_changed(movie_ids, before)

    @staticmethod
    def _movie_ids(queryset: QuerySet) -> list[int]:
        return list(queryset.order_by().values_list("movie_id", flat=True).distinct())

    def _state(self, movie_ids: list[int]) -> dict:
        """What `_rows_changed` needs to know of the rows before the edit."""
        return {}

    def _rows_changed(self, movie_ids: list[int], before: dict) -> None:
        movies_changed(movie_ids=movie_ids)


@admin.register(Genre)
class GenreAdmin(CatalogAdmin):
    search_fields = ["name"]
    list_display = ["name"]


class TitleContentInline(admin.StackedInline):
    """What Wikidata says about the title (model input; read-only, refreshed by the
    sync and `fetch_content`). No row: no content yet."""

    model = TitleContent
    can_delete = False
    extra = 0
    fields = ["status", "wikidata_id", "label_ko", "label_en", "fields", "fetched_at"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:  # noqa: ANN001
        return False


class OfferHistoryInline(admin.TabularInline):
    """Offers a source stopped listing (history kept by the sync; read-only)."""

    model = OfferHistory
    fields = ["platform", "region", "offer_type", "source", "last_seen", "ended_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("platform")

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:  # noqa: ANN001
        return False


@admin.register(Movie)
class MovieAdmin(CatalogAdmin):
    list_display = [
        "title",
        "title_ko",
        "kind",
        "year",
        "source",
        "source_id",
        "tmdb_id",
        "imdb_id",
    ]
    list_filter = ["kind", "source", "genres", "year"]
    search_fields = [
        "title",
        "title_ko",
        "original_title",
        "imdb_id",
        "=source_id",
        "=tmdb_id",
    ]
    filter_horizontal = ["genres"]
    # What the TMDB sync writes: shown, never edited (the next sync would undo it).
    tmdb_facts = [
        "original_title",
        "original_language",
        "origin_countries",
        "overview_en",
        "tmdb_genres",
        "keywords",
        "runtime",
        "seasons",
        "popularity",
        "vote_average",
        "vote_count",
        "details_fetched_at",
    ]
    fieldsets = [
        (None, {"fields": ["kind", "title", "title_ko", "year", "release_date"]}),
        (_("Genres"), {"fields": ["genres"]}),
        (_("Source"), {"fields": ["source", "source_id", "tmdb_id", "imdb_id"]}),
        (
            _("TMDB details (shown to people, never used by the model)"),
            {"fields": ["poster_path", "overview_ko", *tmdb_facts]},
        ),
        (_("Record"), {"fields": ["created_at", "updated_at"]}),
    ]
    inlines = [TitleContentInline, OfferHistoryInline]
    actions = ["check_availability_now"]

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:  # noqa: ANN001
        # A title's kind is chosen when it is added: its TMDB id space depends on it.
        kind = ["kind"] if obj is not None else []
        return [*kind, *self.tmdb_facts, "created_at", "updated_at"]

    def save_model(self, request, obj, form, change) -> None:  # noqa: ANN001
        super().save_model(request, obj, form, change)
        transaction.on_commit(search_index_clear)

    def delete_model(self, request, obj) -> None:  # noqa: ANN001
        super().delete_model(request, obj)
        transaction.on_commit(search_index_clear)

    def delete_queryset(self, request, queryset) -> None:  # noqa: ANN001
        super().delete_queryset(request, queryset)
        transaction.on_commit(search_index_clear)

    @admin.action(description=_("Check availability now"))
    def check_availability_now(self, request: HttpRequest, queryset: QuerySet) -> None:
        from catalog.lookup import (
            availability_refresh_many,
            cse_is_configured,
            tmdb_is_configured,
        )

        if not (tmdb_is_configured() or cse_is_configured()):
            self.message_user(
                request,
                _("No availability provider is configured (TMDB_API_KEY)."),
                messages.ERROR,
            )
            return
        # At most a page of movies: the admin waits for the answer.
        ids = list(queryset.values_list("pk", flat=True)[:100])
        summary = availability_refresh_many(movie_ids=ids, region="KR")
        self.message_user(
            request,
            summary.line(),
            messages.WARNING if summary.errors else messages.SUCCESS,
        )


@admin.register(DatasetUser)
class DatasetUserAdmin(admin.ModelAdmin):
    list_display = ["source_id", "source", "age", "gender", "occupation", "zip_code"]
    list_filter = ["source", "gender", "occupation"]
    search_fields = ["=source_id", "zip_code"]


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ["user", "movie", "rating", "rated_at"]
    list_filter = ["rating", "user__source"]
    search_fields = ["movie__title", "=user__source_id"]
    raw_id_fields = ["user", "movie"]
    list_select_related = ["user", "movie"]


@admin.register(Platform)
class PlatformAdmin(CatalogAdmin):
    list_display = [
        "name",
        "slug",
        "region",
        "monthly_price",
        "currency",
        "price_checked_on",
        "tmdb_provider_id",
        "is_tmdb_id_verified",
        "is_active",
    ]
    list_editable = ["monthly_price", "tmdb_provider_id", "is_active"]
    list_filter = ["region", "is_active"]
    search_fields = ["name", "slug"]


class StaleFilter(admin.SimpleListFilter):
    title = _("freshness")
    parameter_name = "stale"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin):
        return [("yes", _("Stale")), ("no", _("Fresh"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        cutoff = timezone.now() - timedelta(days=settings.AVAILABILITY_STALE_DAYS)
        if self.value() == "yes":
            return queryset.filter(last_checked__lt=cutoff)
        if self.value() == "no":
            return queryset.filter(last_checked__gte=cutoff)
        return queryset


@admin.register(Availability)
class AvailabilityAdmin(MovieRowsAdmin):
    list_display = [
        "movie",
        "platform",
        "region",
        "offer_type",
        "source",
        "last_checked",
        "link",
    ]
    list_filter = ["platform", "region", "offer_type", "source", StaleFilter]
    search_fields = ["movie__title", "=movie__source_id"]
    raw_id_fields = ["movie"]
    readonly_fields = ["region"]
    list_select_related = ["movie", "platform"]
    date_hierarchy = "last_checked"
    actions = ["mark_checked_now", "set_source_admin"]

    @admin.action(description=_("Mark selected offers as checked now"))
    def mark_checked_now(self, request: HttpRequest, queryset: QuerySet) -> None:
        movie_ids = self._movie_ids(queryset)
        before = self._state(movie_ids)
        count = queryset.update(last_checked=timezone.now())
        self._rows_changed(movie_ids, before)
        self.message_user(request, _("%(count)d offers marked.") % {"count": count})

    @admin.action(description=_("Set source of selected offers to admin"))
    def set_source_admin(self, request: HttpRequest, queryset: QuerySet) -> None:
        movie_ids = self._movie_ids(queryset)
        before = self._state(movie_ids)
        count = queryset.update(source=Availability.Source.ADMIN)
        self._rows_changed(movie_ids, before)
        self.message_user(request, _("%(count)d offers updated.") % {"count": count})

    # Offers are announced to other apps (alerts, caches) as availability_changed.
    def _state(self, movie_ids: list[int]) -> dict:
        return movies_included_offers(movie_ids=movie_ids)

    def _rows_changed(self, movie_ids: list[int], before: dict) -> None:
        availability_changed_record(movie_ids=movie_ids, before=before, source=ADMIN)

    def save_model(
        self, request: HttpRequest, obj: Availability, form: object, change: bool
    ) -> None:
        # Region follows the platform so region filters stay right.
        obj.region = obj.platform.region
        super().save_model(request, obj, form, change)


@admin.register(AvailabilityCheck)
class AvailabilityCheckAdmin(MovieRowsAdmin):
    list_display = ["movie", "source", "status", "checked_at", "offers", "message"]
    list_filter = ["source", "status"]
    search_fields = ["movie__title", "message"]
    raw_id_fields = ["movie"]
    list_select_related = ["movie"]


@admin.register(CatalogSync)
class CatalogSyncAdmin(admin.ModelAdmin):
    """The catalogue sync's runs (read-only) and a "Sync now" button per region."""

    list_display = ["region", "status", "started_at", "finished_at", "message"]
    list_filter = ["region", "status"]
    readonly_fields = [
        "region",
        "scope",
        "status",
        "started_at",
        "heartbeat_at",
        "finished_at",
        "cursor",
        "counts",
        "message",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:  # noqa: ANN001
        return False

    def changelist_view(self, request: HttpRequest, extra_context=None):  # noqa: ANN001
        from catalog.sync import sync_regions

        context = {**(extra_context or {}), "sync_regions": sync_regions()}
        return super().changelist_view(request, extra_context=context)

    def get_urls(self) -> list:
        own = [
            path(
                "sync-now/",
                self.admin_site.admin_view(require_POST(self.sync_now)),
                name="catalog_catalogsync_sync_now",
            )
        ]
        return own + super().get_urls()

    def sync_now(self, request: HttpRequest) -> HttpResponseRedirect:
        """Queue a sync of the posted region on the worker."""
        from catalog.sync import SyncNotConfigured, SyncScopeError, catalog_sync_request

        if not request.user.has_perm("catalog.view_catalogsync"):
            raise PermissionDenied
        region = str(request.POST.get("region", ""))[:2].upper()
        try:
            catalog_sync_request(region=region)
        except (SyncNotConfigured, SyncScopeError) as exc:
            self.message_user(request, str(exc), messages.ERROR)
        else:
            self.message_user(
                request,
                _("A sync of %(region)s is queued; its run appears here.")
                % {"region": region},
            )
        return HttpResponseRedirect(reverse("admin:catalog_catalogsync_changelist"))
