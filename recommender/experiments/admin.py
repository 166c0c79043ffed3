"""Admin for experiments: variants inline, and the report page with its charts."""

from __future__ import annotations

from django.contrib import admin
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from recommender.experiments.charts import ci_chart_svg, exposures_chart_svg
from recommender.experiments.models import Assignment, Event, Experiment, Variant
from recommender.experiments.report import experiment_report
from recommender.experiments.services import experiment_start, experiment_stop


class VariantInline(admin.TabularInline):
    model = Variant
    extra = 0
    fields = ["name", "is_control", "weight", "config"]


@admin.register(Experiment)
class ExperimentAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "status",
        "primary_metric",
        "planned_sample_size",
        "started_at",
        "report_link",
    ]
    list_filter = ["status"]
    search_fields = ["name"]
    readonly_fields = ["started_at", "stopped_at", "report_link"]
    inlines = [VariantInline]
    actions = ["start", "stop"]

    @admin.display(description="report")
    def report_link(self, obj: Experiment) -> str:
        if obj.pk is None:
            return "-"
        url = reverse("admin:recommender_experiment_report", args=[obj.pk])
        return format_html('<a href="{}">Report</a>', url)

    @admin.action(description="Start the selected draft experiments")
    def start(self, request, queryset) -> None:
        for experiment in queryset.filter(status=Experiment.Status.DRAFT):
            experiment_start(experiment=experiment)

    @admin.action(description="Stop the selected experiments")
    def stop(self, request, queryset) -> None:
        for experiment in queryset:
            experiment_stop(experiment=experiment)

    def get_urls(self):
        report = self.admin_site.admin_view(self.report_view)
        return [
            path(
                "<int:experiment_id>/report/",
                report,
                name="recommender_experiment_report",
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
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Experiment report: {experiment.name}",
            "experiment": experiment,
            "report": report,
            "data": report.to_dict(),
            "include_simulated": include,
            "ci_chart": mark_safe(ci_chart_svg(report)),  # noqa: S308 - escaped SVG
            "exposures_chart": mark_safe(exposures_chart_svg(report)),  # noqa: S308
        }
        return render(request, "admin/recommender/experiment_report.html", context)


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
