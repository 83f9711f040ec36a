"""Template tag for the ``<head>``: ``{% linkback_discovery %}``."""

from django import template

register = template.Library()


@register.inclusion_tag("linkbacks/tags/discovery.html", takes_context=True)
def linkback_discovery(context):
    """Render the pingback and webmention ``<link>`` elements and the trackback RDF.

    Renders nothing unless the view put ``linkback_endpoints`` in the context (see
    ``comments.linkbacks.advertise``), so pages that take no linkbacks advertise none.
    """
    return {"endpoints": context.get("linkback_endpoints")}
