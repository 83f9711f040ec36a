"""What linkbacks we sent for each post (any model registered with ``sends_linkbacks``), and the
webmentions we received with their status pages.

Received pingbacks, trackbacks and webmentions themselves are comments (``comments.Comment`` of
kind pingback/trackback/webmention); these models only keep the bookkeeping around them.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

URL_MAX_LENGTH = 2000


class OutgoingLinkbackQuerySet(models.QuerySet):
    def due(self, now=None):
        """Return the linkbacks whose next try has come: queued, or waiting for a retry."""
        now = now or timezone.now()
        return self.filter(
            models.Q(status=OutgoingLinkback.Status.QUEUED)
            | models.Q(status=OutgoingLinkback.Status.RETRYING, next_retry_at__lte=now)
        )

    def stalled(self, *, older_than: timedelta, now=None):
        """Return the linkbacks a worker claimed but never finished (it died mid-send)."""
        now = now or timezone.now()
        return self.filter(status=OutgoingLinkback.Status.SENDING, updated_at__lt=now - older_than)

    def for_object(self, obj):
        """Return the linkbacks of the links in ``obj``'s body."""
        content_type = ContentType.objects.get_for_model(obj)
        return self.filter(content_type=content_type, object_id=obj.pk)

    def network(self):
        """Return the linkbacks sent to other sites (not self-pings)."""
        return self.exclude(protocol=OutgoingLinkback.Protocol.SELF)


class OutgoingLinkback(models.Model):
    """One link of one of our posts, and what happened when we told its site about the post."""

    class Protocol(models.TextChoices):
        WEBMENTION = "webmention", _("Webmention")
        PINGBACK = "pingback", _("Pingback")
        SELF = "self", _("Self-ping")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        NO_ENDPOINT = "no_endpoint", _("No endpoint")
        RETRYING = "retrying", _("Will retry")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")

    # The post (or other object registered with ``sends_linkbacks``) whose body has the link.
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("object type")
    )
    object_id = models.PositiveBigIntegerField(_("object id"))
    source = GenericForeignKey("content_type", "object_id")
    target_url = models.URLField(_("link"), max_length=URL_MAX_LENGTH)
    protocol = models.CharField(_("protocol"), max_length=10, choices=Protocol.choices, blank=True)
    endpoint = models.URLField(_("endpoint"), max_length=URL_MAX_LENGTH, blank=True)
    status = models.CharField(
        _("status"), max_length=11, choices=Status.choices, default=Status.QUEUED
    )
    answer = models.TextField(_("answer"), blank=True, help_text=_("What the other site answered."))
    error = models.TextField(_("error"), blank=True, help_text=_("Why the last try failed."))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_retry_at = models.DateTimeField(_("next retry"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # The post body this link was last handled for: a changed body re-sends webmentions.
    body_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = OutgoingLinkbackQuerySet.as_manager()

    class Meta:
        ordering = ["content_type", "object_id", "pk"]
        verbose_name = _("outgoing linkback")
        verbose_name_plural = _("outgoing linkbacks")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "target_url"], name="outgoing_linkback_once"
            )
        ]
        indexes = [models.Index(fields=["status", "next_retry_at"], name="outgoing_due_idx")]

    def __str__(self):
        return f"{self.target_url} ({self.get_status_display()})"


class ReceivedWebmention(models.Model):
    """A webmention request and what its verification found; its page tells the sender."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued for verification")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        REMOVED = "removed", _("Removed")

    token = models.CharField(max_length=32, unique=True, editable=False)
    source = models.URLField(_("source"), max_length=URL_MAX_LENGTH)
    target = models.URLField(_("target"), max_length=URL_MAX_LENGTH)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    comment = models.ForeignKey(
        "comments.Comment",
        verbose_name=_("comment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The stored mention, once verified."),
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(_("received"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("received webmention")
        verbose_name_plural = _("received webmentions")

    def __str__(self):
        return f"{self.source} → {self.target} ({self.get_status_display()})"

    def save(self, *args, **kwargs):
        if not self.token:
            self.token = secrets.token_urlsafe(18)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("linkbacks:webmention_status", kwargs={"token": self.token})
