from __future__ import annotations

import json

from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from recommender.charts import loss_chart_svg
from recommender.models import (
    Dismissal,
    ModelVersion,
    MovieRating,
    RecommendationItem,
    RecommendationSet,
    WatchlistItem,
)
from recommender.training import model_version_activate


@admin.register(ModelVersion)
class ModelVersionAdmin(admin.ModelAdmin):
    list_display = ["version", "is_active", "val_rmse", "epochs", "training_time"]
    list_filter = ["is_active"]
    readonly_fields = [
        "version",
        "path",
        "created_at",
        "training_time",
        "metrics_table",
        "loss_chart",
        "metrics_json",
    ]
    exclude = ["metrics", "training_seconds"]
    actions = ["activate"]

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

    @admin.action(description=_("Activate the selected version"))
    def activate(self, request, queryset) -> None:
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one version."), level="error")
            return
        model_version_activate(version=queryset.get())


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
