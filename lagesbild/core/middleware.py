"""Cache-Control for what no shared cache may keep.

Staff pages and exports (a plan's CSV, a draft's PDF, the accounts pages) hold what is not
public; a proxy or a shared browser that keeps them shows them to the next person. So every
answer to a logged-in user, and every answer on a page that is not public, says
`Cache-Control: private, no-store`. Public pages seen anonymously keep whatever caching their
views give them.
"""

# The pages anyone may read without logging in (docs/roles.md), by URL name or namespace. A page
# not named here is private: a new page is safe until it is named.
PUBLIC_NAMESPACES = {
    "public",
    "civic",
    "api",
}  # their staff-only pages are refused to anonymous users
PUBLIC_URL_NAMES = {
    "core:home",
    "policy:list",
    "policy:detail",
    "policy:version",
    "policy:compare",
    "policy:export",
    "reports:index",
    "reports:published",
    "reports:published_download",
    "plan:list",
    "plan:public",
}


def is_public_page(request):
    match = getattr(request, "resolver_match", None)
    if match is None:  # no page (404 before any view): nothing to cache either
        return False
    return match.namespace in PUBLIC_NAMESPACES or match.view_name in PUBLIC_URL_NAMES


class PrivateCacheControlMiddleware:
    """`Cache-Control: private, no-store` on every answer but anonymous public pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        logged_in = user is not None and user.is_authenticated
        if logged_in or not is_public_page(request):
            response["Cache-Control"] = "private, no-store"
        return response
