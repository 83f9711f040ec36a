"""The importer's writes, each through the service the site itself uses for it.

A thread imported is a thread like any other: comments are placed, rendered and their listing
made stale by the comments app's own service; pages and posts are saved (and sanitised) as the
admin saves them, but an import announces nothing: old posts send no linkbacks and no new-post
mail. Old addresses become redirects through the site's redirect table.
"""

from __future__ import annotations

from clusters import redirects, services
from clusters.models import Redirect
from comments import services as comments_services
from comments.models import MAX_THREAD_DEPTH, Comment

REDIRECT_MAX_LENGTH = Redirect._meta.get_field("old_path").max_length


def entry_save(entry) -> None:
    """Save an imported page or post through the publish service, announcing nothing.

    Its posts went live on the old site long ago: their links are recorded as told and they as
    announced, so no linkback and no new-post mail goes out, now or from the catch-up commands.
    """
    services.entry_save(entry, announce=False)


def comment_create(target, *, parent: Comment | None = None, **fields) -> Comment:
    """Store an imported comment on ``target`` under ``parent``, with its status and date.

    Threads keep their parents up to the deepest level the site allows, whatever the
    discussion setting shows today: the setting decides how deep a page nests them.
    """
    return comments_services.comment_create(
        target, parent=parent, max_depth=MAX_THREAD_DEPTH, **fields
    )


def comment_update(comment: Comment, **fields) -> None:
    """Bring an imported comment up to date with a newer export, as a moderator's edit is saved.

    Its status too, as the old site last had it, without the mail a moderator's approval sends:
    that happened on the old site.
    """
    for name, value in fields.items():
        setattr(comment, name, value)
    comments_services.comment_edit(comment=comment, by=None)


def redirect_add(old_path: str, new_path: str) -> bool:
    """Make ``old_path`` answer with a 301 to ``new_path``; False if either is not an address."""
    if max(len(old_path), len(new_path)) > REDIRECT_MAX_LENGTH:
        return False
    try:
        redirects.redirect_add(old_path, new_path)
    except ValueError:
        return False
    return True
