"""The search entries, kept in step with the content they show.

Every save or delete of a post, page, cluster (its key figures, contacts and focus areas
included), category or tag rewrites or removes its entry in the same transaction (``connect``).
Saves are the boundary, not the publish service: a post's clusters and a cluster's contacts,
key figures and focus areas are written after the service's save (the admin's inlines and
many-to-many fields), as are categories, tags, restored versions and the importer's terms, and a
delete cascades through the ORM alone; the content's own signals are what every one of those
doors sends. The publish service's bulk updates send none, so they call ``index_objects``.
Entries are written in batches (``_write``: a bulk insert, then one statement for the text
index); ``rebuild`` writes them all again, ``BATCH`` at a time: ``manage.py
rebuild_search_index``, the seed and the WordPress importer run it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from bioxclusters.bad_input import xml_safe
from bioxclusters.pagecache import pages_changed
from clusters.html import full_text
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
BATCH = 500


def _text(value: str) -> str:
    # Without control characters: the snippets' markers are two of them (query.START, STOP).
    return xml_safe(value).replace("\x7f", "")


def _fields(obj) -> dict:
    """Return the entry's fields for ``obj`` (its related rows prefetched or fetched)."""
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
        parts += [area.name for area in obj.focus_areas.all()]
        parts += [f"{figure.label}: {figure.value}" for figure in obj.key_figures.all()]
        parts += [str(award) for award in obj.awards.all()]
        parts += [" ".join((c.name, c.role)) for c in obj.contacts.all()]
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


def _clusters(obj) -> list[int]:
    if isinstance(obj, Cluster):
        return [obj.pk]
    if isinstance(obj, Post):
        return [cluster.pk for cluster in obj.clusters.all()]
    return []


def _entry(obj) -> SearchEntry:
    fields = {
        name: _text(value) if isinstance(value, str) else value
        for name, value in _fields(obj).items()
    }
    return SearchEntry(
        kind=KINDS[type(obj)],
        object_id=obj.pk,
        **{**fields, "title": fields["title"][:250]},
        url=obj.get_absolute_url(),
    )


def _write(objects: list) -> None:
    """Write new entries for ``objects`` (which have none): a few statements for them all."""
    entries = SearchEntry.objects.bulk_create([_entry(obj) for obj in objects])
    links = SearchEntry.clusters.through
    links.objects.bulk_create(
        links(searchentry_id=entry.pk, cluster_id=cluster)
        for obj, entry in zip(objects, entries, strict=True)
        for cluster in _clusters(obj)
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
    """Remove the entries of ``model``'s objects ``pks``."""
    entries = SearchEntry.objects.filter(kind=KINDS[model], object_id__in=list(pks))
    ids = list(entries.values_list("pk", flat=True))
    if ids:
        backend().delete(ids)
        SearchEntry.objects.filter(pk__in=ids).delete()


def _prefetched(model):
    queryset = model._default_manager.order_by("pk")
    if model is Cluster:
        return queryset.prefetch_related("focus_areas", "key_figures", "awards", "contacts")
    if model is Post:
        return queryset.prefetch_related("clusters")
    return queryset


def rebuild() -> int:
    """Write every entry again, from nothing, ``BATCH`` at a time; return how many there are."""
    with transaction.atomic():
        backend().delete_all()
        SearchEntry.objects.all().delete()
        for model in KINDS:
            queryset = _prefetched(model)
            last = 0
            while batch := list(queryset.filter(pk__gt=last)[:BATCH]):
                _write(batch)
                last = batch[-1].pk
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


def connect() -> None:
    """Keep the entries in step with every save and delete of what they show."""
    for model in KINDS:
        post_save.connect(_saved, sender=model, dispatch_uid=f"search_saved_{model.__name__}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"search_gone_{model.__name__}")
    for model in (KeyFigure, Award, Contact):
        for signal in (post_save, post_delete):
            signal.connect(_part_saved, sender=model, dispatch_uid=f"search_{model.__name__}")
    post_save.connect(_area_saved, sender=FocusArea, dispatch_uid="search_focus_area")
    for through in (Cluster.focus_areas.through, Post.clusters.through):
        m2m_changed.connect(_links_changed, sender=through, dispatch_uid=f"search_{through}")
