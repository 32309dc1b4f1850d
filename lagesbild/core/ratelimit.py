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
with Retry-After.

A count must be atomic, or concurrent requests all read the same count and all pass. Where the
cache named by settings.RATELIMIT_CACHE is Redis (LAGESBILD_CACHE_URL), its INCR is atomic and
shared by every application server, so the count lives there. Any other cache (the file cache
does incr as get + set; local memory is one process's) counts in the database instead, in one
atomic upsert: the database is the one thing every worker and every server already shares.
"""

import datetime
import functools
import logging
import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from redis.exceptions import RedisError

log = logging.getLogger(__name__)


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
    """The cache named by settings.RATELIMIT_CACHE (the "default" one if it is not configured)."""
    name = getattr(settings, "RATELIMIT_CACHE", "default")
    return caches[name if name in settings.CACHES else "default"]


def _count_in_cache(cache, key, window):
    """Count with the cache's atomic INCR (Redis): add() creates the key only if it is absent."""
    cache.add(key, 0, timeout=window + 1)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr: this request starts a new count
        cache.set(key, 1, timeout=window + 1)
        return 1


def _count_in_database(key, window_end):
    """Count with one statement, atomic on SQLite (3.35+) and PostgreSQL: insert the window's
    row or add one to it, and return the new count."""
    from .models import RateCounter

    table = connection.ops.quote_name(RateCounter._meta.db_table)
    key_col, count_col = connection.ops.quote_name("key"), connection.ops.quote_name("count")
    expires_col = connection.ops.quote_name("expires")
    expires = datetime.datetime.fromtimestamp(window_end, tz=datetime.UTC)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({key_col}, {count_col}, {expires_col}) VALUES (%s, 1, %s) "
            f"ON CONFLICT ({key_col}) DO UPDATE SET {count_col} = {table}.{count_col} + 1 "
            f"RETURNING {count_col}",
            [key[:200], expires],
        )
        count = cursor.fetchone()[0]
    if count == 1:  # a new window: drop the rows of windows that have ended
        RateCounter.objects.filter(expires__lt=timezone.now()).delete()
    return count


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
    if isinstance(cache, RedisCache):
        try:
            count = _count_in_cache(cache, key, window)
        except RedisError as e:  # Redis down: still limit, in the database every server shares
            log.warning("rate limit %s: the shared cache is unreachable (%s)", scope, e)
            count = _count_in_database(key, start + window)
    else:
        count = _count_in_database(key, start + window)
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
