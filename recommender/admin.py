from __future__ import annotations

import json

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from recommender.charts import loss_chart_svg
from recommender.metrics_display import (
    data_counts_label,
    gate_reason_label,
    metrics_rows,
    ndcg_users_label,
    number_label,
    seconds_label,
    total_seconds,
    training_time_label,
)
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


@admin.register(ModelVersion)
class ModelVersionAdmin(admin.ModelAdmin):
    # Few, short columns: with the admin's menu and the filters beside it the list
    # has about 600 px at 1280. The rest is on each version's page.
    list_display = [
        "version",
        "is_active",
        "gate_decision",
        "ndcg_dataset",
        "ndcg_product",
        "val_rmse",
        "total_time",
    ]
    list_filter = ["is_active", "gate_decision"]
    change_list_template = "admin/recommender/modelversion/change_list.html"
    readonly_fields = [
        "version",
        "path",
        "created",
        "training_time",
        "gate_decision",
        "gate_reason_text",
        "heldout_rmse",
        "data_counts_text",
        "metrics_table",
        "loss_chart",
        "metrics_json",
    ]
    exclude = ["metrics", "training_seconds", "gate_reason", "data_counts"]
    actions = ["activate"]

    class Media:
        css = {"all": ["css/admin-recommender.css"]}

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

    @admin.display(description=_("NDCG@10, data set"))
    def ndcg_dataset(self, obj: ModelVersion) -> str:
        return ndcg_users_label(self._holdout(obj, "dataset"))

    @admin.display(description=_("NDCG@10, our users"))
    def ndcg_product(self, obj: ModelVersion) -> str:
        return ndcg_users_label(self._holdout(obj, "product"))

    @admin.display(description=_("held-out RMSE (data set / product)"))
    def heldout_rmse(self, obj: ModelVersion) -> str:
        dataset, product = self._holdout(obj, "dataset"), self._holdout(obj, "product")
        if not dataset:
            return "-"
        return (
            f"{number_label(dataset.get('rmse'))} / {number_label(product.get('rmse'))}"
        )

    @admin.display(description=_("trained"), ordering="created_at")
    def created(self, obj: ModelVersion) -> str:
        return date_format(localtime(obj.created_at), "DATETIME_FORMAT")

    @admin.display(description=_("training data by origin"))
    def data_counts_text(self, obj: ModelVersion) -> str:
        return data_counts_label(obj.data_counts or {})

    @admin.display(description=_("training time"), ordering="training_seconds")
    def total_time(self, obj: ModelVersion) -> str:
        return seconds_label(total_seconds(obj.metrics or {}, obj.training_seconds))

    @admin.display(description=_("training time"))
    def training_time(self, obj: ModelVersion) -> str:
        return training_time_label(obj.metrics or {}, obj.training_seconds)

    @admin.display(description=_("gate reason"))
    def gate_reason_text(self, obj: ModelVersion) -> str:
        return gate_reason_label(obj.gate_reason)

    @admin.display(description=_("validation RMSE"))
    def val_rmse(self, obj: ModelVersion) -> str:
        return number_label(obj.metrics.get("val_rmse"))

    @admin.display(description=_("metrics"))
    def metrics_table(self, obj: ModelVersion) -> str:
        rows = metrics_rows(obj.metrics or {}, obj.training_seconds)
        return format_html(
            '<table class="metrics-table">{}</table>',
            format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", rows),
        )

    @admin.display(description=_("loss per epoch"))
    def loss_chart(self, obj: ModelVersion) -> str:
        return mark_safe(loss_chart_svg(obj.metrics.get("history", [])))  # noqa: S308

    @admin.display(description=_("raw metrics"))
    def metrics_json(self, obj: ModelVersion) -> str:
        return format_html(
            '<details><summary>{}</summary><pre style="white-space:pre-wrap">{}</pre>'
            "</details>",
            _("Show the metrics as recorded (JSON)"),
            json.dumps(obj.metrics, indent=2, ensure_ascii=False),
        )

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
