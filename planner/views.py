"""The plan page, saving its settings and the calendar of its switches."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.selectors import viewer_region
from catalog.selectors import platforms_for_region
from ottsite.lib.errors import NotFound, ValidationFailed
from planner.calendar import plan_calendar
from planner.charts import timeline_svg
from planner.experiment import plan_clickout_record
from planner.forms import PlanForm, PlanSettingsForm
from planner.reminders import plan_reminders_mark_read, plan_reminders_unread
from planner.selectors import plan_choices, plan_get, plan_settings_get
from planner.services import plan_settings_save


@login_required
@require_GET
def plan(request: HttpRequest) -> HttpResponse:
    region, _mine = viewer_region(user=request.user)
    platforms = platforms_for_region(region=region)
    form = PlanForm(request.GET or None, platforms=platforms)
    context: dict[str, Any] = {
        "nav": "plan",
        "form": form,
        "payload": None,
        "reminders": plan_reminders_unread(user=request.user),
    }
    status = 200
    try:
        if form.is_bound and not form.is_valid():
            raise ValidationFailed(form.errors)
        choices = plan_choices(
            user=request.user, **(form.query() if form.is_bound else {})
        )
    except ValidationFailed as exc:
        for field, errors in exc.errors.items():
            for error in errors:
                if error not in form.errors.get(field, []):
                    form.add_error(field if field in form.fields else None, error)
        status = 400
    else:
        payload = plan_get(user=request.user, choices=choices)
        initial = {"pace": choices.pace, "anchors": list(choices.anchors)}
        if not form.is_bound:
            form = PlanForm(
                initial={**initial, "months": choices.months, "anchors_set": True},
                platforms=platforms,
            )
        saved = plan_settings_get(user=request.user)
        context.update(
            payload=payload,
            chart=timeline_svg(payload),
            choices=choices,
            saved=saved,
            settings_form=PlanSettingsForm(
                initial={
                    **initial,
                    "has_reminders": bool(saved and saved.has_reminders),
                    "email_reminders": bool(saved and saved.email_reminders),
                },
                platforms=platforms,
            ),
        )
    context["form"] = form
    return render(request, "planner/plan.html", context, status=status)


@login_required
@require_POST
def settings_save(request: HttpRequest) -> HttpResponse:
    region, _mine = viewer_region(user=request.user)
    form = PlanSettingsForm(request.POST, platforms=platforms_for_region(region=region))
    if not form.is_valid():
        messages.error(request, _("The plan settings were not understood."))
        return redirect("planner:plan")
    data = form.cleaned_data
    try:
        plan_settings_save(
            user=request.user,
            pace=data["pace"],
            anchors=data["anchors"],
            has_reminders=data["has_reminders"],
            email_reminders=data["email_reminders"],
        )
    except ValidationFailed as exc:
        messages.error(request, exc.message)
        return redirect("planner:plan")
    messages.success(request, _("Saved. This is now your plan."))
    return redirect("planner:plan")


@login_required
@require_POST
def reminders_read(request: HttpRequest) -> HttpResponse:
    """ "Got it": dismiss the reminders shown on the plan page."""
    plan_reminders_mark_read(user=request.user)
    return redirect("planner:plan")


@login_required
@require_GET
def calendar(request: HttpRequest) -> HttpResponse:
    """The switches of the saved plan as an .ics file a phone's calendar imports."""
    region, _mine = viewer_region(user=request.user)
    form = PlanForm(request.GET or None, platforms=platforms_for_region(region=region))
    if form.is_bound and not form.is_valid():
        return HttpResponse(_("Bad plan parameters."), status=400)
    try:
        choices = plan_choices(
            user=request.user, **(form.query() if form.is_bound else {})
        )
    except ValidationFailed as exc:
        return HttpResponse(exc.message, status=400)
    payload = plan_get(user=request.user, choices=choices)
    body = plan_calendar(
        payload=payload, user_id=request.user.pk, host=request.get_host()
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ottsite-plan.ics"'
    return response


@login_required
@require_GET
def clickout(request: HttpRequest, movie_id: int, platform: str) -> HttpResponse:
    """Record the click on a plan title's service, then send the user there."""
    try:
        url = plan_clickout_record(
            user=request.user, movie_id=movie_id, platform_slug=platform
        )
    except (NotFound, ValidationFailed) as exc:
        raise Http404(exc.message) from exc
    return HttpResponseRedirect(url)
