"""Small filters for the account pages."""

from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def in_minutes(value) -> str:
    """A lockout length in words: "15 minutes", "1 minute", "2 hours"."""
    if not isinstance(value, timedelta):
        return ""
    minutes = max(1, round(value.total_seconds() / 60))
    if minutes % 60 == 0 and minutes >= 60:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
