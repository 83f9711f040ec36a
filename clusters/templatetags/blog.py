from django import template
from django.db.models import Count, Q

from bioxclusters.pagecache import remembered
from clusters.models import Category, Post

register = template.Library()


def _sidebar() -> dict:
    published = Post.objects.published()
    categories = (
        Category.objects.annotate(
            post_count=Count("posts", filter=Q(posts__in=published.values("pk")))
        )
        .filter(post_count__gt=0)
        .order_by("name")
    )
    months = published.dates("published_at", "month", order="DESC")
    return {"categories": list(categories), "months": list(months)}


@register.inclusion_tag("clusters/tags/blog_sidebar.html")
def blog_sidebar():
    """Render the blog's categories (with post counts), monthly archives and feeds.

    Kept in the shared cache until the content changes (``remembered``).
    """
    return remembered("blog-sidebar", _sidebar)
