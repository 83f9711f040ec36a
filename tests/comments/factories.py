"""Comments built straight in the database, with the thread order the service would give them."""

import itertools

from django.contrib.contenttypes.models import ContentType

from comments.models import Comment
from comments.threading import path_segment

_numbers = itertools.count(1)


def make_comment(target, *, parent=None, **kwargs):
    """Return a saved comment on ``target`` (approved unless told), replying to ``parent``."""
    number = next(_numbers)
    kwargs.setdefault("status", Comment.Status.APPROVED)
    kwargs.setdefault("author_name", f"Author {number}")
    kwargs.setdefault("author_email", f"author{number}@example.org")
    kwargs.setdefault("body", f"Comment number {number}.")
    comment = Comment.objects.create(
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        parent=parent,
        depth=parent.depth + 1 if parent else 1,
        **kwargs,
    )
    comment.path = (f"{parent.path}/" if parent else "") + path_segment(comment.pk)
    comment.thread = parent.thread if parent else comment.pk
    Comment.objects.filter(pk=comment.pk).update(path=comment.path, thread=comment.thread)
    return comment


def make_threads(target, *, threads, replies_per_level, depth):
    """Bulk-create ``threads`` threads, each a chain of replies ``depth`` deep, with siblings."""
    content_type = ContentType.objects.get_for_model(target)
    level = Comment.objects.bulk_create(
        Comment(
            content_type=content_type,
            object_id=target.pk,
            author_name=f"Root {n}",
            body=f"Thread {n}",
            body_html=f"<p>Thread {n}</p>",
            status=Comment.Status.APPROVED,
        )
        for n in range(threads)
    )
    for comment in level:
        comment.thread, comment.path = comment.pk, path_segment(comment.pk)
    Comment.objects.bulk_update(level, ["thread", "path"])
    created = list(level)
    for current_depth in range(2, depth + 1):
        children = Comment.objects.bulk_create(
            Comment(
                content_type=content_type,
                object_id=target.pk,
                parent=parent,
                thread=parent.thread,
                depth=current_depth,
                author_name=f"Reply {parent.pk}.{n}",
                body="A reply",
                body_html="<p>A reply</p>",
                status=Comment.Status.APPROVED,
            )
            for parent in level
            for n in range(replies_per_level)
        )
        by_pk = {comment.pk: comment for comment in level}
        for child in children:
            child.path = f"{by_pk[child.parent_id].path}/{path_segment(child.pk)}"
        Comment.objects.bulk_update(children, ["path"])
        created.extend(children)
        level = children[::replies_per_level]
    for comment in created:
        comment.card_html = comment.render_card()
    Comment.objects.bulk_update(created, ["card_html"])
    return created
