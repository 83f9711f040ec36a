"""Subscriptions, mail preferences, the outbox, and what makes each mail go once."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from comments.models import MAX_EMAIL_LENGTH, Comment, DiscussionSettings


def normalise_email(email: str) -> str:
    """Return ``email`` as comments and subscriptions store it: stripped and lower-case."""
    return email.strip().lower()


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def for_email(self, email: str):
        return self.filter(email=normalise_email(email))

    def with_targets(self):
        """Fetch along what ``Subscription.describe`` reads: the comment and the post or page."""
        return self.select_related("comment").prefetch_related(
            "content_object", "comment__content_object"
        )

    def following(self, comment: Comment):
        """Return the subscriptions a new, approved ``comment`` is a follow-up for."""
        return self.filter(
            Q(kind=Subscription.Kind.REPLIES, comment_id__in=comment.ancestor_ids)
            | Q(
                kind=Subscription.Kind.DISCUSSION,
                content_type_id=comment.content_type_id,
                object_id=comment.object_id,
            )
        )


class Subscription(models.Model):
    """An e-mail address that asked for mail, confirmed once its owner clicked the link."""

    class Kind(models.TextChoices):
        REPLIES = "replies", _("Replies to my comment")
        DISCUSSION = "discussion", _("The whole thread: every new comment here")
        POSTS = "posts", _("New posts")

    email = models.EmailField(_("e-mail"), max_length=MAX_EMAIL_LENGTH)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # Replies: the subscriber's own comment, whose replies they get.
    comment = models.ForeignKey(
        Comment,
        verbose_name=_("comment"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    # The whole thread: the object the discussion is on.
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    content_object = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    confirmed_at = models.DateTimeField(
        _("confirmed at"),
        null=True,
        blank=True,
        help_text=_("Empty until the subscriber clicks the confirmation link."),
    )
    # The language of the page subscribed from: the subscriber's mail is written in it.
    language = models.CharField(max_length=7, default=settings.LANGUAGE_CODE, editable=False)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["email", "kind", "pk"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["email", "comment"],
                condition=Q(kind="replies"),
                name="subscription_replies_once",
            ),
            models.UniqueConstraint(
                fields=["email", "content_type", "object_id"],
                condition=Q(kind="discussion"),
                name="subscription_discussion_once",
            ),
            models.UniqueConstraint(
                fields=["email"], condition=Q(kind="posts"), name="subscription_posts_once"
            ),
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="subscription_object_idx")
        ]

    def __str__(self):
        return f"{self.email}: {self.describe()}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def target(self) -> models.Model | None:
        """Return the post, page or cluster the subscription is about, if any."""
        if self.kind == Subscription.Kind.REPLIES:
            return self.comment.content_object if self.comment else None
        return self.content_object

    def describe(self) -> str:
        """Return what the subscriber gets, as a sentence fragment for mails and pages."""
        target = self.target
        if target is None:
            title = _("a page that is gone")
        else:
            title = _("“%(title)s”") % {"title": target.title}
        if self.kind == Subscription.Kind.REPLIES:
            return _("replies to your comment on %(title)s") % {"title": title}
        if self.kind == Subscription.Kind.DISCUSSION:
            return _("every new comment on %(title)s") % {"title": title}
        return _("new posts on %(site)s") % {"site": settings.SITE_NAME}


class MailPreference(models.Model):
    """What discussion mail one staff member wants; a user without a row gets the defaults."""

    class Moderation(models.TextChoices):
        EACH = "each", _("One e-mail for each comment held for moderation")
        DIGEST = "digest", _("One daily digest of the comments waiting")
        NONE = "none", _("No moderation e-mail")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="mail_preference",
    )
    moderation = models.CharField(
        _("moderation e-mail"), max_length=6, choices=Moderation.choices, default=Moderation.EACH
    )
    comments_on_my_posts = models.BooleanField(
        _("e-mail me when a comment on one of my posts is approved"), default=True
    )
    last_digest_at = models.DateTimeField(
        _("last digest at"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("mail preference")
        verbose_name_plural = _("mail preferences")

    def __str__(self):
        return _("Mail preferences of %(user)s") % {"user": self.user}

    @classmethod
    def for_user(cls, user) -> MailPreference:
        """Return ``user``'s preferences, or the defaults (unsaved) if they never chose."""
        return cls.objects.filter(user=user).first() or cls(user=user)


class OutgoingMail(models.Model):
    """One mail to one address, rendered when queued and sent (and retried) by a task.

    Once sent, its body and headers are cleared: they hold one-click links, and the outbox is a
    delivery log, not an archive of what people wrote.
    """

    class Kind(models.TextChoices):
        MODERATION = "moderation", _("Comment held for moderation")
        DIGEST = "digest", _("Moderation digest")
        AUTHOR = "author", _("Comment on an author's post")
        FOLLOWUP = "followup", _("Follow-up comment")
        NEW_POST = "new_post", _("New post")
        CONFIRM = "confirm", _("Subscription confirmation")
        PRIVACY = "privacy", _("Personal data link")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    to = models.EmailField(_("to"), max_length=254)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("body text"), blank=True)
    body_html = models.TextField(_("body html"), blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=6, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outgoing mail")
        indexes = [models.Index(fields=["to"], name="outgoing_mail_to_idx")]

    def __str__(self):
        return f"{self.subject} → {self.to}"


class UsedToken(models.Model):
    """The nonce of a one-time link that was used: the same link never acts twice."""

    nonce = models.CharField(max_length=32, unique=True)
    purpose = models.CharField(max_length=20)
    used_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.purpose} link used {self.used_at:%Y-%m-%d %H:%M}"


class ApprovedCommentNotice(models.Model):
    """The mail about an approved comment went: approving it again later sends nothing."""

    comment = models.OneToOneField(
        Comment, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Mail about comment #{self.comment_id} sent"


class PostAnnouncement(models.Model):
    """The new-post mail for a post (of a model registered as ``announced``) went out."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    post = GenericForeignKey("content_type", "object_id")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="post_announcement_once"
            )
        ]

    def __str__(self):
        return f"New-post mail for post #{self.object_id} sent"


class PersonalDataSettings(DiscussionSettings):
    """The privacy part of the discussion settings, edited on a screen of its own."""

    class Meta:
        proxy = True
        verbose_name = verbose_name_plural = _("personal data settings")

    def __str__(self):
        return str(_("Personal data settings"))
