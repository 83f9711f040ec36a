"""The moderators' pending count (admin menu, admin index, staff bar) and their dashboard."""

from datetime import datetime, time, timedelta

from django import template
from django.utils import timezone
from django.utils.translation import ngettext

from comments import dashboard
from comments.models import Comment

register = template.Library()


@register.simple_tag(takes_context=True)
def pending_comments(context) -> int | None:
    """Return how many comments wait for a moderator (one query per request); None for others."""
    request = context.get("request")
    if request is None or not request.user.has_perm("comments.can_moderate"):
        return None
    # The admin draws its menu twice on some pages (sidebar and index): count once.
    if not hasattr(request, "_pending_comments"):
        request._pending_comments = Comment.objects.pending().count()
    return request._pending_comments


@register.inclusion_tag("admin/comments/comment/pending_badge.html", takes_context=True)
def pending_badge(context):
    """Render the pending count as a badge (hidden at 0, so that the desk's script can show it)."""
    return {"waiting": pending_comments(context)}


@register.inclusion_tag("admin/comments/dashboard.html", takes_context=True)
def moderation_dashboard(context):
    """Render the moderators' dashboard (``comments.dashboard``); nothing for others."""
    request = context.get("request")
    if request is None or not request.user.has_perm("comments.can_moderate"):
        return {"glance": None}
    today = timezone.localdate()
    first_day = today - timedelta(days=dashboard.DAYS - 1)
    start = timezone.make_aware(datetime.combine(first_day, time.min))
    return {"glance": dashboard.at_a_glance(today=today, start=start)}


@register.filter
def duration_words(value: timedelta) -> str:
    """Return a wait as a person says it: "3 hours 5 minutes", "2 days 4 hours", "40 seconds"."""
    seconds = int(value.total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [
        (days, ngettext("%(n)d day", "%(n)d days", days)),
        (hours, ngettext("%(n)d hour", "%(n)d hours", hours)),
        (minutes, ngettext("%(n)d minute", "%(n)d minutes", minutes)),
    ]
    words = [unit % {"n": n} for n, unit in parts if n][:2]
    return " ".join(words) or ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}
