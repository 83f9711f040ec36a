"""Images at the size they are shown: ``{% picture %}`` for a file field, ``|responsive_images``."""

from django import template
from django.utils.safestring import mark_safe

from clusters import renditions

register = template.Library()

SIZES = {"body": renditions.BODY_SIZES, "column": renditions.COLUMN_SIZES}


@register.simple_tag
def picture(file, alt, sizes="column", css_class="", width=None, lazy=True):
    """Render an uploaded image (an ImageField's file) as a ``<picture>`` of its renditions.

    ``sizes`` is "body", "column" or a ``sizes`` attribute of its own ("240px").
    """
    if not file:
        return ""
    return renditions.picture_html(
        file.name,
        alt=alt,
        sizes=SIZES.get(sizes, sizes),
        css_class=css_class,
        width=width,
        lazy=lazy,
    )


@register.filter
def responsive_images(body):
    """Serve each uploaded image of a (sanitised) body from its renditions."""
    return mark_safe(renditions.responsive_body(body))
