"""``{% privacy_notice_url as url %}``: the address of the privacy notice page, if published."""

from django import template

from clusters.models import Page

register = template.Library()

PRIVACY_NOTICE_SLUG = "privacy"


@register.simple_tag
def privacy_notice_url() -> str:
    """Return the address of the published page with slug ``privacy``, or "" if there is none."""
    page = Page.objects.published().filter(slug=PRIVACY_NOTICE_SLUG).only("slug").first()
    return page.get_absolute_url() if page else ""
