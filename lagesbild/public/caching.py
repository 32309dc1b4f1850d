"""Cached public list pages, invalidated on every edit of public content.

A page is cached per content version, language, day, municipality, host and full path (with
its query). The host is in the key because
several sites (one municipality's name each, say) may be served by the same processes: a page
rendered for one host must never be served for another, with its absolute links.

The version is a counter in the "shared" cache (a file cache by default, so every server
process on the host sees an edit at once, without opening a database connection on a cache
hit); a signal raises it on every save or delete of public content, and again when the
transaction commits, so a page rendered from the old data in between is never kept under the
new version. The pages themselves sit in the
process's default cache. Only anonymous GETs without pending messages are cached: those pages
hold no CSRF token and nothing personal.
"""

import hashlib
import logging
from functools import wraps

from django.contrib import messages
from django.core.cache import cache, caches
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import get_language
from redis.exceptions import RedisError

TIMEOUT = 600
VERSION_KEY = "public:content-version"


log = logging.getLogger(__name__)


def content_version():
    """The shared counter, or None when the shared cache (Redis) cannot be reached: the pages
    are then rendered for every request, never served from or kept in a cache."""
    try:
        return caches["shared"].get(VERSION_KEY, 0)
    except RedisError as e:
        log.warning("public page cache off: the shared cache is unreachable (%s)", e)
        return None


def bump_version(*args, **kwargs):
    shared = caches["shared"]
    try:
        shared.add(VERSION_KEY, 0, None)
        try:
            shared.incr(VERSION_KEY)
        except ValueError:  # removed in between
            shared.set(VERSION_KEY, 1, None)
    except RedisError as e:
        # The edit itself is saved; pages kept before it may be served until they expire
        # (TIMEOUT), as docs/deployment.md says for a Redis outage.
        log.error("public page cache: could not mark an edit (%s)", e)


def on_content_change(sender, **kwargs):
    bump_version()
    transaction.on_commit(bump_version)


def cached_page(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if (
            request.method != "GET"
            or request.user.is_authenticated
            or len(messages.get_messages(request))
        ):
            return view(request, *args, **kwargs)
        # get_host() is checked against ALLOWED_HOSTS (a forged Host header is answered 400).
        version = content_version()
        if version is None:
            return view(request, *args, **kwargs)
        site = getattr(request, "public_site", None)
        address = f"{site.code if site else ''}|{request.get_host()}{request.get_full_path()}"
        path = hashlib.sha256(address.encode()).hexdigest()[:32]
        key = f"public:{version}:{get_language()}:{timezone.localdate()}:{path}"
        hit = cache.get(key)
        if hit is not None:
            content, content_type = hit
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            cache.set(key, (response.content, response["Content-Type"]), TIMEOUT)
        return response

    return wrapper
