"""Public pages: home, clusters, editor-made pages and the blog with its archives."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.formats import date_format
from django.views.generic import (
    DetailView,
    ListView,
    MonthArchiveView,
    TemplateView,
    YearArchiveView,
)

from bioxclusters.common import display_name
from clusters import europe_map
from clusters.models import Category, Cluster, MetaCluster, Page, Post, Tag
from comments.linkbacks.advertise import AdvertiseLinkbacksMixin
from comments.selectors import with_comment_counts

LATEST_POSTS_ON_HOME = 3
RELATED_POSTS = 3


def post_summaries():
    """Return the published posts with all a summary shows, comment counts included, newest first.

    A list of them costs the same few queries however many posts it shows.
    """
    return with_comment_counts(Post.objects.published().for_list())


def clusters_with_profiles():
    """Return the clusters with everything a full profile shows, in a fixed number of queries."""
    return Cluster.objects.for_cards().prefetch_related("key_figures", "awards", "contacts")


class HomeView(TemplateView):
    template_name = "clusters/home.html"

    def get_context_data(self, **kwargs):
        clusters = list(Cluster.objects.for_cards())
        return super().get_context_data(
            meta_cluster=MetaCluster.load(),
            clusters=clusters,
            map=europe_map.build(clusters),
            latest_posts=post_summaries()[:LATEST_POSTS_ON_HOME],
            **kwargs,
        )


class ClusterListView(ListView):
    template_name = "clusters/cluster_list.html"
    context_object_name = "clusters"

    def get_queryset(self):
        return Cluster.objects.for_cards()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["map"] = europe_map.build(context["clusters"])
        return context


class ClusterDetailView(AdvertiseLinkbacksMixin, DetailView):
    template_name = "clusters/cluster_detail.html"
    context_object_name = "cluster"

    def get_queryset(self):
        return clusters_with_profiles()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            posts=post_summaries().for_cluster(self.object)[:10], **kwargs
        )


class PreviewMixin:
    """Show the public published entries; staff who may edit them also see drafts and scheduled."""

    model = None

    def get_queryset(self):
        permission = f"clusters.change_{self.model._meta.model_name}"
        if self.request.user.has_perm(permission):
            return self.model.objects.all()
        return self.model.objects.published()

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if not self.object.is_live:
            # A preview must never be kept by a cache and shown to the public later.
            add_never_cache_headers(response)
        return response


class PageDetailView(AdvertiseLinkbacksMixin, PreviewMixin, DetailView):
    """Show a page, with the template ``clusters/page_<slug>.html`` if one exists."""

    model = Page
    context_object_name = "page"

    def get_template_names(self):
        return [f"clusters/page_{self.object.slug}.html", "clusters/page_detail.html"]

    def get_context_data(self, **kwargs):
        if self.object.show_clusters:
            clusters = list(clusters_with_profiles())
            kwargs.update(clusters=clusters, map=europe_map.build(clusters))
        return super().get_context_data(**kwargs)


# Blog
# ------------------------------------------------------------------------------


def archive_feed(kind: str, name: str, key: str) -> dict:
    """Return the name and the RSS and Atom addresses of one archive's feeds."""
    return {
        "name": name,
        "rss": reverse(f"blog:{kind}_feed", args=[key]),
        "atom": reverse(f"blog:{kind}_feed_atom", args=[key]),
    }


class BlogListMixin:
    """The rules every list of posts shares: published only, newest first, ten a page."""

    paginate_by = 10
    allow_empty = True
    context_object_name = "posts"
    template_name = "clusters/post_list.html"
    heading = "Blog"

    def get_posts(self):
        return post_summaries()

    def get_queryset(self):
        return self.get_posts()

    def get_context_data(self, **kwargs):
        kwargs.setdefault("heading", self.heading)
        return super().get_context_data(**kwargs)


class PostListView(BlogListMixin, ListView):
    pass


class CategoryPostListView(BlogListMixin, ListView):
    def get_posts(self):
        self.category = get_object_or_404(Category, slug=self.kwargs["slug"])
        return super().get_posts().filter(categories=self.category)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=f"Category: {self.category.name}",
            category=self.category,
            feed=archive_feed("category", self.category.name, self.category.slug),
            **kwargs,
        )


class TagPostListView(BlogListMixin, ListView):
    def get_posts(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return super().get_posts().filter(tags=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=f"Tag: {self.tag.name}",
            feed=archive_feed("tag", self.tag.name, self.tag.slug),
            **kwargs,
        )


class AuthorPostListView(BlogListMixin, ListView):
    def get_posts(self):
        self.author = get_object_or_404(get_user_model(), username=self.kwargs["username"])
        return super().get_posts().filter(author=self.author)

    def get_context_data(self, **kwargs):
        name = display_name(self.author)
        return super().get_context_data(
            heading=f"Author: {name}",
            feed=archive_feed("author", name, self.author.get_username()),
            **kwargs,
        )


class DateArchiveMixin(BlogListMixin):
    date_field = "published_at"
    make_object_list = True
    month_format = "%m"
    allow_future = False


class YearPostListView(DateArchiveMixin, YearArchiveView):
    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=f"Year: {self.get_year()}", **kwargs)


class MonthPostListView(DateArchiveMixin, MonthArchiveView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["heading"] = f"Month: {date_format(context['month'], 'YEAR_MONTH_FORMAT')}"
        return context


class PostDetailView(AdvertiseLinkbacksMixin, PreviewMixin, DetailView):
    model = Post
    context_object_name = "post"
    template_name = "clusters/post_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("author")
            .prefetch_related("categories", "tags", "clusters")
        )

    def get_context_data(self, **kwargs):
        published = Post.objects.published()
        return super().get_context_data(
            previous_post=published.before(self.object).first(),
            next_post=published.after(self.object).first(),
            related_posts=published.related_to(self.object)[:RELATED_POSTS],
            **kwargs,
        )

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if request.path != self.object.get_absolute_url():
            # The slug is unique: a wrong year or month in the address leads to the right one.
            return redirect(self.object, permanent=True)
        return self.render_to_response(self.get_context_data(object=self.object))


def robots_txt(request):
    """Serve robots.txt: everything but the admin, and where the sitemap is."""
    return render(
        request,
        "robots.txt",
        {"sitemap_url": f"{settings.SITE_URL}/sitemap.xml"},
        content_type="text/plain; charset=utf-8",
    )


# WordPress's standard addresses (clusters/urls/wordpress.py)
# ------------------------------------------------------------------------------


def old_term_address(request, model, slug):
    """Redirect a WordPress category or tag address to its archive here."""
    return redirect(get_object_or_404(model, slug=slug), permanent=True)


def old_author_address(request, username):
    """Redirect a WordPress author address to the author's archive here."""
    author = get_object_or_404(get_user_model(), username=username)
    return redirect("blog:author", username=author.get_username(), permanent=True)


def old_post_address(request, year, month, slug):
    """Redirect a WordPress permalink (/yyyy/mm/dd/slug/) to the post of that slug."""
    return redirect(get_object_or_404(Post.objects.published(), slug=slug), permanent=True)
