from django.conf import settings
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from bioxclusters.pagecache import remembered
from clusters.menus import menus
from clusters.models import Page


def _menu_pages() -> list[Page]:
    return list(
        Page.objects.published()
        .filter(menu_order__isnull=False)
        .order_by("menu_order")
        .only("title", "slug")
    )


def site(request):
    """Give every template the site's name and address and its menus.

    ``menus.main`` and ``menus.footer`` are lists of ``(item, children)``; while the main menu
    has no items, the header shows ``menu_pages`` (pages with a menu order) between its own links.
    Both are built when a template first reads them, never for a feed or a file, and kept in the
    shared cache until the content changes (``remembered``): their addresses are the language's.
    """
    language = get_language()
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "menus": SimpleLazyObject(lambda: remembered(f"menus:{language}", menus)),
        "menu_pages": SimpleLazyObject(lambda: remembered("menu-pages", _menu_pages)),
    }
