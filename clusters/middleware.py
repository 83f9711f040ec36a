"""Answer the old addresses of the redirect table (``clusters.redirects``) with a 301."""

from django.http import HttpResponsePermanentRedirect

from clusters import redirects


class RedirectMiddleware:
    """Redirect an old address to its new one: a query address always, any other on a 404.

    Django's own ``RedirectFallbackMiddleware`` acts on 404s only, but ``/?p=123`` is the home
    page, a 200: an address whose query is in the table is answered before any view runs. Last in
    ``MIDDLEWARE``, so that it sees a view's 404 before ``CommonMiddleware`` appends a slash.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        if request.META.get("QUERY_STRING"):
            target = redirects.redirect_for(request.get_full_path(), with_query_only=True)
            if target:
                return HttpResponsePermanentRedirect(target)
        response = self.get_response(request)
        if response.status_code == 404:
            target = redirects.redirect_for(request.path)
            if target:
                return HttpResponsePermanentRedirect(target)
        return response
