"""Versions of the content (django-reversion): recording them outside a form, and comparing two.

Every model registered in ``clusters.models`` gets a version on each save made inside
``reversion.create_revision()`` (the admin's forms do this). Work that changes rows without a
form (the list's bulk actions, an import) runs inside ``versions_kept``.

A comparison turns each version into sections of text lines (the plain fields, each rich-text
body, each kind of inline row) and puts the lines of two versions side by side with difflib.
"""

import difflib
import html
import re
from contextlib import contextmanager
from dataclasses import dataclass

import reversion
from django.db import models
from django.utils import dateformat
from django.utils.formats import localize
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django_prose_editor.fields import ProseEditorField
from reversion.models import Version

from bioxclusters.common import display_name
from clusters.languages import translated_fields

# What a version says that an editor does not write.
IGNORED_FIELDS = {"id", "created_at", "updated_at"}
_BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|blockquote|figcaption|tr|pre)>|<br\s*/?>", re.I)
_IMAGE = re.compile(r"<img\b[^>]*?(?:alt=\"([^\"]*)\")?[^>]*>", re.I)


@contextmanager
def versions_kept(*, user=None, comment: str):
    """Keep one revision of what is saved inside the block, and of what ``keep`` is given.

    For changes made without a form (the bulk actions, an import): ``update()`` saves nothing
    that django-reversion sees, so the block calls ``keep(objects)`` once they are changed.
    """

    def keep(objects):
        for obj in objects:
            reversion.add_to_revision(obj)

    with reversion.create_revision():
        reversion.set_comment(comment)
        if user is not None:
            reversion.set_user(user)
        yield keep


def versions_of(obj):
    """Return the versions of ``obj``, newest first, with who made each."""
    return (
        Version.objects.get_for_object(obj)
        .select_related("revision__user")
        .order_by("-revision__date_created", "-pk")
    )


def latest_version_id(obj) -> int | None:
    """Return the id of the newest version of ``obj``, or None if it has none."""
    if obj is None or obj.pk is None:
        return None
    return versions_of(obj).values_list("pk", flat=True).first()


def followed(model) -> tuple[str, ...]:
    """Return the relations whose rows each version of ``model`` keeps (its inline rows)."""
    # The options django-reversion's own admin reads; there is no public accessor.
    return tuple(reversion.revisions._get_options(model).follow)


def _image_named(alt: str) -> str:
    return _("image: %(alt)s") % {"alt": alt or _("no alt text")}


def html_lines(value: str) -> list[str]:
    """Return rich text as one line of plain text per paragraph, heading or list item."""
    value = _IMAGE.sub(lambda m: f" [{_image_named(m.group(1))}] ", value or "")
    lines = (" ".join(html.unescape(strip_tags(part)).split()) for part in _BLOCK_END.split(value))
    return [line for line in lines if line]


def _display(field, value) -> str:
    """Return a stored value as the editor would read it in the form."""
    if value in (None, ""):
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(field, models.ForeignKey):
        target = field.related_model._default_manager.filter(pk=value).first()
        return str(target) if target else _("#%(pk)s (deleted)") % {"pk": value}
    if isinstance(field, models.ManyToManyField):
        names = field.related_model._default_manager.filter(pk__in=value)
        return ", ".join(sorted(str(name) for name in names)) or "—"
    if isinstance(field, models.DateTimeField) and hasattr(value, "tzinfo"):
        return localize(localtime(value))
    return str(value)


@dataclass
class Section:
    """A part of a version shown on its own in a comparison: a heading and lines of text."""

    title: str
    lines: list[str]


def sections(model, field_values: dict, rows: dict[str, list] | None = None) -> list[Section]:
    """Return the sections of one state of ``model``: fields, then bodies, then inline rows.

    ``field_values`` maps attribute names to values, as ``Version.field_dict`` does; ``rows``
    maps a followed relation's name to the child objects it had (None: leave the rows out).
    """
    plain, bodies = [], []
    # A translated field is shown by its columns, one per language ("Body [fr]").
    skipped = IGNORED_FIELDS | translated_fields(model)
    for field in [*model._meta.concrete_fields, *model._meta.many_to_many]:
        if field.name in skipped or field.attname not in field_values:
            continue
        value = field_values[field.attname]
        if isinstance(field, ProseEditorField):
            bodies.append(Section(capfirst(field.verbose_name), html_lines(value)))
        else:
            plain.append(f"{capfirst(field.verbose_name)}: {_display(field, value)}")
    result = [Section(_("Fields"), plain), *bodies]
    for name in followed(model) if rows is not None else ():
        related = model._meta.get_field(name).related_model
        children = sorted(rows.get(name, []), key=lambda row: (row.sort_order, row.pk))
        title = capfirst(related._meta.verbose_name_plural)
        result.append(Section(title, [str(child) for child in children]))
    return result


def version_sections(version: Version, *, with_rows: bool = True) -> list[Section]:
    """Return the sections of the state ``version`` kept, with the inline rows of its revision."""
    model = version._model
    if not with_rows:
        return sections(model, version.field_dict)
    rows = {}
    siblings = list(version.revision.version_set.all())
    for name in followed(model):
        field = model._meta.get_field(name)
        rows[name] = [
            sibling._object_version.object
            for sibling in siblings
            if sibling._model is field.related_model
            and str(getattr(sibling._object_version.object, field.field.attname))
            == version.object_id
        ]
    return sections(model, version.field_dict, rows)


@dataclass
class Difference:
    """One section of two states side by side: its title, whether it changed, the table."""

    title: str
    changed: bool
    table: str


def compare(old: list[Section], new: list[Section], old_label: str, new_label: str):
    """Return each section of two states side by side, with difflib's marks on what changed."""
    differ = difflib.HtmlDiff(wrapcolumn=60)
    result = []
    for before, after in zip(old, new, strict=True):
        # difflib escapes the text it puts in its table, and writes no inline style; its
        # non-breaking spaces would stop long lines wrapping (the CSS keeps spaces instead).
        table = differ.make_table(
            before.lines, after.lines, old_label, new_label, context=True, numlines=3
        )
        table = table.replace("&nbsp;", " ")
        result.append(Difference(before.title, before.lines != after.lines, mark_safe(table)))
    return result


def version_label(version: Version) -> str:
    """Return how a version is named in a comparison: its date and who saved it."""
    user = version.revision.user
    who = display_name(user) if user else _("someone")
    when = dateformat.format(localtime(version.revision.date_created), "j M Y, H:i:s")
    return _("%(when)s, %(who)s") % {"when": when, "who": who}
