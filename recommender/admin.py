from __future__ import annotations

import json

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from recommender.charts import loss_chart_svg
from recommender.models import (
    Dismissal,
    ModelVersion,
    MovieRating,
    RecommendationItem,
    RecommendationSet,
    WatchlistItem,
)
from recommender.tasks import model_train_task
from recommender.training import model_version_activate


def _number(value: float | None, digits: int = 4) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


@admin.register(ModelVersion)
class ModelVersionAdmin(admin.ModelAdmin):
    list_display = [
        "version",
        "is_active",
        "gate_decision",
        "ndcg_dataset",
        "ndcg_product",
        "heldout_rmse",
        "val_rmse",
        "data_by_origin",
        "training_time",
        "gate_reason",
    ]
    list_filter = ["is_active", "gate_decision"]
    change_list_template = "admin/recommender/modelversion/change_list.html"
    readonly_fields = [
        "version",
        "path",
        "created_at",
        "training_time",
        "gate_decision",
        "gate_reason",
        "data_counts",
        "metrics_table",
        "loss_chart",
        "metrics_json",
    ]
    exclude = ["metrics", "training_seconds"]
    actions = ["activate"]

    def get_urls(self) -> list:
        own = [
            path(
                "train/",
                self.admin_site.admin_view(require_POST(self.train_now)),
                name="recommender_modelversion_train",
            ),
        ]
        return own + super().get_urls()

    def train_now(self, request: HttpRequest) -> HttpResponseRedirect:
        """Queue a gated training on the worker (the nightly task, now)."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        model_train_task.delay()
        self.message_user(
            request,
            _("Training queued: the candidate goes live only if it passes the gate."),
        )
        return HttpResponseRedirect(
            reverse("admin:recommender_modelversion_changelist")
        )

    def _holdout(self, obj: ModelVersion, origin: str) -> dict:
        return obj.metrics.get("holdout", {}).get("by_origin", {}).get(origin, {})

    @admin.display(description=_("NDCG@10 data set (users)"))
    def ndcg_dataset(self, obj: ModelVersion) -> str:
        row = self._holdout(obj, "dataset")
        if not row:
            return "-"
        return f"{_number(row.get('cold_start_ndcg@10'))} ({row['cold_start_users']})"

    @admin.display(description=_("NDCG@10 product (users)"))
    def ndcg_product(self, obj: ModelVersion) -> str:
        row = self._holdout(obj, "product")
        if not row:
            return "-"
        return f"{_number(row.get('cold_start_ndcg@10'))} ({row['cold_start_users']})"

    @admin.display(description=_("held-out RMSE (data set / product)"))
    def heldout_rmse(self, obj: ModelVersion) -> str:
        dataset, product = self._holdout(obj, "dataset"), self._holdout(obj, "product")
        if not dataset:
            return "-"
        return f"{_number(dataset.get('rmse'))} / {_number(product.get('rmse'))}"

    @admin.display(description=_("training data: users / ratings by origin"))
    def data_by_origin(self, obj: ModelVersion) -> str:
        parts = [
            f"{origin} {c['users']:,} / {c['ratings']:,}"
            for origin, c in (obj.data_counts or {}).items()
        ]
        return "; ".join(parts) or "-"

    @admin.display(description=_("training time"), ordering="training_seconds")
    def training_time(self, obj: ModelVersion) -> str:
        return _("%(seconds).1f s") % {"seconds": obj.training_seconds}

    @admin.display(description=_("validation RMSE"))
    def val_rmse(self, obj: ModelVersion) -> str:
        value = obj.metrics.get("val_rmse")
        return f"{value:.4f}" if value is not None else "-"

    @admin.display(description=_("epochs"))
    def epochs(self, obj: ModelVersion) -> int:
        return obj.metrics.get("epochs_run", 0)

    @admin.display(description=_("metrics"))
    def metrics_table(self, obj: ModelVersion) -> str:
        rows = [(k, v) for k, v in obj.metrics.items() if k != "history"]
        return format_html(
            "<table>{}</table>",
            format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", rows),
        )

    @admin.display(description=_("loss per epoch"))
    def loss_chart(self, obj: ModelVersion) -> str:
        return mark_safe(loss_chart_svg(obj.metrics.get("history", [])))  # noqa: S308

    @admin.display(description=_("raw metrics"))
    def metrics_json(self, obj: ModelVersion) -> str:
        return format_html("<pre>{}</pre>", json.dumps(obj.metrics, indent=2))

    @admin.action(description=_("Activate (or roll back to) the selected version"))
    def activate(self, request, queryset) -> None:
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one version."), level="error")
            return
        version = queryset.get()
        model_version_activate(version=version)
        self.message_user(
            request, _("%(version)s is now active.") % {"version": version.version}
        )


class RecommendationItemInline(admin.TabularInline):
    model = RecommendationItem
    raw_id_fields = ["movie"]
    extra = 0


@admin.register(RecommendationSet)
class RecommendationSetAdmin(admin.ModelAdmin):
    list_display = ["id", "survey", "status", "method", "model_version", "created_at"]
    list_filter = ["status", "method"]
    search_fields = ["survey__user__username"]
    raw_id_fields = ["survey"]
    inlines = [RecommendationItemInline]


@admin.register(MovieRating, Dismissal, WatchlistItem)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["user", "movie"]
    search_fields = ["user__username", "movie__title"]
    raw_id_fields = ["user", "movie"]


# Experiments register their admin pages from their own package.
import recommender.experiments.admin  # noqa: E402, F401
