"""The HTTP layer both statistics clients share: retries, a time budget, answer checks.

Retries: HTTP 429 (waiting as long as Retry-After says), 5xx and timeouts/connection errors,
with exponential backoff, at most `attempts` tries and never past the client's total time
budget. Anything else that is wrong (4xx, a body that is not JSON, truncated JSON, the wrong
content type) raises SourceError at once with the URL in the message: retrying would not help.
"""

import email.utils
import json
import threading
import time

import httpx

RETRY_STATUS = {429, 500, 502, 503, 504}
BACKOFF = 0.5  # seconds before the first retry; doubles each time


class SourceError(Exception):
    """A source answered in a way we cannot use; the message names the source and the URL."""

    def __init__(self, message, status=None, url=""):
        super().__init__(message)
        self.status = status
        self.url = url


def _retry_after(response):
    """Seconds the server asks us to wait (delta-seconds or an HTTP date), or None."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value)
        if parsed is None:
            return None
        return max(0.0, parsed.timestamp() - time.time())


class JsonHttp:
    """GET/POST returning parsed JSON, with retries inside a total time budget."""

    def __init__(
        self,
        name,
        client=None,
        timeout=30.0,
        attempts=5,
        backoff=None,
        budget=600.0,
        sleep=time.sleep,
        clock=time.monotonic,
    ):
        self.name = name
        self.client = client or httpx.Client(
            timeout=timeout, headers={"User-Agent": "lagesbild (statistik)"}
        )
        self.attempts = attempts
        self.backoff = BACKOFF if backoff is None else backoff
        self.budget = budget
        self.sleep = sleep
        self.clock = clock
        self.started = clock()
        self.requests = 0
        self._lock = threading.Lock()  # the Kolada client calls from several threads

    def _wait(self, seconds, url, why):
        left = self.budget - (self.clock() - self.started)
        if seconds > left:
            raise SourceError(
                f"{self.name}: gav upp efter {why}; tidsgränsen ({self.budget:.0f} s) räcker "
                f"inte för att vänta {seconds:.0f} s till. Försök igen senare. ({url})",
                url=url,
            )
        self.sleep(seconds)

    def request(self, method, url, **kwargs):
        """The answer's (text, parsed JSON, response)."""
        last = ""
        for attempt in range(1, self.attempts + 1):
            with self._lock:
                self.requests += 1
            try:
                response = self.client.request(method, url, **kwargs)
            except (httpx.TimeoutException, httpx.TransportError) as e:
                last = f"{type(e).__name__} ({e})" if str(e) else type(e).__name__
                if attempt < self.attempts:
                    self._wait(self.backoff * 2 ** (attempt - 1), url, last)
                continue
            if response.status_code in RETRY_STATUS:
                last = f"HTTP {response.status_code}"
                if attempt < self.attempts:
                    wait = _retry_after(response)
                    if wait is None:
                        wait = self.backoff * 2 ** (attempt - 1)
                    self._wait(wait, url, last)
                continue
            if response.status_code >= 400:
                raise SourceError(
                    f"{self.name} svarade HTTP {response.status_code} på {url}: "
                    f"{response.text[:300]}",
                    status=response.status_code,
                    url=url,
                )
            return self._parse(response, url)
        raise SourceError(
            f"{self.name}: inget användbart svar efter {self.attempts} försök ({last}) på {url}",
            url=url,
        )

    def _parse(self, response, url):
        kind = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if kind != "application/json" and not kind.endswith("+json"):
            raise SourceError(
                f"{self.name} svarade med {kind or 'okänd innehållstyp'} i stället för JSON "
                f"på {url}",
                url=url,
            )
        text = response.text
        try:
            return text, json.loads(text), response
        except json.JSONDecodeError as e:
            raise SourceError(
                f"{self.name} svarade med trasig eller avhuggen JSON på {url} "
                f"(rad {e.lineno}, kolumn {e.colno}: {e.msg})",
                url=url,
            ) from None

    def get(self, url, **kwargs):
        return self.request("GET", url, **kwargs)

    def reachable(self, url, timeout=5.0):
        """None when the server at `url` answers at all (any HTTP status), else why not.

        One quick try, no retries: used once before a refresh so that a machine without a
        network hears so within seconds, not once per indicator after minutes of retries.
        """
        try:
            self.client.request("GET", url, timeout=timeout)
        except (httpx.TimeoutException, httpx.TransportError) as e:
            return f"{type(e).__name__} ({e})" if str(e) else type(e).__name__
        return None

    def post(self, url, **kwargs):
        return self.request("POST", url, **kwargs)
