"""Template tags for discussions: ``{% comment_section obj %}``, ``{% comment_count obj %}``."""

from django import template
from django.template.loader import render_to_string
from django.urls import reverse

from comments import antispam, selectors
from comments.forms import CommentForm, target_label
from comments.models import DiscussionSettings

register = template.Library()


def section_templates(obj) -> list[str]:
    """Return the section templates for ``obj``, most specific first.

    ``comments/tags/clusters/page/who-we-are/section.html`` changes the discussion of one page,
    ``comments/tags/clusters/page/section.html`` of every page, ``comments/tags/section.html`` of
    everything.
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
    settings = DiscussionSettings.load()
    discussion = selectors.discussion_for(
        obj,
        settings=settings,
        pending_ids=selectors.pending_ids_from(request),
        page=request.GET.get("cpage") if request else None,
        reply_to=request.GET.get("replyto") if request else None,
    )
    user = getattr(request, "user", None)
    form_html = ""
    if discussion.is_open:
        form = CommentForm(
            user=user,
            require_name_email=settings.require_name_email,
            initial={
                "target": antispam.make_form_token(target_label(obj)),
                "parent": discussion.reply_to.pk if discussion.reply_to else None,
            },
        )
        form_html = render_to_string(
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
    feed_url = ""
    if obj._meta.label_lower == "clusters.post":
        feed_url = reverse("comments:post_feed", kwargs={"pk": obj.pk})
    return render_to_string(
        section_templates(obj),
        {"discussion": discussion, "form_html": form_html, "feed_url": feed_url, "object": obj},
        request=request,
    )


@register.simple_tag
def comment_count(obj) -> int:
    """Return the number of approved comments and linkbacks on ``obj``.

    One query per call; annotate a list with ``selectors.with_comment_counts`` to make it free.
    """
    return selectors.comment_count(obj)
