"""Comments stored through ``services.comment_create``, placed in their threads as on the site."""

import itertools

from comments.models import MAX_THREAD_DEPTH, Comment
from comments.services import comment_create

_numbers = itertools.count(1)


def make_comment(target, *, parent=None, **kwargs):
    """Return a saved comment on ``target`` (approved unless told), replying to ``parent``."""
    number = next(_numbers)
    kwargs.setdefault("status", Comment.Status.APPROVED)
    kwargs.setdefault("author_name", f"Author {number}")
    kwargs.setdefault("author_email", f"author{number}@example.org")
    kwargs.setdefault("body", f"Comment number {number}.")
    return comment_create(target, parent=parent, max_depth=MAX_THREAD_DEPTH, **kwargs)


def make_threads(target, *, threads, replies_per_level, depth):
    """Store ``threads`` threads, each a chain of replies ``depth`` deep, with siblings."""
    level = [
        make_comment(target, author_name=f"Root {n}", body=f"Thread {n}") for n in range(threads)
    ]
    created = list(level)
    for _ in range(2, depth + 1):
        children = [
            make_comment(
                target, parent=parent, author_name=f"Reply {parent.pk}.{n}", body="A reply"
            )
            for parent in level
            for n in range(replies_per_level)
        ]
        created.extend(children)
        level = children[::replies_per_level]
    return created
