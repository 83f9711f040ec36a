"""Cache invalidation, the one job signals do here: a changed comment makes its listing stale."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from comments.cards import forget_listing
from comments.models import Comment, CommentStatusChange


@receiver([post_save, post_delete], sender=Comment)
def comment_changed(sender, instance, **kwargs):
    forget_listing(instance.content_type_id, instance.object_id)


@receiver(post_save, sender=CommentStatusChange)
def comment_status_changed(sender, instance, **kwargs):
    # Every status change writes one of these rows (services._record), whatever updated the row.
    forget_listing(instance.comment.content_type_id, instance.comment.object_id)
