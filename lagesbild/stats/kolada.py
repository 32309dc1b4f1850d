"""A thin client for Kolada's API v3 (https://api.kolada.se/v3), "Källa: Kolada".

Values: /data/kpi/{kpi ids}/municipality/{municipality ids}/year/{years}, at most 25 ids in
each list, per_page=5000, following `next_url` until it is empty (a next_url already seen is
an error, not an endless loop). Requests run a few at a time (bounded concurrency). Metadata:
/kpi/{ids}, /municipality and /municipality_groups.

An answer page looks like {"count": n, "values": [...], "next_url": "..."}; a data item is
{"kpi", "municipality", "period", "values": [{"gender": "T"|"K"|"M", "count", "status",
"value"}]}. Every page is checked before anything is used; a bad one raises SourceError.
"""

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.conf import settings

from .http import JsonHttp, SourceError

MAX_IDS = 25
PER_PAGE = 5000
MAX_PAGES = 1000


@dataclass
class Page:
    url: str
    text: str
    items: list


def chunks(ids, size=MAX_IDS):
    ids = list(ids)
    return [ids[i : i + size] for i in range(0, len(ids), size)]


class KoladaClient:
    def __init__(self, base_url=None, workers=4, **http):
        self.base_url = (base_url or settings.KOLADA_URL).rstrip("/")
        self.http = JsonHttp("Kolada", **http)
        self.workers = workers

    @property
    def requests(self):
        return self.http.requests

    def pages(self, path, params=None):
        """Every page of a listing, following next_url; returns [Page]."""
        url = f"{self.base_url}{path}"
        params = {"per_page": PER_PAGE, **(params or {})}
        seen, out = set(), []
        while url:
            if url in seen or len(out) >= MAX_PAGES:
                raise SourceError(
                    f"Kolada: next_url leder tillbaka till en sida som redan hämtats ({url}); "
                    "svaret är felaktigt, försök igen senare.",
                    url=url,
                )
            seen.add(url)
            text, data, response = self.http.get(url, params=params)
            params = None  # next_url carries its own query string
            seen.add(str(response.url))
            if not isinstance(data, dict) or not isinstance(data.get("values"), list):
                raise SourceError(f"Kolada: svaret saknar listan 'values' ({url})", url=url)
            out.append(Page(str(response.url), text, data["values"]))
            url = data.get("next_url") or None
        return out

    def data(self, kpis, municipalities, years):
        """Value pages for every combination, at most 25 ids per list, a few requests at once."""
        years = sorted(set(years))
        jobs = [
            f"/data/kpi/{','.join(k)}/municipality/{','.join(m)}/year/{','.join(map(str, y))}"
            for k in chunks(kpis)
            for m in chunks(municipalities)
            for y in chunks(years)
        ]
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            results = list(pool.map(self.pages, jobs))
        pages = [page for result in results for page in result]
        for page in pages:
            check_data_items(page)
        return pages

    def kpis(self, ids):
        return [item for page in self.pages(f"/kpi/{','.join(ids)}") for item in page.items]

    def municipalities(self):
        return [item for page in self.pages("/municipality") for item in page.items]

    def municipality_groups(self):
        return [item for page in self.pages("/municipality_groups") for item in page.items]


def check_data_items(page):
    """Raise SourceError naming the page and item when a data item is not in the v3 shape."""
    for i, item in enumerate(page.items):
        where = f"Kolada: post {i} på {page.url}"
        if not isinstance(item, dict):
            raise SourceError(f"{where} är inte ett objekt", url=page.url)
        for key, kind in (("kpi", str), ("municipality", str), ("period", int), ("values", list)):
            if not isinstance(item.get(key), kind) or isinstance(item.get(key), bool):
                raise SourceError(f"{where}: fältet '{key}' saknas eller har fel typ", url=page.url)
        if "isdeleted" in item and not isinstance(item["isdeleted"], bool):
            raise SourceError(f"{where}: fältet 'isdeleted' är inte true/false", url=page.url)
        for value in item["values"]:
            if not isinstance(value, dict) or value.get("gender") not in ("T", "K", "M"):
                raise SourceError(f"{where}: ett värde saknar kön T/K/M", url=page.url)
            v = value.get("value")
            if v is not None and (isinstance(v, bool) or not isinstance(v, int | float)):
                raise SourceError(f"{where}: värdet {v!r} är inte ett tal", url=page.url)
