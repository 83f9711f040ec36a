"""The moderators' pending count, for the admin menu, the admin index and the site's staff bar."""

from django import template

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
