"""Comments and linkbacks on what the content app registers, their audit trail and the settings.

A comment points at its object through ``content_type`` + ``object_id``. Threads are stored, not
computed: ``thread`` is the id of the thread's first comment and ``path`` the fixed-width ids of
its ancestors and itself (``"0000000012/0000000045"``), so ``order_by("thread", "path")`` gives
the display order in one query and a reply never renumbers its thread.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, Count, OuterRef, Q, Subquery, When
from django.db.models.functions import Coalesce
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.template.loader_tags import IncludeNode
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy

from bioxclusters import pagecache
from bioxclusters.common import is_web_url
from comments import registry
from comments.reasons import texts as reason_texts
from comments.rendering import render_body
from comments.threading import path_ids

# The limits of WordPress's comment form, which the old site's data fit in.
MAX_NAME_LENGTH = 245
MAX_EMAIL_LENGTH = 100
MAX_URL_LENGTH = 200
MAX_BODY_LENGTH = 65_525
MAX_USER_AGENT_LENGTH = 255

MAX_THREAD_DEPTH = 10

# One comment's markup, rendered into ``Comment.card_html`` (comments/cards.py).
CARD_TEMPLATE = "comments/comment.html"


def _sources(name: str, seen: set[str]) -> Iterable[str]:
    if name in seen:
        return
    seen.add(name)
    template = get_template(name).template
    yield template.source
    for node in template.nodelist.get_nodes_by_type(IncludeNode):
        included = node.template.resolve(Context())
        if isinstance(included, str):
            yield from _sources(included, seen)


@functools.cache
def _catalogues() -> bytes:
    """Return the site's languages and compiled catalogues, as this process has them."""
    found = [repr(settings.LANGUAGES).encode()]
    for folder in settings.LOCALE_PATHS:
        found += [path.read_bytes() for path in sorted(Path(folder).glob("*/LC_MESSAGES/*.mo"))]
    return b"".join(found)


def card_template_version() -> str:
    """Return the version of the card template today: a hash of its source and its includes,
    and of the catalogues that translate it (a new translation renders the cards again)."""
    digest = hashlib.blake2s(digest_size=8)
    for source in _sources(CARD_TEMPLATE, set()):
        digest.update(source.encode())
    digest.update(_catalogues())
    return digest.hexdigest()


class CommentQuerySet(models.QuerySet):
    def for_object(self, obj):
        """Return the comments on ``obj``."""
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)

    def beside(self, comment):
        """Return the comments on the same object as ``comment`` (without loading the object)."""
        return self.filter(content_type_id=comment.content_type_id, object_id=comment.object_id)

    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self):
        return self.filter(status=Comment.Status.PENDING)

    def not_in_trash(self):
        return self.exclude(status=Comment.Status.TRASH)

    def comments_only(self):
        return self.filter(kind=Comment.Kind.COMMENT)

    def linkbacks_from(self, source_url: str, *, kind: str):
        """Return the linkbacks of ``kind`` whose source page is ``source_url``."""
        return self.filter(kind=kind, source_url=source_url)

    def visible_to_author(self, pending_ids):
        """Return the approved comments plus the pending ones whose author holds their ids."""
        return self.filter(
            Q(status=Comment.Status.APPROVED)
            | Q(status=Comment.Status.PENDING, pk__in=list(pending_ids))
        )

    def in_thread_order(self):
        return self.order_by("thread", "path")

    def totals(self) -> dict:
        """Return ``approved`` (what "N thoughts" counts) and ``threads`` (what pages count)."""
        return self.aggregate(
            approved=Count("pk", filter=Q(status=Comment.Status.APPROVED)),
            threads=Count("thread", distinct=True),
        )

    def status_counts(self) -> dict[str, int]:
        """Return how many comments have each status (every status present, 0 if none)."""
        counts = dict(self.order_by().values_list("status").annotate(Count("pk")))
        return {status: counts.get(status, 0) for status in Comment.Status.values}

    def with_approved_from_author(self):
        """Annotate ``approved_from_author``: the author's other approved comments, by e-mail."""
        others = (
            Comment.objects.approved()
            .filter(author_email=OuterRef("author_email"))
            .exclude(pk=OuterRef("pk"))
            .order_by()
            .values("author_email")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return self.annotate(
            approved_from_author=Case(
                When(author_email="", then=0),
                default=Coalesce(Subquery(others), 0),
            )
        )

    def with_report_count(self):
        """Annotate ``report_count``: how many visitors reported the comment."""
        reports = (
            CommentReport.objects.filter(comment=OuterRef("pk"))
            .order_by()
            .values("comment")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return self.annotate(report_count=Coalesce(Subquery(reports), 0))

    def on_live_objects(self):
        """Return the comments whose object the public can see now."""
        condition = Q(pk__in=[])
        for entry in registry.entries():
            live = entry.live()
            condition |= Q(
                content_type=ContentType.objects.get_for_model(live.model),
                object_id__in=live.values("pk"),
            )
        return self.filter(condition)


class Comment(models.Model):
    """A visitor's comment, a moderator's reply, or a linkback from another site."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        SPAM = "spam", _("Spam")
        TRASH = "trash", _("Trash")

        @property
        def is_removed(self) -> bool:
            """Return True for the statuses that remember what to restore."""
            return self in {Comment.Status.SPAM, Comment.Status.TRASH}

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Comment")
        PINGBACK = "pingback", _("Pingback")
        TRACKBACK = "trackback", _("Trackback")
        WEBMENTION = "webmention", _("Webmention")

        @property
        def is_linkback(self) -> bool:
            return self != Comment.Kind.COMMENT

    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("object type"),
    )
    object_id = models.PositiveBigIntegerField(_("object id"))
    content_object = GenericForeignKey("content_type", "object_id")

    # A parent deleted for good leaves its replies in place: ``path`` still places them.
    parent = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replies"
    )
    thread = models.PositiveBigIntegerField(
        null=True, editable=False, help_text=_("Id of the thread's first comment.")
    )
    path = models.CharField(max_length=255, blank=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=1, editable=False)

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.COMMENT)
    # For linkbacks: the source page's title, its URL and an excerpt of it.
    author_name = models.CharField(_("name"), max_length=MAX_NAME_LENGTH, blank=True)
    author_email = models.EmailField(
        _("e-mail"), max_length=MAX_EMAIL_LENGTH, blank=True, help_text=_("Never shown publicly.")
    )
    author_url = models.URLField(_("website"), max_length=MAX_URL_LENGTH, blank=True)
    # Linkbacks only: the page that links here (longer than a commenter's website may be) and
    # what its microformats said (response type, author photo and URL), as plain text and URLs.
    source_url = models.URLField(_("source URL"), max_length=2000, blank=True)
    linkback_data = models.JSONField(default=dict, blank=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
        help_text=_("The signed-in author, if any."),
    )
    auth_provider = models.CharField(
        _("signed in with"),
        max_length=40,
        blank=True,
        help_text=_("The account the author signed in with (“local”, “google”…), if any."),
    )
    body = models.TextField(_("comment"), max_length=MAX_BODY_LENGTH)
    body_html = models.TextField(editable=False, blank=True)
    # The comment's whole markup (author, date, body), rendered from comments/comment.html when
    # saved, so that a page of thousands of comments only joins strings.
    card_html = models.TextField(editable=False, blank=True)
    # The version of the card template that made ``card_html`` (comments/cards.py).
    card_template = models.CharField(max_length=16, editable=False, blank=True)
    # ``card_html`` is in the site's language (English); the cards in the other languages are
    # rendered when the discussion is first listed in them, and kept here with the card they
    # translate (comments/cards.py: ``in_language``).
    card_translations = models.JSONField(default=dict, editable=False, blank=True)
    # The language of the page the comment was written from: its author's mail goes in it.
    language = models.CharField(max_length=7, default=settings.LANGUAGE_CODE, editable=False)

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    status_before_removal = models.CharField(
        max_length=10,
        choices=Status.choices,
        blank=True,
        editable=False,
        help_text=_("What “restore” and “not spam” return the comment to."),
    )
    # Each reason as data, ``{"code": "links", "count": 3}``: see comments/reasons.py.
    held_reasons = models.JSONField(
        _("reasons"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("Why the comment was held for moderation or marked as spam."),
    )

    ip_address = models.GenericIPAddressField(
        _("IP address"), null=True, blank=True, unpack_ipv4=True
    )
    user_agent = models.CharField(max_length=MAX_USER_AGENT_LENGTH, blank=True)
    created_at = models.DateTimeField(_("date"), default=timezone.now)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        get_latest_by = "created_at"
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        permissions = [("can_moderate", "Can moderate comments")]
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "status", "thread", "path"],
                name="comment_public_idx",
            ),
            models.Index(fields=["status", "-created_at"], name="comment_queue_idx"),
            models.Index(
                fields=["content_type", "object_id", "kind", "source_url"],
                name="comment_linkback_idx",
            ),
            models.Index(fields=["author_email", "status"], name="comment_author_idx"),
            # The queue's "All" page, newest first, and its sign-in filter (distinct values).
            models.Index(fields=["-created_at", "-id"], name="comment_newest_idx"),
            models.Index(fields=["auth_provider"], name="comment_provider_idx"),
        ]

    def __str__(self):
        return _("%(kind)s #%(pk)s by %(author)s") % {
            "kind": self.get_kind_display(),
            "pk": self.pk,
            "author": self.author_name or _("Anonymous"),
        }

    def save(self, *args, **kwargs):
        # Rendered once here, never per view: the page shows ``card_html`` as it is. A new
        # comment's card shows its id, known only after the INSERT: ``services`` renders it then.
        self.body_html = render_body(self.body)
        rendered = {"body_html"}
        if self.pk is not None:
            self.card_html, self.card_template = self.render_card(), card_template_version()
            rendered |= {"card_html", "card_template"}
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *rendered}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("comments:permalink", kwargs={"pk": self.pk})

    def render_card(self, language: str = settings.LANGUAGE_CODE) -> str:
        """Return the comment's markup as every visitor sees it in ``language`` (``card_html``
        in the site's language), whatever language the request that saves it is in."""
        with translation.override(language):
            return render_to_string(CARD_TEMPLATE, {"comment": self})

    @property
    def badge(self) -> str:
        """Return "Staff" for a moderator's comment, "Author" for the commented post's author."""
        if self.user_id is None or self.is_linkback:
            return ""
        if self.user.is_staff or self.user.has_perm("comments.can_moderate"):
            return _("Staff")
        target = self.content_object
        return _("Author") if getattr(target, "author_id", None) == self.user_id else ""

    @property
    def anchor(self) -> str:
        return f"comment-{self.pk}"

    @property
    def is_linkback(self) -> bool:
        return Comment.Kind(self.kind).is_linkback

    @property
    def is_approved(self) -> bool:
        return self.status == Comment.Status.APPROVED

    @property
    def is_pending(self) -> bool:
        return self.status == Comment.Status.PENDING

    @property
    def initials(self) -> str:
        """Return up to two initials of the author's name, for the avatar drawn on the site."""
        letters = [word[0] for word in self.author_name.split() if word[0].isalnum()]
        return "".join(letters[:2]).upper() or "?"

    @property
    def avatar_colour(self) -> int:
        """Return one of 12 avatar colours, the same for every comment of an author."""
        key = (self.author_email or self.author_name).casefold().encode()
        return int.from_bytes(hashlib.blake2s(key, digest_size=2).digest(), "big") % 12

    @property
    def ancestor_ids(self) -> list[int]:
        """Return the ids of the comments this one answers, thread root first."""
        return path_ids(self.path)[:-1]

    @property
    def public_url(self) -> str:
        """Return the author's website (a linkback's source) if safe to link to, else ""."""
        url = (self.source_url if self.is_linkback else self.author_url).strip()
        return url if is_web_url(url) else ""

    def held_reason_texts(self) -> list[str]:
        """Return why the comment was held or marked as spam, in the active language."""
        return reason_texts(self.held_reasons)

    def restore_status(self) -> str:
        """Return the status that "restore" or "not spam" gives back."""
        if self.status_before_removal and not Comment.Status(self.status_before_removal).is_removed:
            return self.status_before_removal
        return Comment.Status.PENDING


class CommentStatusChange(models.Model):
    """One change of a comment's status: who, when, from what, to what, and why."""

    comment = models.ForeignKey(
        Comment, verbose_name=_("comment"), on_delete=models.CASCADE, related_name="status_changes"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the site decided by itself."),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    old_status = models.CharField(
        pgettext_lazy("status change", "from"),
        max_length=10,
        choices=Comment.Status.choices,
        blank=True,
    )
    new_status = models.CharField(
        pgettext_lazy("status change", "to"), max_length=10, choices=Comment.Status.choices
    )
    # Why the site made the change by itself, as data (comments/reasons.py); ``note``: what a
    # caller wrote (and what older versions wrote that the migration 0010 did not recognise).
    reasons = models.JSONField(_("reasons"), default=list, blank=True, editable=False)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self):
        old = self.get_old_status_display() or pgettext("status of a new comment", "new")
        return f"{old} → {self.get_new_status_display()}"

    def note_text(self) -> str:
        """Return why the status changed, the site's reasons in the active language first."""
        return "; ".join([*reason_texts(self.reasons), *filter(None, [self.note])])


class CommentReport(models.Model):
    """A visitor's report of a published comment: one per comment and visitor."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    # A keyed hash of the visitor's IP address: counts visitors without keeping their address.
    visitor = models.CharField(max_length=64, editable=False)
    at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["comment", "visitor"], name="one_report_per_visitor")
        ]

    def __str__(self):
        return f"report of comment #{self.comment_id}"


class DiscussionSettings(models.Model):
    """The site's discussion rules, as on WordPress's Discussion screen; there is one row."""

    class DefaultPage(models.TextChoices):
        NEWEST = "newest", _("Newest")
        OLDEST = "oldest", _("Oldest")

    comments_open = models.BooleanField(
        _("allow comments"),
        default=True,
        help_text=_("Untick to close every discussion; each object also has its own switch."),
    )
    pings_open = models.BooleanField(
        _("allow pingbacks, trackbacks and webmentions"),
        default=True,
        help_text=_("Untick to refuse every linkback from other sites."),
    )
    close_after_days = models.PositiveIntegerField(
        _("close comments on posts older than"),
        null=True,
        blank=True,
        help_text=_("In days after publication; empty: never close."),
    )
    require_name_email = models.BooleanField(
        _("comment author must fill out name and e-mail"), default=True
    )
    require_sign_in = models.BooleanField(
        _("users must be signed in to comment"),
        default=False,
    )
    thread_depth = models.PositiveSmallIntegerField(
        _("threaded comments levels deep"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_THREAD_DEPTH)],
        help_text=_("1 turns threading off. Replies deeper than this join the deepest level."),
    )
    page_comments = models.BooleanField(_("break comments into pages"), default=False)
    comments_per_page = models.PositiveSmallIntegerField(
        _("top-level comments per page"), default=50, validators=[MinValueValidator(1)]
    )
    default_page = models.CharField(
        _("page displayed by default"),
        max_length=6,
        choices=DefaultPage.choices,
        default=DefaultPage.NEWEST,
    )
    manual_approval = models.BooleanField(
        _("comment must be manually approved"),
        default=False,
        help_text=_("Hold every comment for a moderator."),
    )
    auto_approve_known_authors = models.BooleanField(
        _("comment author must have a previously approved comment"),
        default=True,
        help_text=_("Hold a comment unless its author (by e-mail) already has an approved one."),
    )
    reports_to_hold = models.PositiveSmallIntegerField(
        _("reports that hold a comment"),
        default=3,
        help_text=_(
            "Hold a published comment for moderation once this many visitors report it "
            "(0: visitors cannot report comments)."
        ),
    )
    hold_links = models.PositiveSmallIntegerField(
        _("hold a comment with this many links or more"),
        default=2,
        help_text=_("0 turns the rule off."),
    )
    moderation_words = models.TextField(
        _("comment moderation words"),
        blank=True,
        help_text=_(
            "One word or IP address per line. A comment containing any of them in its name, "
            "e-mail, URL, body, IP address or browser user agent is held for moderation. "
            "Matches inside words too: “press” matches “WordPress”."
        ),
    )
    disallowed_words = models.TextField(
        _("disallowed comment words"),
        blank=True,
        help_text=_("One word or IP address per line, matched the same way; a match is spam."),
    )
    show_avatars = models.BooleanField(
        _("show avatars"),
        default=True,
        help_text=_("Initials drawn on the site; no remote avatar service is used."),
    )
    send_pings = models.BooleanField(
        _("attempt to notify any sites linked to from posts"),
        default=True,
        help_text=_("Send webmentions and pingbacks when a post is published or changed."),
    )

    class ErasureMode(models.TextChoices):
        ANONYMISE = "anonymise", _("Keep the comments, as “Anonymous”")
        REMOVE = "remove", _("Remove the comments")

    erasure_mode = models.CharField(
        _("when a commenter erases their data"),
        max_length=10,
        choices=ErasureMode.choices,
        default=ErasureMode.ANONYMISE,
        help_text=_("Anonymising keeps threads whole; removing deletes the comments' text too."),
    )
    ip_retention_days = models.PositiveIntegerField(
        _("forget IP addresses and user agents after"),
        default=60,
        validators=[MinValueValidator(1)],
        help_text=_("In days: older comments keep no IP address or browser user agent."),
    )

    class Meta:
        verbose_name = verbose_name_plural = _("discussion settings")

    def __str__(self):
        return str(_("Discussion settings"))

    def save(self, *args, **kwargs):
        self.pk = 1  # A single row: saving always updates it.
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> DiscussionSettings:
        """Return the settings row, or the defaults if nobody saved one yet (no write)."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)

    @classmethod
    def for_request(cls, request) -> DiscussionSettings:
        """Return the settings row, read once per request (kept on it); without one, ``load()``.

        The one accessor of views and template tags: whatever asks first reads it.
        """
        if request is None:
            return cls.load()
        if not hasattr(request, "_discussion_settings"):
            # Kept in the shared cache until the row is saved (it is watched by the page cache).
            request._discussion_settings = pagecache.remembered("discussion-settings", cls.load)
        return request._discussion_settings

    @staticmethod
    def _words(text: str) -> list[str]:
        return [word.strip() for word in text.splitlines() if word.strip()]

    @property
    def moderation_word_list(self) -> list[str]:
        return self._words(self.moderation_words)

    @property
    def disallowed_word_list(self) -> list[str]:
        return self._words(self.disallowed_words)
