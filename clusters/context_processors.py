from django.conf import settings

from clusters.models import Page


def site(request):
    """Give every template the site's name and address and the pages of the main menu."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "menu_pages": Page.objects.published()
        .filter(menu_order__isnull=False)
        .order_by("menu_order")
        .only("title", "slug"),
    }
