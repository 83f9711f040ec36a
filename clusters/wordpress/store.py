"""The importer's writes, each through the service the site itself uses for it.

A thread imported is a thread like any other: comments are placed, rendered and their listing
made stale by the comments app's own service; pages and posts are saved (and sanitised) as the
admin saves them, but an import announces nothing: old posts send no linkbacks and no new-post
mail. Old addresses become redirects through the site's redirect table.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from clusters import redirects
from clusters.models import Redirect
from comments.models import MAX_THREAD_DEPTH, Comment
from comments.threading import path_ids, path_segment

REDIRECT_MAX_LENGTH = Redirect._meta.get_field("old_path").max_length


def entry_save(entry) -> None:
    """Save an imported page or post, without the linkbacks and mail a new post calls for."""
    entry.save()


def comment_create(target, *, parent: Comment | None = None, **fields) -> Comment:
    """Store an imported comment on ``target`` under ``parent``, with its status and date."""
    with transaction.atomic():
        depth, prefix, thread = 1, "", None
        if parent is not None:
            ids = path_ids(parent.path)[: MAX_THREAD_DEPTH - 1]
            depth, prefix, thread = len(ids) + 1, "/".join(map(path_segment, ids)) + "/", ids[0]
        comment = Comment(
            content_type=ContentType.objects.get_for_model(target),
            object_id=target.pk,
            parent=parent,
            depth=depth,
            **fields,
        )
        comment.save()
        comment.path = prefix + path_segment(comment.pk)
        comment.thread = thread or comment.pk
        Comment.objects.filter(pk=comment.pk).update(path=comment.path, thread=comment.thread)
    return comment


def comment_update(comment: Comment, **fields) -> None:
    """Bring an imported comment up to date with a newer export."""
    for name, value in fields.items():
        setattr(comment, name, value)
    comment.save()


def redirect_add(old_path: str, new_path: str) -> bool:
    """Make ``old_path`` answer with a 301 to ``new_path``; False if either is not an address."""
    if max(len(old_path), len(new_path)) > REDIRECT_MAX_LENGTH:
        return False
    try:
        redirects.redirect_add(old_path, new_path)
    except ValueError:
        return False
    return True
