"""The search entries, kept in step with the content they show.

Every object has an entry per site language (``languages.CODES``), made under that language:
the text a visitor of it reads (the translation where the object exists in it, otherwise the
English the page shows under its note; ``clusters.languages``) and the address in it
(``/fr/…``), with the language that text is in, which says how it is stemmed (``backends``).
Every save or delete of a post, page, cluster (its key figures, contacts and focus areas
included), category or tag rewrites or removes its entries in the same transaction
(``connect``). Saves are the boundary, not the publish service: a post's clusters and a
cluster's contacts, key figures and focus areas are written after the service's save (the
admin's inlines and many-to-many fields), as are categories, tags, restored versions and the
importer's terms, and a delete cascades through the ORM alone; the content's own signals are
what every one of those doors sends. The publish service's bulk updates send none, so they call
``index_objects``. Entries are written in batches (``_write``: a bulk insert, then one statement
per text index); ``rebuild`` writes them all again, ``BATCH`` objects at a time: ``manage.py
rebuild_search_index``, the seed, the WordPress importer and ``migrate`` after a migration that
changes what entries hold (``REBUILT_AFTER``) run it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.utils import translation

from bioxclusters.bad_input import xml_safe
from bioxclusters.pagecache import pages_changed
from clusters.html import full_text
from clusters.languages import CODES, DEFAULT, exists_in
from clusters.models import (
    Award,
    Category,
    Cluster,
    Contact,
    FocusArea,
    KeyFigure,
    Page,
    Post,
    SearchEntry,
    Status,
    Tag,
)
from clusters.search.backends import backend

Kind = SearchEntry.Kind
KINDS = {Post: Kind.POST, Page: Kind.PAGE, Cluster: Kind.CLUSTER, Category: Kind.CATEGORY}
KINDS[Tag] = Kind.TAG
# What an entry reads of its object's related rows: fetched once for all its languages.
RELATED = {Cluster: ("focus_areas", "key_figures", "awards", "contacts"), Post: ("clusters",)}
BATCH = 500


def _text(value: str) -> str:
    # Without control characters: the snippets' markers are two of them (query.START, STOP).
    return xml_safe(value).replace("\x7f", "")


def _fields(obj, related: dict) -> dict:
    """Return the entry's fields for ``obj``, its ``related`` rows (``RELATED``) fetched."""
    if isinstance(obj, Post | Page):
        return {
            "title": obj.title,
            "excerpt": obj.excerpt,
            "body": full_text(obj.body),
            "date": obj.published_at,
            "public": obj.status != Status.DRAFT and not obj.noindex,
            "visible_from": obj.published_at,
        }
    if isinstance(obj, Cluster):
        parts = [obj.region, obj.city, obj.country, full_text(obj.description)]
        parts += [area.name for area in related["focus_areas"]]
        parts += [f"{figure.label}: {figure.value}" for figure in related["key_figures"]]
        parts += [str(award) for award in related["awards"]]
        parts += [" ".join((c.name, c.role)) for c in related["contacts"]]
        return {
            "title": obj.name,
            "excerpt": obj.tagline,
            "body": "\n".join(part for part in parts if part),
            "date": obj.updated_at,
            "public": not obj.noindex,
            "visible_from": None,
        }
    description = getattr(obj, "description", "")
    return {
        "title": obj.name,
        "excerpt": description,
        "body": "",
        "date": None,
        "public": True,
        "visible_from": None,
    }


def _entry(obj, related: dict, language: str) -> SearchEntry:
    """Return the entry of ``obj`` in ``language`` (which is active)."""
    fields = {
        name: _text(value) if isinstance(value, str) else value
        for name, value in _fields(obj, related).items()
    }
    return SearchEntry(
        kind=KINDS[type(obj)],
        object_id=obj.pk,
        language=language,
        text_language=language if exists_in(obj, language) else DEFAULT,
        **{**fields, "title": fields["title"][:250]},
        url=obj.get_absolute_url(),
    )


def _entries(obj) -> tuple[list[SearchEntry], list[int]]:
    """Return the entries of ``obj``, one per site language, and the clusters they are about."""
    # Read once (or from ``rebuild``'s prefetch) for every language, each read in its own.
    related = {name: list(getattr(obj, name).all()) for name in RELATED.get(type(obj), ())}
    entries = []
    for language in CODES:
        with translation.override(language):
            entries.append(_entry(obj, related, language))
    clusters = [obj] if isinstance(obj, Cluster) else related.get("clusters", [])
    return entries, [cluster.pk for cluster in clusters]


def _write(objects: list) -> None:
    """Write new entries for ``objects`` (which have none): a few statements for them all."""
    made = [_entries(obj) for obj in objects]
    entries = [entry for entries, _clusters in made for entry in entries]
    SearchEntry.objects.bulk_create(entries)
    links = SearchEntry.clusters.through
    links.objects.bulk_create(
        links(searchentry_id=entry.pk, cluster_id=cluster)
        for entries, clusters in made
        for entry in entries
        for cluster in clusters
    )
    backend().write([entry.pk for entry in entries])


def index_objects(objects: Iterable) -> None:
    """Write the entries of ``objects`` (of one or several of the indexed models) again."""
    objects = list(objects)
    if not objects:
        return
    with transaction.atomic():
        kinds = {}
        for obj in objects:
            kinds.setdefault(type(obj), []).append(obj.pk)
        for model, pks in kinds.items():
            remove(model, pks)
        _write(objects)


def remove(model, pks: Iterable[int]) -> None:
    """Remove the entries of ``model``'s objects ``pks``, in every language."""
    entries = SearchEntry.objects.filter(kind=KINDS[model], object_id__in=list(pks))
    ids = list(entries.values_list("pk", flat=True))
    if ids:
        backend().delete(ids)
        SearchEntry.objects.filter(pk__in=ids).delete()


def rebuild() -> int:
    """Write every entry again, from nothing, ``BATCH`` objects at a time; return how many
    entries there are."""
    with transaction.atomic():
        backend().delete_all()
        SearchEntry.objects.all().delete()
        for model in KINDS:
            queryset = model._default_manager.order_by("pk").prefetch_related(
                *RELATED.get(model, ())
            )
            last = 0
            while batch := list(queryset.filter(pk__gt=last)[:BATCH]):
                _write(batch)
                last = batch[-1].pk
        backend().rebuilt()
        # What changed with no signal of a page's rows (an update() in the shell, say) shows.
        pages_changed()
    return SearchEntry.objects.count()


# Keeping in step
# ------------------------------------------------------------------------------


def _saved(sender, instance, raw=False, **kwargs):
    if not raw:  # Fixtures: ``rebuild`` follows.
        index_objects([instance])


def _deleted(sender, instance, **kwargs):
    remove(sender, [instance.pk])


def _part_saved(sender, instance, raw=False, **kwargs):
    """A key figure, award or contact: its cluster's entry (unless the cluster is being deleted)."""
    if not raw and Cluster.objects.filter(pk=instance.cluster_id).exists():
        index_objects([Cluster.objects.get(pk=instance.cluster_id)])


def _area_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        index_objects(instance.clusters.all())


def _links_changed(sender, instance, action, reverse, pk_set, model, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not reverse:
        index_objects([instance])
    elif pk_set:
        index_objects(model._default_manager.filter(pk__in=pk_set))


# Migrations that change what entries hold. The entries are written by the models of the code,
# which need every column of the last migration: so once ``migrate`` is done, not inside them.
REBUILT_AFTER = {("clusters", "0014_search_languages")}


def _migrated(sender, plan=None, using=DEFAULT_DB_ALIAS, **kwargs):
    """Write the index again if ``migrate`` applied one of ``REBUILT_AFTER`` (not unapplied)."""
    if using == DEFAULT_DB_ALIAS and any(
        (migration.app_label, migration.name) in REBUILT_AFTER and not backwards
        for migration, backwards in plan or ()
    ):
        rebuild()


def connect() -> None:
    """Keep the entries in step with every save and delete of what they show, and migrations."""
    for model in KINDS:
        post_save.connect(_saved, sender=model, dispatch_uid=f"search_saved_{model.__name__}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"search_gone_{model.__name__}")
    for model in (KeyFigure, Award, Contact):
        for signal in (post_save, post_delete):
            signal.connect(_part_saved, sender=model, dispatch_uid=f"search_{model.__name__}")
    post_save.connect(_area_saved, sender=FocusArea, dispatch_uid="search_focus_area")
    for through in (Cluster.focus_areas.through, Post.clusters.through):
        m2m_changed.connect(_links_changed, sender=through, dispatch_uid=f"search_{through}")
    post_migrate.connect(
        _migrated, sender=apps.get_app_config("clusters"), dispatch_uid="search_migrated"
    )
