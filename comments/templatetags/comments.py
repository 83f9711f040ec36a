"""Template tags for discussions: ``{% comment_section obj %}``, ``{% comment_count obj %}``."""

import hashlib

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from bioxclusters import pagecache
from comments import antispam, registry, selectors
from comments.forms import CommentForm, target_label
from comments.listing import render_list
from comments.models import DiscussionSettings
from comments.moderation import comments_open

register = template.Library()


def section_templates(obj) -> list[str]:
    """Return the section templates for ``obj``, most specific first.

    ``comments/tags/<app>/<model>/<slug>/section.html`` changes the discussion of one object,
    ``comments/tags/<app>/<model>/section.html`` of every object of a model,
    ``comments/tags/section.html`` of everything.
    """
    model = obj._meta.label_lower.replace(".", "/")
    names = [f"comments/tags/{model}/section.html", "comments/tags/section.html"]
    if slug := getattr(obj, "slug", ""):
        names.insert(0, f"comments/tags/{model}/{slug}/section.html")
    return names


@register.simple_tag(takes_context=True)
def comment_section(context, obj):
    """Render the discussion under ``obj``: heading, threaded list, and the form or a note.

    Context of the template: ``discussion`` (``selectors.Discussion``), ``form_html`` (the form,
    rendered once and placed under the comment replied to or after the list) and ``feed_url``.
    """
    request = context.get("request")
    settings = DiscussionSettings.for_request(request)
    pending_ids = selectors.pending_ids_from(request)
    page = request.GET.get("cpage") if request else None
    reply_to = request.GET.get("replyto") if request else None
    cache_key = None
    if not pending_ids and not reply_to:
        is_open = comments_open(obj, settings, now=timezone.now())
        cache_key = selectors.listing_cache_key(obj, settings=settings, page=page, is_open=is_open)
        discussion = selectors.cached_discussion(cache_key, target=obj, settings=settings)
        if discussion is not None:
            return _render_section(request, obj, discussion, _form_html(request, obj, discussion))
    discussion = selectors.discussion_for(
        obj, settings=settings, pending_ids=pending_ids, page=page, reply_to=reply_to
    )
    form_html = _form_html(request, obj, discussion)
    discussion.list_html = render_list(
        discussion.items,
        reply_depth=settings.thread_depth if discussion.is_open else 0,
        page_query=f"cpage={discussion.page}&amp;" if discussion.paged else "",
        reply_to_id=discussion.reply_to.pk if discussion.reply_to else None,
        form_html=form_html,
        reports_open=bool(settings.reports_to_hold),
    )
    if cache_key:
        selectors.cache_discussion(cache_key, discussion)
    return _render_section(request, obj, discussion, form_html)


def _form_html(request, obj, discussion) -> str:
    """Return the comment form for ``obj``'s discussion, or "" if it is closed.

    An anonymous visitor's form, the same for all but its token, is kept (``remembered``, cut
    at its token) and given a fresh token: rendering it costs more than the rest of the section.
    """
    if not discussion.is_open:
        return ""
    user = getattr(request, "user", None)
    if (
        request is None
        or discussion.reply_to
        or (user is not None and user.is_authenticated)
        or not pagecache.only_page_numbers(request)
    ):
        return _render_form(request, obj, discussion)
    address = hashlib.md5(request.get_full_path().encode(), usedforsecurity=False).hexdigest()
    parts = pagecache.remembered(
        f"comment-form:{target_label(obj)}:{get_language()}:{address}",
        lambda: antispam.cut_at_form_tokens(_render_form(request, obj, discussion).encode()),
    )
    return mark_safe(antispam.joined(parts, antispam.fresh_form_tokens(parts)).decode())


def _render_form(request, obj, discussion) -> str:
    settings = discussion.settings
    form = CommentForm(
        user=getattr(request, "user", None),
        require_name_email=settings.require_name_email,
        initial={
            "target": antispam.make_form_token(target_label(obj)),
            "parent": discussion.reply_to.pk if discussion.reply_to else None,
        },
    )
    return render_to_string(
        "comments/includes/form.html",
        {
            "form": form,
            "target": obj,
            "reply_to": discussion.reply_to,
            "must_sign_in": settings.require_sign_in and not form.signed_in,
            "cancel_url": f"{obj.get_absolute_url()}#respond",
        },
        request=request,
    )


def _render_section(request, obj, discussion, form_html) -> str:
    feed_url = ""
    entry = registry.entry_for(obj)
    if entry is not None and entry.has_feed:
        feed_url = reverse("comments:post_feed", kwargs={"pk": obj.pk})
    return render_to_string(
        section_templates(obj),
        {
            "discussion": discussion,
            "list_html": mark_safe(discussion.list_html),  # Built by listing.render_list.
            "form_html": form_html,
            "feed_url": feed_url,
            "object": obj,
        },
        request=request,
    )


@register.simple_tag
def comment_count(obj) -> int:
    """Return the number of approved comments and linkbacks on ``obj``.

    One query per call; annotate a list with ``selectors.with_comment_counts`` to make it free.
    """
    return selectors.comment_count(obj)
