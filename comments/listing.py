"""Assemble the threaded list of a discussion from the comments' prepared HTML.

Each comment's own markup (``Comment.card_html``, or its card in the language shown:
``comments/cards.py``) was rendered from ``comments/comment.html`` when it was saved. What
depends on the viewer and the moment — the nesting, "awaiting moderation", the reply link, the
reply form — is added here in one plain loop, in the language shown: a template loop costs some
0.2 ms per comment, this about 2 µs, and a page may have thousands of comments.
"""

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from comments.threading import Item


def render_list(
    items: list[Item],
    *,
    reply_depth: int,
    page_query: str = "",
    reply_to_id: int | None = None,
    form_html: str = "",
    reports_open: bool = False,
) -> SafeString:
    """Return the ``<ol>`` of ``items`` (flattened in display order), or "" if there are none.

    ``reply_depth`` is the depth up to which comments get a "Reply" link (0: none, e.g. closed);
    ``page_query`` is kept in reply links ("cpage=2&amp;"); the form goes under ``reply_to_id``;
    ``reports_open``: published comments have a "Report" button (a form of its own).
    """
    if not items:
        return mark_safe("")
    # Translated once, not per comment: a catalogue look-up costs more than the rest of a row.
    reply, awaiting = _("Reply"), _("Your comment is awaiting moderation.")
    report, report_url = _("Report"), reverse("comments:report", args=[0])[: -len("0/report/")]
    # The report is posted to one address for every language: it says which to answer in.
    language = f'<input type="hidden" name="language" value="{escape(get_language())}">'
    ping_awaiting, anonymous = _("Awaiting moderation."), _("Anonymous")
    reply_to_label, report_label = _("Reply to %(name)s"), _("Report the comment by %(name)s")
    parts = ['<ol class="comment-list list-unstyled">']
    append = parts.append
    for item in items:
        comment = item.comment
        pk = comment.pk
        parent_class = " parent" if item.has_children else ""
        append(
            f'<li id="comment-{pk}" class="comment-item kind-{comment.kind} '
            f'depth-{item.depth}{parent_class}">'
        )
        append(comment.card)
        is_approved = comment.is_approved
        if comment.kind != "comment":
            if not is_approved:
                append(f'<em class="comment-awaiting-moderation">{ping_awaiting}</em>')
        else:
            if not is_approved:
                append(f'<p class="comment-awaiting-moderation">{awaiting}</p>')
            else:
                raw_name = comment.author_name or anonymous
                name = escape(raw_name)
                append('<div class="reply">')
                if item.depth < reply_depth:
                    label = escape(reply_to_label % {"name": raw_name})
                    append(
                        f'<a class="comment-reply-link" rel="nofollow" '
                        f'href="?{page_query}replyto={pk}#respond" data-comment-id="{pk}" '
                        f'data-author="{name}" aria-label="{label}">{reply}</a>'
                    )
                if reports_open:
                    label = escape(report_label % {"name": raw_name})
                    append(
                        f'<form class="comment-report" method="post" '
                        f'action="{report_url}{pk}/report/">{language}<button type="submit" '
                        f'class="comment-report-link" aria-label="{label}">{report}</button></form>'
                    )
                append("</div>")
            if pk == reply_to_id:
                append(form_html)
        if item.has_children:
            append('<ol class="children list-unstyled">')
        else:
            append("</li>")
            append("</ol></li>" * len(item.closes))
    append("</ol>")
    # Every part is escaped here or is markup prepared from a template when the comment was saved.
    return mark_safe("".join(parts))
