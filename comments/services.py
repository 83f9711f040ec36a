"""Every change to comments: submitting, moderating, replying as staff, deleting.

The public form, the admin and the linkback endpoints all come through here; the importer, the
shell and the tests store comments as they are with ``comment_create``. A status change
happens in one place, ``_change_statuses``, which writes its ``CommentStatusChange`` row in the same
transaction and queues what must happen after commit (telling Akismet now; mail later). Every
function that changes a comment drops its object's cached listing (``cards.forget_listing_of``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from bioxclusters.common import display_name, host_of
from comments import akismet_api, antispam, registry
from comments.cards import card_template_version, forget_listing, forget_listing_of
from comments.linkbacks.targets import accepts_pings, permalink
from comments.models import (
    MAX_NAME_LENGTH,
    MAX_URL_LENGTH,
    MAX_USER_AGENT_LENGTH,
    Comment,
    CommentReport,
    CommentStatusChange,
    DiscussionSettings,
)
from comments.moderation import AkismetVerdict, Candidate, Facts, comments_open, decide
from comments.notifications import events as notifications
from comments.reasons import reason
from comments.rendering import normalise_newlines
from comments.threading import path_ids, path_segment

logger = logging.getLogger(__name__)

Status = Comment.Status


class CommentRejected(Exception):
    """A comment that is not stored, with the message its author reads and an HTTP status."""

    def __init__(self, message: str, *, code: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status


@dataclass(frozen=True)
class _Placement:
    parent_id: int | None
    path_prefix: str  # The parent's path followed by "/", or "" for a new thread.
    thread: int | None
    depth: int


def _place(parent: Comment | None, *, max_depth: int) -> _Placement:
    """Return where a reply to ``parent`` goes: under it, or at the deepest allowed level."""
    if parent is None or max_depth < 2:
        return _Placement(None, "", None, 1)
    ids = path_ids(parent.path)
    if parent.depth >= max_depth:
        # WordPress attaches a too-deep reply beside its parent, under the same ancestor; if
        # that ancestor was deleted for good, the reply stays under its parent instead.
        trimmed = ids[: max_depth - 1]
        if Comment.objects.filter(pk=trimmed[-1]).exists():
            ids = trimmed
    return _Placement(
        parent_id=ids[-1],
        path_prefix="/".join(path_segment(pk) for pk in ids) + "/",
        thread=ids[0],
        depth=len(ids) + 1,
    )


def _record(
    comment: Comment,
    *,
    old: str,
    new: str,
    by: AbstractBaseUser | None,
    note: str = "",
    reasons: Iterable[dict] = (),
):
    CommentStatusChange.objects.create(
        comment=comment,
        by=by,
        old_status=old,
        new_status=new,
        note=note[:500],
        reasons=list(reasons),
    )


def _insert(target: models.Model, placement: _Placement, **fields) -> Comment:
    """Write a new comment: one INSERT, then one UPDATE of what needs its id."""
    comment = Comment(
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        parent_id=placement.parent_id,
        depth=placement.depth,
        **fields,
    )
    comment.save()  # Renders the body; the card and the path show the id, known from here on.
    comment.path = placement.path_prefix + path_segment(comment.pk)
    comment.thread = placement.thread or comment.pk
    comment.card_html, comment.card_template = comment.render_card(), card_template_version()
    Comment.objects.filter(pk=comment.pk).update(
        path=comment.path,
        thread=comment.thread,
        card_html=comment.card_html,
        card_template=comment.card_template,
    )
    forget_listing_of(comment)
    return comment


def comment_create(
    target: models.Model,
    *,
    body: str,
    parent: Comment | None = None,
    status: str = Status.PENDING,
    kind: str = Comment.Kind.COMMENT,
    author_name: str = "",
    author_email: str = "",
    author_url: str = "",
    ip_address: str | None = None,
    user_agent: str = "",
    created_at: datetime | None = None,
    user: AbstractBaseUser | None = None,
    auth_provider: str = "",
    source_url: str = "",
    linkback_data: dict | None = None,
    held_reasons: Iterable[dict] = (),
    max_depth: int | None = None,
    by: AbstractBaseUser | None = None,
    note: str = "",
    reasons: Iterable[dict] = (),
) -> Comment:
    """Store a comment on ``target`` as given, placed in its thread; no moderation, no mail.

    For the importer, the shell, test factories and benchmarks; the site's own paths
    (``comment_submit``, ``linkback_receive``, ``comment_reply_as_staff``) decide the status
    first and then store the comment the same way.

    - ``target``: the commented object, of a model registered with ``comments.registry``.
    - ``body``: the plain text typed (newlines normalised here; rendered to ``body_html``).
    - ``parent``: the comment replied to, on the same ``target``; a reply deeper than
      ``max_depth`` (default: the discussion setting ``thread_depth``) joins the deepest level.
    - ``status``: ``Comment.Status`` (default pending); ``kind``: ``Comment.Kind`` (a linkback
      keeps its page in ``source_url`` and what its microformats said in ``linkback_data``).
    - ``author_name``, ``author_email`` (stored lower-case), ``author_url``, ``ip_address``,
      ``user_agent``, ``created_at`` (default now), ``user`` and ``auth_provider`` (how the
      user signed in): stored as given.
    - ``held_reasons``: why it waits for a moderator or is spam, shown in the queue: reasons
      as ``comments.reasons.reason`` makes them (``reason("text", text=…)`` for a sentence).
    - ``note``, ``reasons``: if given, an audit row (``CommentStatusChange``) by ``by`` with
      this note (as written) and these reasons (said in the reader's language).

    The row is written with one INSERT and one UPDATE; the cached listing of ``target`` is
    dropped. Raises ``ValueError`` if ``parent`` is on another object.
    """
    if parent is not None and (parent.content_type_id, parent.object_id) != (
        ContentType.objects.get_for_model(target).pk,
        target.pk,
    ):
        raise ValueError("The parent comment is on another object.")
    if max_depth is None:
        max_depth = DiscussionSettings.load().thread_depth
    with transaction.atomic():
        comment = _insert(
            target,
            _place(parent, max_depth=max_depth),
            body=normalise_newlines(body),
            status=status,
            kind=kind,
            author_name=author_name[:MAX_NAME_LENGTH],
            author_email=author_email.strip().lower(),
            author_url=author_url,
            ip_address=ip_address,
            user_agent=user_agent[:MAX_USER_AGENT_LENGTH],
            created_at=created_at or timezone.now(),
            user=user,
            auth_provider=auth_provider,
            source_url=source_url,
            linkback_data=linkback_data or {},
            held_reasons=list(held_reasons),
        )
        if note or reasons:
            _record(comment, old="", new=comment.status, by=by, note=note, reasons=reasons)
    return comment


def _create(
    *,
    target: models.Model,
    placement: _Placement,
    by: AbstractBaseUser | None,
    reasons: list[dict],
    **fields,
) -> Comment:
    """Store a comment the site decided on: with its audit row and the mail it calls for."""
    with transaction.atomic():
        comment = _insert(target, placement, **fields)
        _record(comment, old="", new=comment.status, by=by, reasons=reasons)
        notifications.comment_created(comment)
    return comment


def _check_target(target: models.Model, discussion: DiscussionSettings) -> None:
    if registry.entry_for(target) is None or not target.is_live:
        raise CommentRejected(
            _("This page does not exist or does not take comments."), code="unknown", status=404
        )
    if not comments_open(target, discussion, now=timezone.now()):
        raise CommentRejected(_("Comments are closed."), code="closed", status=403)


def _check_parent(parent: Comment | None, target: models.Model) -> None:
    if parent is None:
        return
    content_type = ContentType.objects.get_for_model(target)
    if (parent.content_type_id, parent.object_id) != (content_type.pk, target.pk):
        raise CommentRejected(
            _("The comment you are replying to is not on this page."), code="parent"
        )
    if parent.status != Status.APPROVED or parent.is_linkback:
        raise CommentRejected(_("You can only reply to a published comment."), code="parent")


def _is_duplicate(*, target, parent_id, body, author_name, author_email, user) -> bool:
    same_author = Q(author_name=author_name)
    if author_email:
        same_author |= Q(author_email=author_email)
    if user is not None:
        same_author |= Q(user=user)
    return (
        Comment.objects.for_object(target)
        .not_in_trash()
        .filter(same_author, parent_id=parent_id, body=body)
        .exists()
    )


def _has_approved_comment(author_email: str) -> bool:
    return (
        bool(author_email)
        and Comment.objects.approved().comments_only().filter(author_email=author_email).exists()
    )


def comment_submit(
    *,
    target: models.Model,
    body: str,
    author_name: str = "",
    author_email: str = "",
    author_url: str = "",
    user: AbstractBaseUser | None = None,
    auth_provider: str = "",
    parent: Comment | None = None,
    ip_address: str | None = None,
    user_agent: str = "",
    referrer: str = "",
    honeypot_filled: bool = False,
    discussion: DiscussionSettings | None = None,
    language: str = "",
) -> Comment:
    """Store a visitor's comment on ``target`` as approved, pending or spam, or refuse it.

    Raises ``CommentRejected`` when the discussion is closed, the parent is wrong, the address is
    posting too quickly or the same comment was already sent. ``auth_provider`` is how ``user``
    signed in ("local", "google"…), stored with the comment. ``discussion`` is the settings row,
    when the caller has loaded it already. ``language``: the language of the page the comment
    was written from (default: the site's), which its author's mail is written in.
    """
    discussion = discussion or DiscussionSettings.load()
    _check_target(target, discussion)
    if user is not None and not user.is_authenticated:
        user = None
    if discussion.require_sign_in and user is None:
        raise CommentRejected(
            _("You must be logged in to post a comment."), code="sign_in", status=403
        )
    if user is not None:
        author_name = display_name(user)
        author_email = user.email
    author_name, author_url = author_name.strip(), author_url.strip()
    # Stored lower-case so that "is this author known?" is an indexed, exact match.
    author_email = author_email.strip().lower()
    body = normalise_newlines(body).strip()
    if not body:
        raise CommentRejected(_("Please type your comment."), code="required")
    if discussion.require_name_email and user is None and not (author_name and author_email):
        raise CommentRejected(
            _("Please fill in the required fields (name, e-mail)."), code="required"
        )
    _check_parent(parent, target)
    placement = _place(parent, max_depth=discussion.thread_depth)

    # Staff are the site's own people: approved at once, like moderators.
    by_moderator = user is not None and (user.is_staff or user.has_perm("comments.can_moderate"))
    if not by_moderator and antispam.is_flooding(ip_address):
        raise CommentRejected(
            _("You are posting comments too quickly. Slow down."), code="flood", status=429
        )
    if _is_duplicate(
        target=target,
        parent_id=placement.parent_id,
        body=body,
        author_name=author_name,
        author_email=author_email,
        user=user,
    ):
        raise CommentRejected(
            _("Duplicate comment detected; it looks as though you’ve already said that!"),
            code="duplicate",
            status=409,
        )

    candidate = Candidate(
        author_name=author_name,
        author_email=author_email,
        author_url=author_url,
        body=body,
        ip_address=ip_address or "",
        user_agent=user_agent,
        by_moderator=by_moderator,
    )
    verdict = AkismetVerdict.UNCHECKED
    if not (by_moderator or honeypot_filled):
        verdict = _ask_akismet(
            candidate,
            target=target,
            kind=Comment.Kind.COMMENT,
            is_reply=placement.parent_id is not None,
            referrer=referrer,
        )
    facts = Facts(
        author_has_approved_comment=by_moderator or _has_approved_comment(author_email),
        honeypot_filled=honeypot_filled,
        akismet=verdict,
    )
    decision = decide(candidate, discussion, facts)

    comment = _create(
        target=target,
        placement=placement,
        by=user,
        reasons=list(decision.reasons) or [reason("submitted")],
        author_name=author_name,
        author_email=author_email,
        author_url=author_url,
        user=user,
        auth_provider=auth_provider if user is not None else "",
        body=body,
        status=decision.status,
        held_reasons=list(decision.reasons),
        ip_address=ip_address,
        user_agent=user_agent[:MAX_USER_AGENT_LENGTH],
        language=language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE,
    )
    antispam.note_comment_stored(ip_address)
    return comment


# Linkbacks: pingbacks, trackbacks and webmentions from other sites (and our own posts)
# ------------------------------------------------------------------------------


def _ask_akismet(
    candidate: Candidate, *, target, kind: str, is_reply: bool = False, referrer: str = ""
) -> AkismetVerdict:
    """Return Akismet's verdict on ``candidate`` (a network call: never made under a lock)."""
    return akismet_api.check(
        ip_address=candidate.ip_address,
        kind=kind,
        is_reply=is_reply,
        author_name=candidate.author_name,
        author_email=candidate.author_email,
        author_url=candidate.author_url,
        body=candidate.body,
        user_agent=candidate.user_agent,
        referrer=referrer,
        permalink=permalink(target),
    )


def _linkback_decision(
    candidate: Candidate, *, target, kind: Comment.Kind, discussion: DiscussionSettings
) -> tuple[str, list[dict]]:
    """Return the status and reasons of a new linkback: held with its reason, or spam."""
    verdict = _ask_akismet(candidate, target=target, kind=kind)
    decision = decide(candidate, discussion, Facts(akismet=verdict))
    if decision.status == Status.SPAM:
        return Status.SPAM, list(decision.reasons)
    # Nothing proves a linkback is wanted: a moderator always sees it first.
    host = host_of(candidate.author_url) or candidate.author_url
    return Status.PENDING, [reason(kind.value, host=host), *decision.reasons]


def _lock_discussion(target: models.Model) -> None:
    """Take the lock of ``target``'s linkbacks: a ping delivered twice is then stored once."""
    list(type(target).objects.select_for_update().filter(pk=target.pk).values_list("pk"))


def _linkback_new(*, target, kind, source_url, fields, decided, ip_address, user_agent) -> Comment:
    """Store a linkback seen for the first time, with the status decided for it."""
    status, reasons = decided
    return _create(
        target=target,
        placement=_place(None, max_depth=1),
        by=None,
        reasons=reasons or [reason("self_ping", url=source_url)],
        kind=kind,
        source_url=source_url,
        status=status,
        held_reasons=reasons,
        ip_address=ip_address,
        user_agent=user_agent[:MAX_USER_AGENT_LENGTH],
        **fields,
    )


def _webmention_refreshed(comment: Comment, fields: dict) -> Comment:
    """Update a webmention sent again with what its source says now.

    One the site had trashed (its source had withdrawn it) goes back to moderation.
    """
    returning = comment.status == Status.TRASH and _trashed_by_the_site(comment)
    for field, value in fields.items():
        setattr(comment, field, value)
    comment.save(update_fields=list(fields))
    forget_listing_of(comment)
    if returning:
        _change_status(comment, Status.PENDING, by=None, reasons=[reason("links_again")])
    return comment


def linkback_receive(
    *,
    target: models.Model,
    kind: str,
    source_url: str,
    title: str = "",
    excerpt: str = "",
    author_url: str = "",
    data: dict | None = None,
    ip_address: str | None = None,
    user_agent: str = "",
    self_ping: bool = False,
    discussion: DiscussionSettings | None = None,
) -> tuple[Comment, bool]:
    """Store a pingback, trackback or webmention from ``source_url`` on ``target``.

    A linkback is held for moderation with its reason (or is spam, by the word lists or
    Akismet); a self-ping from one of our posts is approved. Idempotent on (target, kind,
    source): a pingback or trackback seen before raises ``CommentRejected`` ("duplicate"); a
    webmention seen before is updated in place, and goes back to moderation if its source had
    withdrawn it. Returns the comment and whether it is new. Raises ``CommentRejected``
    ("closed") when ``target`` does not take linkbacks. ``discussion`` is the settings row, when
    the caller has loaded it already.
    """
    kind = Comment.Kind(kind)
    if not kind.is_linkback:
        raise ValueError(f"{kind} is not a linkback")
    discussion = discussion or DiscussionSettings.load()
    if not accepts_pings(target, discussion):
        raise CommentRejected(_("This page does not accept linkbacks."), code="closed", status=403)
    name = title.strip() or host_of(source_url) or source_url
    if len(name) > MAX_NAME_LENGTH:
        name = name[: MAX_NAME_LENGTH - 1] + "…"
    fields = {
        "author_name": name,
        "author_url": author_url if len(author_url) <= MAX_URL_LENGTH else "",
        "body": excerpt.strip() or name,
        "linkback_data": data or {},
    }
    existing = Comment.objects.for_object(target).linkbacks_from(source_url, kind=kind)
    decided = None
    if not existing.exists():
        # Decided before the lock below is taken: Akismet is a network call.
        candidate = Candidate(
            author_name=name,
            author_url=source_url,
            body=fields["body"],
            ip_address=ip_address or "",
            user_agent=user_agent,
            is_linkback=True,
        )
        decided = (
            (Status.APPROVED, [])
            if self_ping
            else _linkback_decision(candidate, target=target, kind=kind, discussion=discussion)
        )
    with transaction.atomic():
        _lock_discussion(target)
        # Under the lock, the answer to "seen before?" is final.
        comment = existing.select_for_update().first()
        if comment is None and decided is not None:
            new = _linkback_new(
                target=target,
                kind=kind,
                source_url=source_url,
                fields=fields,
                decided=decided,
                ip_address=ip_address,
                user_agent=user_agent,
            )
            return new, True
        if comment is None or kind != Comment.Kind.WEBMENTION:
            # Stored meanwhile by another request, or a pingback or trackback sent again.
            raise CommentRejected(
                _("The linkback has already been registered."), code="duplicate", status=409
            )
        return _webmention_refreshed(comment, fields), False


def _trashed_by_the_site(comment: Comment) -> bool:
    """Return True if the site, not a moderator, made ``comment``'s latest change of status.

    A mention in the trash comes back when its source links here again only if the site put it
    there (``linkback_withdraw``); one a moderator trashed, even after a restore, stays there.
    """
    latest = comment.status_changes.last()
    return latest is not None and latest.by_id is None


def linkback_withdraw(
    *, target: models.Model, kind: str, source_url: str, reason: dict
) -> Comment | None:
    """Move the linkback from ``source_url`` to the trash: its source no longer links here.

    ``reason`` says how we know (``comments.reasons``: "source_gone", "source_unlinked").
    Returns the comment moved, or None if there was none (or it was in the trash already).
    """
    with transaction.atomic():
        comment = (
            Comment.objects.for_object(target)
            .linkbacks_from(source_url, kind=kind)
            .select_for_update()
            .first()
        )
        if comment is None or comment.status == Status.TRASH:
            return None
        # Recorded as the site's own change: a source linking here again brings it back.
        _change_status(comment, Status.TRASH, by=None, reasons=[reason])
    return comment


def _report_to_akismet(comment: Comment, *, is_spam: bool) -> None:
    if not akismet_api.is_enabled():
        return
    target = comment.content_object
    akismet_api.report(
        comment, is_spam=is_spam, permalink=permalink(target) if target is not None else ""
    )


def _change_status(
    comment: Comment, new: str, *, by: AbstractBaseUser | None, reasons: list[dict]
) -> None:
    """Move one ``comment``, already locked, to ``new``: see ``_change_statuses``."""
    _change_statuses([comment], new, by=by, notes={}, reasons={comment.pk: reasons})


def _change_statuses(
    comments: list[Comment],
    new: str,
    *,
    by: AbstractBaseUser | None,
    notes: dict[int, str],
    reasons: dict[int, list[dict]],
) -> None:
    """Move ``comments`` (locked, none of them in ``new`` yet) to ``new`` and record who did it.

    Each history row has the note and the reasons ``notes`` and ``reasons`` give its comment.
    One UPDATE, one INSERT of their history rows, one cache drop per discussion; the mail and
    Akismet's lessons are queued for after commit. Each remembers what a restore gives back.
    """
    if not comments:
        return
    olds = {comment.pk: comment.status for comment in comments}
    removed = [status.value for status in Status if status.is_removed]
    if Status(new).is_removed:
        # SET reads the row as it was: a comment moved out of the live statuses remembers it.
        before = Case(
            When(status__in=removed, then=F("status_before_removal")), default=F("status")
        )
    else:
        before = Value("")
    Comment.objects.filter(pk__in=olds).update(status=new, status_before_removal=before)
    CommentStatusChange.objects.bulk_create(
        CommentStatusChange(
            comment=comment,
            by=by,
            old_status=olds[comment.pk],
            new_status=new,
            note=notes.get(comment.pk, "")[:500],
            reasons=reasons.get(comment.pk, []),
        )
        for comment in comments
    )
    for key in {(comment.content_type_id, comment.object_id) for comment in comments}:
        forget_listing(*key)
    notifications.comments_status_changed(comments, new=new, by=by)
    for comment in comments:
        old = olds[comment.pk]
        if Status(new).is_removed and not Status(old).is_removed:
            comment.status_before_removal = old
        elif not Status(new).is_removed:
            comment.status_before_removal = ""
        comment.status = new
        if by is not None and not comment.is_linkback:
            # A person's verdict teaches Akismet; a decision the site made by itself does not.
            if new == Status.SPAM:
                transaction.on_commit(partial(_report_to_akismet, comment, is_spam=True))
            elif old == Status.SPAM and new in {Status.APPROVED, Status.PENDING}:
                transaction.on_commit(partial(_report_to_akismet, comment, is_spam=False))


def comments_set_status(
    comments: models.QuerySet | Iterable[int],
    status: str,
    *,
    by: AbstractBaseUser | None,
    note: str = "",
    reasons: Iterable[dict] = (),
) -> list[Comment]:
    """Change the status of ``comments`` (a queryset of comments or their ids) to ``status``.

    Their history rows say ``note`` (as written) and ``reasons`` (``comments.reasons``, said in
    the reader's language). Approving a reply approves its pending ancestors too. Returns the
    comments whose status changed, those asked for first (by id), then the ancestors; those
    already in ``status`` are left alone. A bounded number of queries however many comments:
    the admin's bulk actions approve a thousand at once.
    """
    status = Status(status)
    if isinstance(comments, models.QuerySet):
        comments = comments.order_by().values("pk")
    with transaction.atomic():
        changed = list(
            Comment.objects.select_for_update()
            .filter(pk__in=comments)
            .exclude(status=status)
            .order_by("pk")
        )
        notes = dict.fromkeys((comment.pk for comment in changed), note)
        why = dict.fromkeys((comment.pk for comment in changed), list(reasons))
        if status == Status.APPROVED:
            asked = {comment.pk for comment in changed}
            reply_of = {}
            for comment in changed:
                for ancestor_id in comment.ancestor_ids:
                    reply_of.setdefault(ancestor_id, comment.pk)
            ancestors = list(
                Comment.objects.select_for_update()
                .pending()
                .filter(pk__in=set(reply_of) - asked)
                .order_by("depth", "pk")
            )
            for ancestor in ancestors:
                why[ancestor.pk] = [reason("approved_with_reply", reply=reply_of[ancestor.pk])]
            changed.extend(ancestors)
        _change_statuses(changed, status, by=by, notes=notes, reasons=why)
    return changed


def comment_set_status(
    *,
    comment: Comment,
    status: str,
    by: AbstractBaseUser | None,
    note: str = "",
    reasons: Iterable[dict] = (),
) -> list[Comment]:
    """Change ``comment``'s status; approving it approves its pending ancestors too.

    Returns the comments whose status changed, ``comment`` first; empty if nothing changed.
    """
    changed = comments_set_status([comment.pk], status, by=by, note=note, reasons=reasons)
    if changed:
        comment.status = changed[0].status
        comment.status_before_removal = changed[0].status_before_removal
    return changed


def comment_report(
    *, comment: Comment, visitor: str, discussion: DiscussionSettings | None = None
) -> bool:
    """Count a visitor's report of a published ``comment``; enough of them hold it back.

    ``visitor`` is what tells visitors apart (``antispam.visitor_key``): a second report from
    the same visitor is not counted. When the reports reach the discussion setting
    ``reports_to_hold``, the comment goes back to the queue, held with the reason "reported by N
    visitors" (and the moderators are mailed, as for any comment the site holds). Returns
    whether the report was counted. Raises ``CommentRejected`` for a comment that cannot be
    reported (not published, a linkback, or reports turned off).
    """
    discussion = discussion or DiscussionSettings.load()
    if not discussion.reports_to_hold or comment.status != Status.APPROVED or comment.is_linkback:
        raise CommentRejected(_("This comment cannot be reported."), code="not_reportable")
    with transaction.atomic():
        _report, created = CommentReport.objects.get_or_create(comment=comment, visitor=visitor)
        if not created:
            return False
        reports = comment.reports.count()
        if reports >= discussion.reports_to_hold:
            reported = reason("reported", count=reports)
            if comment_set_status(
                comment=comment, status=Status.PENDING, by=None, reasons=[reported]
            ):
                comment.held_reasons = [reported, *comment.held_reasons]
                Comment.objects.filter(pk=comment.pk).update(held_reasons=comment.held_reasons)
    return True


def comment_restore(
    *, comment: Comment, by: AbstractBaseUser | None, reasons: Iterable[dict] = ()
) -> list[Comment]:
    """Take ``comment`` out of spam or trash, back to the status it had before."""
    if not Status(comment.status).is_removed:
        return []
    return comment_set_status(
        comment=comment, status=comment.restore_status(), by=by, reasons=reasons
    )


def comment_reply_as_staff(
    *,
    parent: Comment,
    user: AbstractBaseUser,
    body: str,
    ip_address: str | None = None,
    user_agent: str = "",
) -> Comment:
    """Store a moderator's reply to ``parent``, approved at once, approving ``parent`` too."""
    body = normalise_newlines(body).strip()
    if not body:
        raise CommentRejected(_("Please type your reply."), code="required")
    if Status(parent.status).is_removed or parent.is_linkback:
        raise CommentRejected(_("Restore this comment before replying to it."), code="parent")
    with transaction.atomic():
        if parent.status == Status.PENDING:
            comment_set_status(
                comment=parent,
                status=Status.APPROVED,
                by=user,
                reasons=[reason("approved_by_replying")],
            )
        return _create(
            target=parent.content_object,
            placement=_place(parent, max_depth=DiscussionSettings.load().thread_depth),
            by=user,
            reasons=[reason("moderator_reply")],
            author_name=display_name(user),
            author_email=user.email.lower(),
            user=user,
            body=body,
            status=Status.APPROVED,
            ip_address=ip_address,
            user_agent=user_agent[:MAX_USER_AGENT_LENGTH],
        )


def comment_delete(*, comment: Comment, by: AbstractBaseUser) -> None:
    """Delete a comment for good; only spam and trash may be deleted."""
    if not Status(comment.status).is_removed:
        raise CommentRejected(
            _("Only comments in spam or trash can be deleted permanently."), code="not_removed"
        )
    logger.info("Comment %s deleted permanently by %s", comment.pk, by)
    comment.delete()
    forget_listing_of(comment)


def comment_edit(*, comment: Comment, by: AbstractBaseUser | None) -> Comment:
    """Save what a moderator changed in ``comment`` (name, e-mail, website, text).

    One UPDATE: the body and the card are rendered before it.
    """
    comment.save()
    forget_listing_of(comment)
    logger.info("Comment %s edited by %s", comment.pk, by)
    return comment
