"""The plan experiment: does showing the plan change conversion and satisfaction?

Arms are variants of the running experiment (recommender.experiments) whose
configuration says `"show_plan": false` (hidden) or leaves it out / true (shown).
A set carries the arm it was built under, so the advice panel of that set links
to the plan or not, and its events (click-outs, satisfaction) carry the arm.
"""

from __future__ import annotations

from typing import Any


def plan_is_shown(*, rec_set: Any) -> bool:
    """Whether this set's advice links to the plan (shown unless its arm hides it)."""
    variant = getattr(rec_set, "variant", None)
    if variant is None:
        return True
    return (variant.config or {}).get("show_plan", True) is not False
