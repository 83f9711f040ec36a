"""Publishing pages and posts: the one service for every way an entry goes live or back to draft.

The admin's save and its "Publish now" / "Turn into drafts" actions, the seed, the WordPress
importer and the shell all call these; a scheduled entry reaching its time runs the same steps
from a task queued for that time.

- ``entry_save(entry, *, by=None, announce=True)``: save ``entry``; if it is live, run the
  went-live steps (with ``announce=False``, record them as done instead: an imported post); if
  it is scheduled, queue them for its publication time.
- ``entries_publish_now(entries, *, by=None)``: publish ``entries`` (a queryset or a list) now
  (status published, publication date now) and run the went-live steps; returns how many.
- ``entries_make_draft(entries, *, by=None)``: turn ``entries`` into drafts; returns how many.
- ``entry_went_live(entry)``: the went-live steps alone, for an entry saved and live already.

The went-live steps: linkbacks sent to the pages the entry links to (self-pings at once, other
sites in a task), the new-post mail queued (after commit), and the caches that show the entry
dropped (its discussion's listing, the privacy notice's address). Each runs only for what the
entry's model registered with the comments app (``clusters.discussion``). ``by`` is the person
who acted, for the log. Running the steps again is harmless: linkbacks and mail go once.

Scheduling needs a task backend that can wait (the database backend of ``manage.py
db_worker``); with one that cannot, ``manage.py send_linkbacks`` and ``manage.py
send_new_post_mail`` (cron) catch up on the entries whose time came.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import partial

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from clusters import tasks
from clusters.languages import english
from clusters.models import Status
from clusters.search.index import index_objects
from comments import registry
from comments.cards import forget_listing
from comments.linkbacks.send import record_as_told
from comments.linkbacks.tasks import notify_linked_sites
from comments.notifications.events import announce_new_posts, record_as_announced
from comments.notifications.templatetags.notifications import forget_privacy_notice_url

logger = logging.getLogger(__name__)


def _drop_caches(entry: models.Model) -> None:
    forget_listing(ContentType.objects.get_for_model(entry).pk, entry.pk)
    forget_privacy_notice_url()


def _went_live(entries: Iterable[models.Model]) -> None:
    announce = False
    for entry in entries:
        declared = registry.entry_for(entry)
        if declared is not None and declared.sends_linkbacks:
            notify_linked_sites(entry)
        announce = announce or (declared is not None and declared.announced)
        _drop_caches(entry)
    if announce:
        announce_new_posts()  # One task announces every post not announced yet.


def entry_went_live(entry: models.Model) -> None:
    """Run the went-live steps of ``entry``, which is saved and live."""
    with english():
        _went_live([entry])


def _schedule(entry: models.Model) -> None:
    went_live = tasks.entry_went_live
    if not went_live.get_backend().supports_defer:
        return  # The cron catch-up commands handle it (module docstring).
    deferred = went_live.using(run_after=entry.published_at)
    transaction.on_commit(
        partial(
            deferred.enqueue,
            entry._meta.label_lower,
            entry.pk,
            entry.published_at.isoformat(),
        ),
        robust=True,
    )


def _told_before(entry: models.Model) -> None:
    """Record a live ``entry`` as told about: its links notified, its new-post mail sent."""
    declared = registry.entry_for(entry)
    if declared is not None and declared.sends_linkbacks:
        record_as_told(entry)
    if declared is not None and declared.announced:
        record_as_announced(entry)
    _drop_caches(entry)


def entry_save(entry: models.Model, *, by=None, announce: bool = True) -> models.Model:
    """Save ``entry`` and run its went-live steps now if it is live, or at its time if scheduled.

    ``announce=False`` is for an entry that went live elsewhere long ago (the WordPress import):
    if it is live, it is recorded as told instead, so that neither now nor the catch-up commands
    ping the pages it links to or mail subscribers about an old post. A scheduled one still goes
    live here, with its steps, at its time.
    """
    # In English whatever the editor's language: the linkbacks, the index and the log use the
    # English text and address (the form has set each language's fields by name).
    with transaction.atomic(), english():
        entry.save()
        if entry.is_live and not announce:
            _told_before(entry)
        elif entry.is_live:
            entry_went_live(entry)
        else:
            if entry.status != Status.DRAFT:
                _schedule(entry)
            _drop_caches(entry)
    logger.info("%s %s saved (%s) by %s", entry._meta.verbose_name, entry.pk, entry.status, by)
    return entry


def _ids(entries: Iterable[models.Model] | models.QuerySet) -> tuple[type[models.Model], list]:
    if isinstance(entries, models.QuerySet):
        return entries.model, list(entries.values_list("pk", flat=True))
    entries = list(entries)
    model = type(entries[0]) if entries else None
    return model, [entry.pk for entry in entries]


def _change(entries, *, by, done: str, then, **values) -> int:
    """Update ``entries`` by id with ``values``, then run ``then`` on them; return how many."""
    model, ids = _ids(entries)
    if not ids:
        return 0
    with transaction.atomic(), english():
        # By id: the entries may be a list filtered by status, which the update changes.
        changed = model._default_manager.filter(pk__in=ids)
        count = changed.update(**values)
        index_objects(changed)  # An update sends no signal.
        then(changed)
    logger.info("%s %s %s by %s", count, model._meta.verbose_name_plural, done, by)
    return count


def entries_publish_now(entries, *, by=None) -> int:
    """Publish ``entries`` now and run their went-live steps; return how many were published."""
    return _change(
        entries,
        by=by,
        done="published",
        then=_went_live,
        status=Status.PUBLISHED,
        published_at=timezone.now(),
    )


def entries_make_draft(entries, *, by=None) -> int:
    """Turn ``entries`` into drafts (the public no longer sees them); return how many."""

    def drop_caches(drafts):
        for entry in drafts:
            _drop_caches(entry)

    return _change(entries, by=by, done="turned into drafts", then=drop_caches, status=Status.DRAFT)
