"""{% if rec_set|plan_is_shown %}: whether the advice links to the plan page."""

from __future__ import annotations

from django import template

from planner.experiment import plan_is_shown as _plan_is_shown

register = template.Library()


@register.filter
def plan_is_shown(rec_set: object) -> bool:
    return _plan_is_shown(rec_set=rec_set)
