"""Rate limits for public forms and the API: one small, cache-based helper.

Decorate a function view with a named limit from settings.RATELIMITS:

    from lagesbild.core.ratelimit import ratelimit

    @ratelimit("form")                 # counts POSTs only (default)
    def propose_event(request): ...

    @ratelimit("api", methods=None)    # counts every request
    def api_view(request): ...

or call `over_limit(request, "api")` where a decorator does not fit (e.g. in a django-ninja
route: `if over_limit(request, "api"): raise HttpError(429, ...)`). Requests are counted per
client address (per user when logged in) in fixed windows; over the limit the answer is 429
with Retry-After. The counts live in the cache named by settings.RATELIMIT_CACHE (the "shared"
file cache, so all gunicorn workers on the host count together).
"""

import functools
import time

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils.translation import gettext as _


def client_ip(request):
    """The client's address: REMOTE_ADDR, or the header the reverse proxy sets.

    Behind nginx set LAGESBILD_CLIENT_IP_HEADER=HTTP_X_REAL_IP (and `proxy_set_header X-Real-IP
    $remote_addr`): only a header the proxy overwrites can be trusted.
    """
    header = getattr(settings, "CLIENT_IP_HEADER", "")
    if header and request.META.get(header):
        return request.META[header].split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def counter_cache():
    """The cache holding the counts (settings.RATELIMIT_CACHE): shared by all worker processes."""
    name = getattr(settings, "RATELIMIT_CACHE", "default")
    return caches[name if name in settings.CACHES else "default"]


def limit_for(scope):
    """(requests, seconds) of a named limit."""
    return settings.RATELIMITS[scope]


def _key(request, scope, window_start):
    user = getattr(request, "user", None)
    who = f"u{user.pk}" if user is not None and user.is_authenticated else client_ip(request)
    return f"ratelimit:{scope}:{who}:{window_start}"


def over_limit(request, scope):
    """Count this request; return seconds to wait if it is over the limit, else 0."""
    if not getattr(settings, "RATELIMIT_ENABLED", True):
        return 0
    limit, window = limit_for(scope)
    now = int(time.time())
    start = now - now % window
    key = _key(request, scope, start)
    cache = counter_cache()
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 1)
        count = 1
    return (start + window - now) or 1 if count > limit else 0


def too_many_requests(retry_after):
    response = HttpResponse(
        _("För många förfrågningar. Försök igen om %(seconds)s sekunder.")
        % {"seconds": retry_after},
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(retry_after)
    return response


def ratelimit(scope, methods=("POST",)):
    """Limit a view by the named limit; methods=None counts every request."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if methods is None or request.method in methods:
                wait = over_limit(request, scope)
                if wait:
                    return too_many_requests(wait)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
