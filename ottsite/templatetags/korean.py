"""{{ text|josa }}: pick Korean particles once the words are filled in."""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from ottsite.lib.korean import particles_resolve

register = template.Library()


@register.filter(is_safe=True)
def josa(text: object) -> SafeString:
    """particles_resolve on already escaped text (particles are plain Hangul)."""
    return mark_safe(particles_resolve(str(conditional_escape(text))))
