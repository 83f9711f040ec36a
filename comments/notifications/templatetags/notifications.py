"""``{% privacy_notice_url as url %}``: the address of the privacy notice page, if published.

The content app says where the notice is (``registry.register_privacy_notice``). Every comment
form shows the link, so the address is kept in the cache rather than looked up per page view.
The content app forgets it when a page is saved, deleted, published or made a draft
(``forget_privacy_notice_url``); a scheduled notice's time coming shows within
``PRIVACY_NOTICE_CACHE_SECONDS``.
"""

from django import template
from django.core.cache import cache
from django.db import transaction

from comments import registry

register = template.Library()

PRIVACY_NOTICE_CACHE_KEY = "notifications:privacy-notice-url"
PRIVACY_NOTICE_CACHE_SECONDS = 300


@register.simple_tag
def privacy_notice_url() -> str:
    """Return the address of the privacy notice, or "" if there is none."""
    return cache.get_or_set(
        PRIVACY_NOTICE_CACHE_KEY, registry.find_privacy_notice_url, PRIVACY_NOTICE_CACHE_SECONDS
    )


def forget_privacy_notice_url() -> None:
    """Drop the cached address (the notice may have changed): the next form looks it up anew.

    Again after the commit: a form rendered meanwhile may have cached what was there before.
    """
    cache.delete(PRIVACY_NOTICE_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(PRIVACY_NOTICE_CACHE_KEY), robust=True)
