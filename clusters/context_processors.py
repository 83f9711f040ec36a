from django.conf import settings
from django.utils.functional import SimpleLazyObject

from clusters.menus import menus
from clusters.models import Page


def site(request):
    """Give every template the site's name and address and its menus.

    ``menus.main`` and ``menus.footer`` are lists of ``(item, children)``; while the main menu
    has no items, the header shows ``menu_pages`` (pages with a menu order) between its own links.
    """
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        # Built when a template first reads it (one query for both), never for a feed or a file.
        "menus": SimpleLazyObject(menus),
        "menu_pages": Page.objects.published()
        .filter(menu_order__isnull=False)
        .order_by("menu_order")
        .only("title", "slug"),
    }
