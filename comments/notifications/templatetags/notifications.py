"""``{% privacy_notice_url as url %}``: the address of the privacy notice page, if published.

Every comment form shows the link, so the address is kept in the cache rather than looked up
per page view. Saving or deleting any page forgets it (``forget_privacy_notice_url``, connected
in ``NotificationsConfig.ready``); what no signal tells, a list action's bulk update or a
scheduled notice's time coming, shows within ``PRIVACY_NOTICE_CACHE_SECONDS``.
"""

from django import template
from django.core.cache import cache
from django.db import transaction

from clusters.models import Page

register = template.Library()

PRIVACY_NOTICE_SLUG = "privacy"
PRIVACY_NOTICE_CACHE_KEY = "notifications:privacy-notice-url"
PRIVACY_NOTICE_CACHE_SECONDS = 300


def _find_privacy_notice_url() -> str:
    page = Page.objects.published().filter(slug=PRIVACY_NOTICE_SLUG).only("slug").first()
    return page.get_absolute_url() if page else ""


@register.simple_tag
def privacy_notice_url() -> str:
    """Return the address of the published page with slug ``privacy``, or "" if there is none."""
    return cache.get_or_set(
        PRIVACY_NOTICE_CACHE_KEY, _find_privacy_notice_url, PRIVACY_NOTICE_CACHE_SECONDS
    )


def forget_privacy_notice_url(**kwargs) -> None:
    """Drop the cached address (a page was saved or deleted): the next form looks it up anew.

    Again after the commit: a form rendered meanwhile may have cached what was there before.
    """
    cache.delete(PRIVACY_NOTICE_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(PRIVACY_NOTICE_CACHE_KEY), robust=True)
