"""Tags of flash messages that the base template and the scripts treat specially."""

from __future__ import annotations

# Tag of flash messages about a set being built; the page drops them once the
# results are there (static/js/recommendations.js) so they never sit above them.
PROGRESS_TAG = "progress"
