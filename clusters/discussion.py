"""What the content offers the comments app: the discussable models and the privacy notice."""

from comments import registry
from comments.notifications.templatetags.notifications import forget_privacy_notice_url

PRIVACY_NOTICE_SLUG = "privacy"


def _privacy_notice_url() -> str:
    from clusters.models import Page

    page = Page.objects.published().filter(slug=PRIVACY_NOTICE_SLUG).only("slug").first()
    return page.get_absolute_url() if page else ""


def register() -> None:
    """Register posts, pages and cluster profiles with the comments app (``ClustersConfig``)."""
    from clusters.models import Cluster, Page, Post

    registry.register(
        Post,
        live=Post.objects.published,
        detail_view="blog:post_detail",
        closes_with_age=True,  # As WordPress's ``close_comments_for_post_types``.
        has_feed=True,
        sends_linkbacks=True,
        announced=True,
    )
    registry.register(Page, live=Page.objects.published, detail_view="clusters:page_detail")
    registry.register(Cluster, live=Cluster.objects.all, detail_view="clusters:cluster_detail")
    registry.register_privacy_notice(_privacy_notice_url)


def forget_privacy_notice(**kwargs) -> None:
    """Drop the cached address of the privacy notice (a page was saved or deleted)."""
    forget_privacy_notice_url()
