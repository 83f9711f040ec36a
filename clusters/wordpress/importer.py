"""Import a WordPress export: authors, terms, pages, posts, attachments and their comments.

``import_wxr(path)`` first reads the whole file (``wxr.check``): a file that is not WXR, is
truncated, has an unknown version or is an XML bomb raises ``WXRError`` before anything is
written. It then reads the file again, record by record, and stores each in its own
transaction: an item that fails is reported and rolled back whole, and the next one goes on.
Every record keeps its WordPress id and GUID (``ImportedItem``), so the same file twice creates
nothing new and a newer export updates what changed. After the last item, links inside the
imported bodies that point at the old site are pointed at the new addresses, and featured
images are attached. ``dry_run`` runs all of it in a transaction rolled back at the end.
"""

from __future__ import annotations

import ipaddress
from collections import Counter, defaultdict
from collections.abc import Callable
from contextlib import nullcontext, suppress
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop, npgettext_lazy, pgettext_lazy

from clusters.images import validate_image
from clusters.languages import english
from clusters.models import Category, ImportedItem, MediaImage, Page, Post, Tag
from clusters.redirects import normalise_old_path
from clusters.revisions import versions_kept
from clusters.search import index as search_index
from comments.models import MAX_EMAIL_LENGTH, MAX_NAME_LENGTH, MAX_URL_LENGTH, Comment

from . import rules, store, wxr

Kind = ImportedItem.Kind
User = get_user_model()

# The note of the versions it keeps, stored in English, read in the editor's language
# (admin/clusters/editing/object_history.html).
IMPORTED = gettext_noop("Imported from WordPress.")
# The order of the report's table, and what it calls each type of record.
TYPES = {
    "author": pgettext_lazy("a WordPress record", "author"),
    "category": pgettext_lazy("a WordPress record", "category"),
    "tag": pgettext_lazy("a WordPress record", "tag"),
    "term": pgettext_lazy("a WordPress record", "term"),
    "page": pgettext_lazy("a WordPress record", "page"),
    "post": pgettext_lazy("a WordPress record", "post"),
    "attachment": pgettext_lazy("a WordPress record", "attachment"),
    "comment": pgettext_lazy("a WordPress record", "comment"),
    "other": pgettext_lazy("a WordPress record", "other"),
    "redirect": pgettext_lazy("a WordPress record", "redirect"),
}
# What happened to each record: new, changed since the last import, the same again (a re-import),
# already on the site (an author matched by login or e-mail), left out on purpose, or broken.
OUTCOMES = {
    "imported": npgettext_lazy("records", "%(count)d imported", "%(count)d imported", "count"),
    "updated": npgettext_lazy("records", "%(count)d updated", "%(count)d updated", "count"),
    "unchanged": npgettext_lazy("records", "%(count)d unchanged", "%(count)d unchanged", "count"),
    "matched": npgettext_lazy("records", "%(count)d matched", "%(count)d matched", "count"),
    "skipped": npgettext_lazy("records", "%(count)d skipped", "%(count)d skipped", "count"),
    "failed": npgettext_lazy("records", "%(count)d failed", "%(count)d failed", "count"),
}


@dataclass
class Report:
    """What an import did: counts per type and outcome, and every item it did not import."""

    dry_run: bool = False
    counts: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    problems: list[dict] = field(default_factory=list)
    remote_files: list[str] = field(default_factory=list)
    notes: list[dict] = field(default_factory=list)

    def count(self, kind: str, outcome: str) -> None:
        self.counts[kind][outcome] += 1

    def problem(self, kind: str, wp_id: str, title: str, reason: str, *, outcome="failed"):
        """Count an item not imported, and say which and why."""
        self.count(kind, outcome)
        self.problems.append({"type": kind, "id": wp_id, "title": title[:120], "reason": reason})

    def note(self, kind: str, wp_id: str, title: str, note: str) -> None:
        self.notes.append({"type": kind, "id": wp_id, "title": title[:120], "note": note})

    def as_dict(self) -> dict:
        return {
            "dry_run": self.dry_run,
            "counts": {kind: dict(self.counts[kind]) for kind in TYPES if kind in self.counts},
            "problems": self.problems,
            "remote_files": self.remote_files,
            "notes": self.notes,
        }


def _item(item: dict, why: str) -> str:
    return "  " + gettext("%(type)s %(id)s “%(title)s”: %(why)s") % {
        "type": TYPES.get(item["type"], item["type"]),
        "id": item["id"],
        "title": item["title"],
        "why": why,
    }


def report_lines(report: dict) -> list[str]:
    """Return a report (``Report.as_dict()``) as lines of text in the active language.

    For the admin's page of a run; the command prints it untranslated. What each item says
    (``reason``, ``note``) is kept as the importer wrote it, in English.
    """
    done = (
        gettext("Dry run: nothing was written.")
        if report["dry_run"]
        else gettext("Import finished.")
    )
    lines = [done]
    for kind, counts in report["counts"].items():
        parts = [OUTCOMES[o] % {"count": counts[o]} for o in OUTCOMES if counts.get(o)]
        lines.append(f"  {TYPES.get(kind, kind)}: {', '.join(parts)}")
    if problems := report["problems"]:
        lines.append(gettext("Not imported (%(count)d):") % {"count": len(problems)})
        lines.extend(_item(problem, problem["reason"]) for problem in problems)
    if notes := report["notes"]:
        lines.append(gettext("Imported with a note (%(count)d):") % {"count": len(notes)})
        lines.extend(_item(note, note["note"]) for note in notes)
    if files := report["remote_files"]:
        lines.append(
            gettext(
                "Files kept at their original address (%(count)d; copy them with --uploads DIR):"
            )
            % {"count": len(files)}
        )
        lines.extend(f"  {url}" for url in files)
    return lines


class _DryRun(Exception):
    """Raised at the end of a dry run to roll everything back."""


class _Skip(Exception):
    """An item that is not imported, with the reason the report gives."""


Progress = Callable[[int, int], None]


def import_wxr(
    path, *, dry_run: bool = False, uploads: Path | None = None, progress: Progress | None = None
) -> Report:
    """Import the WXR file at ``path``; return the report. Raises ``WXRError`` for a bad file."""
    counts = wxr.check(path)
    report = Report(dry_run=dry_run)
    importer = _Importer(report, uploads=uploads, dry_run=dry_run)
    done = 0
    # WordPress's text is English: it fills the English fields, and is indexed as such.
    with english():
        try:
            with transaction.atomic() if dry_run else nullcontext():
                for record in wxr.parse(path):
                    importer.add(record)
                    if not isinstance(record, wxr.Channel):
                        done += 1
                        if progress is not None:
                            progress(done, counts.total)
                importer.finish()
                if dry_run:
                    raise _DryRun
            # Bodies relinked and images attached by updates, which the index does not see.
            search_index.rebuild()
        except _DryRun:
            pass
    return report


def _trim(value: str, length: int) -> str:
    return value if len(value) <= length else value[: length - 1] + "…"


def _ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


class _Importer:
    def __init__(self, report: Report, *, uploads: Path | None, dry_run: bool):
        self.report = report
        self.uploads = uploads
        self.dry_run = dry_run
        self.zone = timezone.get_current_timezone()
        self.channel: wxr.Channel | None = None
        self.source = ""
        # (kind, wp_id) -> (object id, digest) of what earlier imports of this site stored.
        self.known: dict[tuple[str, str], tuple[int, str]] = {}
        self.content_types = {
            model: ContentType.objects.get_for_model(model)
            for model in (User, Category, Tag, Post, Page, MediaImage, Comment)
        }
        self.categories: dict[str, int] = {}  # slug in the export -> our category
        self.category_parents: list[tuple[int, str]] = []
        self.tags: dict[str, int] = {}
        self.users: dict[str, object] = {}  # login -> user
        self.users_by_id: dict[str, object] = {}  # author id in the export -> user
        # Old path -> (model, pk) of what it became, for redirects and rewritten links.
        self.targets: dict[str, tuple[type, int]] = {}
        self.relink: list[tuple[type, int]] = []
        # (post pk, its WordPress id and title, the attachment's WordPress id)
        self.featured: list[tuple[int, str, str, str]] = []

    # Bookkeeping
    # --------------------------------------------------------------------------

    def start(self, channel: wxr.Channel) -> None:
        self.channel = channel
        self.source = channel.site_url[:200]
        self.old_host = urlsplit(channel.site_url).netloc.removeprefix("www.")
        self.prefix = rules.site_prefix(channel.site_url)
        self.known = {
            (kind, wp_id): (object_id, digest)
            for kind, wp_id, object_id, digest in ImportedItem.objects.filter(
                source=self.source
            ).values_list("kind", "wp_id", "object_id", "digest")
        }

    def remember(self, kind: str, wp_id: str, obj, digest: str, guid: str = "") -> None:
        fields = {
            "content_type": self.content_types[type(obj)],
            "object_id": obj.pk,
            "digest": digest,
            "guid": guid[:2000],
        }
        if (kind, wp_id) in self.known:
            ImportedItem.objects.filter(source=self.source, kind=kind, wp_id=wp_id).update(**fields)
        else:
            ImportedItem.objects.create(source=self.source, kind=kind, wp_id=wp_id, **fields)
        self.known[(kind, wp_id)] = (obj.pk, digest)

    def lookup(self, model, kind: str, wp_id: str):
        """Return the object an earlier import made of ``wp_id`` and its digest, or (None, "")."""
        pk, digest = self.known.get((kind, wp_id), (None, ""))
        if pk is None:
            return None, ""
        obj = model.objects.filter(pk=pk).first()
        return obj, digest if obj is not None else ""

    def old_paths(self, *urls: str) -> list[str]:
        """Return the old site's paths among ``urls`` (absolute, or paths already)."""
        paths = []
        for url in urls:
            if not url:
                continue
            path = url if url.startswith("/") else rules.old_path(url, self.channel.site_url)
            with suppress(ValueError):
                paths.append(normalise_old_path(path or ""))
        return paths

    def register(self, obj, paths: list[str], *, write: bool) -> None:
        """Point ``paths`` at ``obj``: for links rewritten later, and as redirects if ``write``."""
        new = self.address(type(obj), obj.pk, obj)
        for path in paths:
            self.targets[path] = (type(obj), obj.pk)
            if write and new and path != new:
                added = store.redirect_add(path, new)
                self.report.count("redirect", "imported" if added else "skipped")

    def address(self, model, pk, obj=None) -> str | None:
        obj = obj or model.objects.filter(pk=pk).first()
        if obj is None:
            return None
        if model is MediaImage:
            return obj.url or None
        if model is User:
            return reverse("blog:author", kwargs={"username": obj.get_username()})
        return obj.get_absolute_url()

    # Records
    # --------------------------------------------------------------------------

    def add(self, record) -> None:
        if isinstance(record, wxr.Channel):
            self.start(record)
        elif isinstance(record, wxr.Author):
            key = record.author_id or record.login
            self.guarded("author", key, record.login, self.author, record)
        elif isinstance(record, wxr.Term):
            kind = {"category": "category", "post_tag": "tag"}.get(record.taxonomy, "term")
            self.guarded(kind, record.term_id or record.slug, record.name, self.term, record)
        elif record.post_type in {"post", "page"}:
            self.guarded(record.post_type, record.post_id, record.title, self.entry, record)
        elif record.post_type == "attachment":
            self.guarded("attachment", record.post_id, record.title, self.attachment, record)
        else:
            reason = f"post type “{record.post_type or 'none'}” is not imported"
            self.report.problem("other", record.post_id, record.title, reason, outcome="skipped")

    def guarded(self, kind: str, wp_id: str, title: str, handler, record) -> None:
        """Run ``handler(record)`` in its own transaction; a failure rolls back the whole item.

        What the item saves is kept as a version too, as an editor's save is (clusters.revisions).
        """
        try:
            with transaction.atomic(), versions_kept(comment=IMPORTED):
                outcome = handler(record)
        except _Skip as skip:
            self.report.problem(kind, wp_id, title, str(skip), outcome="skipped")
            return
        except Exception as error:  # noqa: BLE001 - one broken item never stops the others.
            self.report.problem(kind, wp_id, title, f"{type(error).__name__}: {error}"[:300])
            return
        self.report.count(kind, outcome)

    # Authors
    # --------------------------------------------------------------------------

    def user_for(self, login: str):
        """Return the user of ``login``, made (inactive) if the export did not declare it."""
        if login in self.users:
            return self.users[login]
        user = User.objects.filter(username=login).first()
        if user is None:
            user = self._new_user(wxr.Author(login=login))
            self.report.count("author", "imported")
            self.report.note("author", login, login, "not declared in the export: made of a login")
            self.remember(Kind.AUTHOR, login, user, rules.digest(wxr.Author(login=login)))
        self.users[login] = user
        return user

    def _new_user(self, author: wxr.Author):
        user = User(
            username=author.login[:150],
            email=author.email[:254],
            first_name=(author.first_name or author.display_name)[:150],
            last_name=author.last_name[:150],
            is_active=False,
        )
        user.set_unusable_password()
        user.save()
        return user

    def author(self, author: wxr.Author) -> str:
        if not author.login:
            raise _Skip("no login")
        key, digest = author.author_id or author.login, rules.digest(author)
        user, known_digest = self.lookup(User, Kind.AUTHOR, key)
        outcome = "unchanged"
        if user is None:
            user = User.objects.filter(username=author.login).first()
            if user is None and author.email:
                user = User.objects.filter(email__iexact=author.email).order_by("pk").first()
            outcome = "matched" if user is not None else "imported"
            if user is None:
                user = self._new_user(author)
        elif known_digest != digest:
            outcome = "updated"
            if not user.is_active and not user.has_usable_password():
                # Only accounts the import made follow the export; people's own stay theirs.
                user.email = author.email[:254]
                user.first_name = (author.first_name or author.display_name)[:150]
                user.last_name = author.last_name[:150]
                user.save()
        if outcome != "unchanged":
            self.remember(Kind.AUTHOR, key, user, digest)
        self.users[author.login] = user
        if author.author_id:
            self.users_by_id[author.author_id] = user
        paths = self.old_paths(f"{self.prefix}/author/{author.login}/")
        self.register(user, paths, write=outcome != "unchanged")
        return outcome

    # Terms
    # --------------------------------------------------------------------------

    def term(self, term: wxr.Term) -> str:
        if term.taxonomy not in {"category", "post_tag"}:
            raise _Skip(f"taxonomy “{term.taxonomy or 'none'}” is not imported")
        model, kind = (Category, Kind.CATEGORY) if term.taxonomy == "category" else (Tag, Kind.TAG)
        key, digest = term.term_id or term.slug, rules.digest(term)
        obj, known_digest = self.lookup(model, kind, key)
        name = (term.name or term.slug).strip()
        if not name:
            raise _Skip("no name")
        slug = rules.slug_for(term.slug, name, f"{kind}-{key}", max_length=100)
        outcome = "unchanged" if obj is not None and known_digest == digest else "updated"
        if obj is None:
            obj = model.objects.filter(slug=slug).first()
            outcome = "updated" if obj is not None else "imported"
            if obj is None:
                obj = model(slug=slug)
        if outcome != "unchanged":
            obj.name = self._free_name(model, name, slug, obj.pk)
            if model is Category:
                obj.description = rules.plain_text(term.description)
            obj.save()
            self.remember(kind, key, obj, digest)
        if model is Category:
            self.categories[term.slug] = obj.pk
            if term.parent:
                self.category_parents.append((obj.pk, term.parent))
        else:
            self.tags[term.slug] = obj.pk
        base = "category" if model is Category else "tag"
        paths = self.old_paths(f"{self.prefix}/{base}/{term.slug}/")
        self.register(obj, paths, write=outcome != "unchanged")
        return outcome

    def _free_name(self, model, name: str, slug: str, pk) -> str:
        """Return ``name``, made unique as our terms' names must be (WordPress's need not)."""
        name = _trim(name, 100)
        if not model.objects.filter(name=name).exclude(pk=pk).exists():
            return name
        return _trim(f"{name} ({slug})", 100)

    def _term_for(self, model, taxonomy_map: dict, slug: str, name: str) -> int | None:
        """Return our term for an item's ``<category>``, made if the export did not declare it."""
        if slug in taxonomy_map:
            return taxonomy_map[slug]
        our_slug = rules.slug_for(slug, name, "", max_length=100)
        if not our_slug:
            return None
        obj = model.objects.filter(slug=our_slug).first()
        if obj is None:
            name = self._free_name(model, name or slug, our_slug, None)
            obj = model.objects.create(slug=our_slug, name=name)
        taxonomy_map[slug] = obj.pk
        return obj.pk

    # Pages and posts
    # --------------------------------------------------------------------------

    def entry(self, item: wxr.Item) -> str:
        model, kind = (Post, Kind.POST) if item.post_type == "post" else (Page, Kind.PAGE)
        status, status_note = rules.entry_status(item)
        if status is None:
            raise _Skip(status_note)
        digest = rules.digest(item)
        entry, known_digest = self.lookup(model, kind, item.post_id)
        outcome = "imported" if entry is None else "updated"
        if entry is not None and known_digest == digest:
            outcome = "unchanged"
        else:
            entry = entry or model()
            self._fill(entry, item, status)
            store.entry_save(entry)
            if model is Post:
                self._file(entry, item)
            self.remember(kind, item.post_id, entry, digest, guid=item.guid)
            if status_note:
                self.report.note(item.post_type, item.post_id, item.title, status_note)
            if self.old_host and self.old_host in entry.body:
                self.relink.append((model, entry.pk))
            thumbnail = item.meta.get("_thumbnail_id", "").strip()
            if model is Post and thumbnail:
                self.featured.append((entry.pk, item.post_id, item.title, thumbnail))
        query = "page_id" if model is Page else "p"
        paths = self.old_paths(item.link, f"{self.prefix}/?{query}={item.post_id}")
        self.register(entry, paths, write=outcome != "unchanged")
        self.comments(entry, item)
        return outcome

    def _fill(self, entry, item: wxr.Item, status: str) -> None:
        model = type(entry)
        fallback = f"{item.post_type}-{item.post_id}"
        slug = rules.slug_for(item.post_name, item.title, fallback, max_length=190)
        entry.slug = self._free_slug(model, slug, entry.pk)
        entry.title = _trim(item.title, 250)
        entry.body = rules.autop(item.content)
        entry.excerpt = rules.plain_text(item.excerpt)
        entry.status = status
        entry.published_at = (
            rules.parse_date(item.post_date, item.post_date_gmt, self.zone) or timezone.now()
        )
        entry.allow_comments = item.comment_status != "closed"
        entry.allow_pings = item.ping_status != "closed"
        if model is Post:
            entry.author = self.user_for(item.creator or "admin")

    def _free_slug(self, model, slug: str, pk) -> str:
        candidate, number = slug, 2
        while model.objects.filter(slug=candidate).exclude(pk=pk).exists():
            candidate = f"{slug[:190]}-{number}"
            number += 1
        return candidate

    def _file(self, post: Post, item: wxr.Item) -> None:
        categories, tags = [], []
        for taxonomy, slug, name in item.terms:
            if taxonomy == "category":
                categories.append(self._term_for(Category, self.categories, slug, name))
            elif taxonomy == "post_tag":
                tags.append(self._term_for(Tag, self.tags, slug, name))
        post.categories.set([pk for pk in categories if pk])
        post.tags.set([pk for pk in tags if pk])

    # Attachments
    # --------------------------------------------------------------------------

    def attachment(self, item: wxr.Item) -> str:
        digest = rules.digest(item)
        media, known_digest = self.lookup(MediaImage, Kind.ATTACHMENT, item.post_id)
        outcome = "imported" if media is None else "updated"
        if media is not None and known_digest == digest:
            outcome = "unchanged"
        else:
            media = media or MediaImage()
            media.title = _trim(item.title or rules.upload_path(item) or item.post_id, 200)
            alt = item.meta.get("_wp_attachment_image_alt", "").strip()
            media.alt_text = _trim(alt or media.title, 200)
            media.original_url = item.attachment_url if len(item.attachment_url) <= 2000 else ""
            self._copy(media, item)
            media.save()
            self.remember(Kind.ATTACHMENT, item.post_id, media, digest, guid=item.guid)
        if not media.file:
            self.report.remote_files.append(item.attachment_url)
        paths = self.old_paths(
            item.link, f"{self.prefix}/?attachment_id={item.post_id}", item.attachment_url
        )
        # Without a copy, the old address is the file's only one: nothing to redirect to.
        self.register(media, paths, write=outcome != "unchanged" and bool(media.file))
        return outcome

    def _copy(self, media: MediaImage, item: wxr.Item) -> None:
        """Copy the attachment's file from ``--uploads`` if it is there and is a web image."""
        relative = rules.upload_path(item)
        if self.uploads is None or not relative:
            return
        source = (self.uploads / relative).resolve()
        note = partial(self.report.note, "attachment", item.post_id, item.title)
        if not source.is_relative_to(self.uploads.resolve()) or not source.is_file():
            note(f"{relative} is not in the uploads folder")
            return
        with source.open("rb") as handle:
            try:
                validate_image(handle)
            except ValidationError as error:
                note(f"not copied: {error.messages[0]}")
                return
            if self.dry_run:
                return
            media.file.save(source.name, File(handle), save=False)

    # Comments
    # --------------------------------------------------------------------------

    def comments(self, target, item: wxr.Item) -> None:
        """Import ``item``'s comments, parents before replies, each in its own savepoint."""
        by_id = {comment.comment_id: comment for comment in item.comments}
        placed: dict[str, int | None] = {}  # WordPress id -> our comment's id
        made: dict[int, Comment] = {}  # The comments made here, the parents of the next ones.

        def parent_of(pk: int | None) -> Comment | None:
            if pk is None:
                return None
            return made.get(pk) or Comment.objects.filter(pk=pk).first()

        def place(comment: wxr.Comment, seen: frozenset = frozenset()) -> int | None:
            if comment.comment_id not in placed:
                parent = None
                parent_record = by_id.get(comment.parent)
                # A parent missing from the export, or a loop of parents, starts a new thread.
                if parent_record is not None and comment.parent not in seen:
                    parent = place(parent_record, seen | {comment.comment_id})
                stored = self.comment(target, comment, partial(parent_of, parent), item)
                if isinstance(stored, Comment):
                    made[stored.pk] = stored
                    stored = stored.pk
                placed[comment.comment_id] = stored
            return placed[comment.comment_id]

        for comment in item.comments:
            place(comment)

    def comment(self, target, record: wxr.Comment, parent, item: wxr.Item) -> Comment | int | None:
        """Store one comment under ``parent()``; return it, its id if unchanged, or None."""
        kind = rules.comment_kind(record.type)
        title = f"{record.author or 'anonymous'} on “{item.title}”"
        if kind is None:
            reason = f"comment type “{record.type}” is not imported"
            self.report.problem("comment", record.comment_id, title, reason, outcome="skipped")
            return None
        digest = rules.digest(record)
        # Unchanged comments are many on a re-import: known by their digest, not loaded.
        known_pk, known_digest = self.known.get((Kind.COMMENT, record.comment_id), (None, ""))
        if known_pk is not None and known_digest == digest:
            self.report.count("comment", "unchanged")
            return known_pk
        existing, _ = self.lookup(Comment, Kind.COMMENT, record.comment_id)
        body = rules.comment_text(record.content) or "(empty)"
        is_linkback = Comment.Kind(kind).is_linkback
        url = record.author_url.strip()
        fields = {
            "kind": kind,
            "status": rules.comment_status(record.approved),
            "body": body,
            "author_name": _trim(record.author.strip(), MAX_NAME_LENGTH),
            "author_email": record.author_email.strip().lower()[:MAX_EMAIL_LENGTH],
            # A linkback's address is its source page; a commenter's is their website.
            "author_url": url if not is_linkback and len(url) <= MAX_URL_LENGTH else "",
            "source_url": url[:2000] if is_linkback else "",
            "ip_address": _ip(record.author_ip),
            "created_at": (
                rules.parse_date(record.date, record.date_gmt, self.zone) or timezone.now()
            ),
            "user": self.users_by_id.get(record.user_id),
        }
        try:
            with transaction.atomic():
                if existing is None:
                    comment = store.comment_create(target, parent=parent(), **fields)
                    outcome = "imported"
                else:
                    store.comment_update(existing, **fields)
                    comment, outcome = existing, "updated"
                self.remember(Kind.COMMENT, record.comment_id, comment, digest)
        except Exception as error:  # noqa: BLE001 - the post and its other comments stay.
            reason = f"{type(error).__name__}: {error}"[:300]
            self.report.problem("comment", record.comment_id, title, reason)
            return None
        self.report.count("comment", outcome)
        return comment

    # After the last item
    # --------------------------------------------------------------------------

    def finish(self) -> None:
        with transaction.atomic():
            for pk, parent_slug in self.category_parents:
                parent = self.categories.get(parent_slug)
                if parent and parent != pk:
                    Category.objects.filter(pk=pk).update(parent_id=parent)
        for model, pk in self.relink:
            self.relink_entry(model, pk)
        for post_pk, post_id, title, attachment_id in self.featured:
            media, _ = self.lookup(MediaImage, Kind.ATTACHMENT, attachment_id)
            note = partial(self.report.note, "post", post_id, title)
            if media is None:
                note(f"featured image {attachment_id} is not in the export")
            elif not media.file:
                note(f"featured image not copied: {media.original_url}")
            else:
                Post.objects.filter(pk=post_pk).update(
                    featured_image=media.file.name, featured_image_alt=media.alt_text
                )

    def relink_entry(self, model, pk) -> None:
        """Point ``pk``'s links to the old site at the new addresses of what they showed."""
        addresses: dict[str, str | None] = {}

        def resolve(path: str) -> str | None:
            if path not in addresses:
                target = self.targets.get(path)
                addresses[path] = self.address(*target) if target else None
            return addresses[path]

        with transaction.atomic():
            entry = model.objects.filter(pk=pk).first()
            if entry is None:
                return
            body = rules.rewrite_links(entry.body, self.channel.site_url, resolve)
            if body != entry.body:
                entry.body = body
                store.entry_save(entry)
