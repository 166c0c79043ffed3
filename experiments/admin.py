"""Admin for experiments: variants inline, and the report page with its charts."""

from __future__ import annotations

from django.contrib import admin
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from experiments.charts import ci_chart_svg, exposures_chart_svg
from experiments.models import Assignment, Event, Experiment, Variant
from experiments.report import experiment_report
from experiments.report_display import (
    comparison_rows,
    config_label,
    metric_name,
    p_label,
    variant_rows,
)
from experiments.services import experiment_start, experiment_stop


class VariantInline(admin.TabularInline):
    model = Variant
    extra = 0
    fields = ["name", "is_control", "weight", "config", "config_text"]
    readonly_fields = ["config_text"]

    @admin.display(description=gettext_lazy("configuration in words"))
    def config_text(self, obj: Variant) -> str:
        return config_label(obj.config or {}) if obj.pk else "-"


@admin.register(Experiment)
class ExperimentAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "report_link",
        "status",
        "primary_metric",
        "planned_sample_size",
        "started_at",
    ]
    list_filter = ["status"]
    search_fields = ["name"]
    readonly_fields = ["started_at", "stopped_at", "report_link"]
    inlines = [VariantInline]
    actions = ["start", "stop"]

    class Media:
        css = {"all": ["css/admin-recommender.css"]}

    @admin.display(description=gettext_lazy("report"))
    def report_link(self, obj: Experiment) -> str:
        if obj.pk is None:
            return "-"
        url = reverse("admin:experiments_experiment_report", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Report"))

    @admin.action(description=gettext_lazy("Start the selected draft experiments"))
    def start(self, request, queryset) -> None:
        for experiment in queryset.filter(status=Experiment.Status.DRAFT):
            experiment_start(experiment=experiment)

    @admin.action(description=gettext_lazy("Stop the selected experiments"))
    def stop(self, request, queryset) -> None:
        for experiment in queryset:
            experiment_stop(experiment=experiment)

    def get_urls(self):
        report = self.admin_site.admin_view(self.report_view)
        return [
            path(
                "<int:experiment_id>/report/",
                report,
                name="experiments_experiment_report",
            ),
            *super().get_urls(),
        ]

    def report_view(self, request: HttpRequest, experiment_id: int) -> HttpResponse:
        if not self.has_view_permission(request):
            raise Http404
        experiment = Experiment.objects.filter(pk=experiment_id).first()
        if experiment is None:
            raise Http404("No such experiment.")
        include = request.GET.get("include_simulated") == "1"
        report = experiment_report(experiment=experiment, include_simulated=include)
        data = report.to_dict()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Experiment report: %(name)s") % {"name": experiment.name},
            "experiment": experiment,
            "report": report,
            "data": data,
            "primary_metric": metric_name(experiment.primary_metric),
            "effect": f"{100 * experiment.minimum_detectable_effect:g}%",
            "variants": variant_rows(data["variants"]),
            "comparisons": {
                name: comparison_rows(rows, data["required_sample_size"])
                for name, rows in data["comparisons"].items()
            },
            "sample_ratio_p": p_label(data["sample_ratio"]["p_value"]),
            "expected": ", ".join(
                f"{value:,.1f}" for value in data["sample_ratio"]["expected"]
            ),
            "observed": ", ".join(
                f"{value:,}" for value in data["sample_ratio"]["observed"]
            ),
            "include_simulated": include,
            "ci_chart": mark_safe(ci_chart_svg(report)),  # noqa: S308 - escaped SVG
            "exposures_chart": mark_safe(exposures_chart_svg(report)),  # noqa: S308
        }
        return render(request, "admin/experiments/experiment_report.html", context)


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "experiment", "variant", "created_at"]
    list_filter = ["experiment", "variant"]
    raw_id_fields = ["user"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["kind", "surface", "user", "variant", "recommendation_set", "value"]
    list_filter = ["kind", "surface", "experiment", "variant"]
    raw_id_fields = ["user", "recommendation_set", "movie"]
