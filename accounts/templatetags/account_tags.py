"""Template helpers of the account pages (the unread alert count in the header)."""

from __future__ import annotations

from django import template

from accounts.alerts import notifications_unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    request = context.get("request")
    user = getattr(request, "user", None)
    return notifications_unread_count(user=user) if user is not None else 0
