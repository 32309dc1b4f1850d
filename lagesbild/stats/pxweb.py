"""A thin client for PxWeb API v2 (SCB: https://statistikdatabasen.scb.se/api/v2), "Källa: SCB".

It reads /config at run time and keeps to what it says: at most `maxCallsPerTimeWindow` calls
per `timeWindow` seconds, and no request for more than `maxDataCells` cells (a larger selection
is split along its longest variable). Data is POSTed as a selection and read as json-stat2,
keeping every cell's codes, labels and status flag. A table that is gone (HTTP 400/404) or
marked discontinued raises TableGone, whose message names the table and says what to do.
"""

import math
from collections import deque
from dataclasses import dataclass
from itertools import product

from django.conf import settings

from .http import JsonHttp, SourceError


class TableGone(SourceError):
    pass


@dataclass
class Cell:
    codes: dict  # variable code -> value code
    value: float | None
    status: str
    label_of: dict  # variable code -> {value code: label}, shared by all cells of a dataset

    @property
    def labels(self):
        """variable code -> this cell's value label."""
        return {d: self.label_of[d][c] for d, c in self.codes.items()}


@dataclass
class DataPage:
    url: str
    text: str
    query: dict
    cells: list


def _gone(table, why):
    return TableGone(
        f"SCB-tabellen {table} {why}. SCB flyttar eller avslutar ibland tabeller: sök den "
        f"ersättande tabellen på statistikdatabasen.scb.se och uppdatera källan i "
        f"lagesbild/stats/catalogue.yaml. Tidigare hämtade värden ligger kvar."
    )


class PxWebClient:
    def __init__(self, base_url=None, lang="sv", **http):
        self.base_url = (base_url or settings.SCB_URL).rstrip("/")
        self.lang = lang
        self.http = JsonHttp("SCB", **http)
        self._config = None
        self._calls = deque()

    @property
    def requests(self):
        return self.http.requests

    def _throttle(self):
        """Wait so that no more than maxCallsPerTimeWindow calls fall in one timeWindow."""
        if self._config is None:
            return
        limit = int(self._config.get("maxCallsPerTimeWindow") or 0)
        window = float(self._config.get("timeWindow") or 0)
        if limit <= 0 or window <= 0:
            return
        now = self.http.clock()
        while self._calls and now - self._calls[0] >= window:
            self._calls.popleft()
        if len(self._calls) >= limit:
            self.http.sleep(window - (now - self._calls[0]))
            self._calls.popleft()
        self._calls.append(self.http.clock())

    def _call(self, method, path, table=None, **kwargs):
        self._throttle()
        url = f"{self.base_url}{path}"
        try:
            return self.http.request(method, url, **kwargs)
        except SourceError as e:
            if table and e.status in (400, 404):
                raise _gone(table, f"svarar HTTP {e.status} ({url})") from None
            raise

    def config(self):
        if self._config is None:
            self._config = {}  # no throttling for the config call itself
            _, data, _ = self._call("GET", "/config")
            if not isinstance(data, dict) or not isinstance(data.get("maxDataCells"), int):
                raise SourceError(f"SCB: /config saknar maxDataCells ({self.base_url}/config)")
            self._config = data
        return self._config

    @property
    def api_version(self):
        return str(self.config().get("apiVersion", ""))

    def metadata(self, table):
        """The table's json-stat2 metadata; TableGone when it is removed or discontinued."""
        self.config()
        _, data, _ = self._call(
            "GET", f"/tables/{table}/metadata", table=table, params={"lang": self.lang}
        )
        if not isinstance(data, dict) or "dimension" not in data:
            raise SourceError(f"SCB: metadata för {table} saknar 'dimension'")
        if (data.get("extension") or {}).get("discontinued"):
            raise _gone(table, "är avslutad (discontinued) och uppdateras inte längre")
        return data

    def split(self, selection):
        """Split {variable: [codes]} into as few selections of at most maxDataCells cells as
        cutting one variable at a time allows (the longest first)."""
        limit = self.config()["maxDataCells"]
        return _split(selection, limit)

    def data(self, table, selection):
        """DataPages for the selection ({variable code: [value codes]}), split to the limits."""
        self.config()
        pages = []
        for part in self.split(selection):
            body = {
                "selection": [{"variableCode": k, "valueCodes": list(v)} for k, v in part.items()]
            }
            text, data, response = self._call(
                "POST",
                f"/tables/{table}/data",
                table=table,
                params={"lang": self.lang, "outputFormat": "json-stat2"},
                json=body,
            )
            if ((data or {}).get("extension") or {}).get("discontinued"):
                raise _gone(table, "är avslutad (discontinued) och uppdateras inte längre")
            pages.append(DataPage(str(response.url), text, body, parse_jsonstat2(data, table)))
        return pages


def _split(selection, limit):
    cells = math.prod(len(v) for v in selection.values())
    if cells <= limit:
        return [selection]
    longest = max(selection, key=lambda k: len(selection[k]))
    codes = selection[longest]
    per_code = cells // len(codes)
    if len(codes) == 1:
        raise SourceError(f"SCB: urvalet kan inte delas under {limit} celler")
    size = max(1, limit // per_code)  # codes of the longest variable per request
    parts = [{**selection, longest: codes[i : i + size]} for i in range(0, len(codes), size)]
    return [small for part in parts for small in _split(part, limit)]


def parse_jsonstat2(doc, table=""):
    """json-stat2 dataset -> [Cell] with codes, labels, value and status flag of every cell."""
    where = f"SCB {table}".strip()
    try:
        ids, sizes, dims = doc["id"], doc["size"], doc["dimension"]
        values = doc.get("value")
    except (KeyError, TypeError):
        raise SourceError(
            f"{where}: svaret är inte json-stat2 (id/size/dimension saknas)"
        ) from None
    if len(ids) != len(sizes):
        raise SourceError(f"{where}: json-stat2 har {len(ids)} id men {len(sizes)} storlekar")
    n = math.prod(sizes)
    if isinstance(values, dict):
        values = [values.get(str(i)) for i in range(n)]
    if not isinstance(values, list) or len(values) != n:
        raise SourceError(f"{where}: json-stat2 ska ha {n} värden, har {len(values or [])}")
    status = doc.get("status") or {}
    if isinstance(status, list):
        status = {str(i): s for i, s in enumerate(status) if s}
    elif isinstance(status, str):
        status = {str(i): status for i in range(n)}
    orders, label_of = [], {}
    for dim_id, size in zip(ids, sizes, strict=True):
        category = dims[dim_id]["category"]
        index = category.get("index")
        if isinstance(index, dict):
            codes = sorted(index, key=index.get)
        elif isinstance(index, list):
            codes = index
        else:
            codes = list(category.get("label", {}))
        if len(codes) != size:
            raise SourceError(f"{where}: variabeln {dim_id} har {len(codes)} koder, väntade {size}")
        labels = category.get("label", {})
        label_of[dim_id] = {c: labels.get(c, c) for c in codes}
        orders.append(codes)
    for i, value in enumerate(values):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise SourceError(f"{where}: cell {i} har värdet {value!r}, inte ett tal")
    # Most cells have no status flag: look them up by position only where there are any.
    flags = [""] * n
    for key, flag in status.items():
        if flag and str(key).isdigit() and int(key) < n:
            flags[int(key)] = str(flag)
    cells = [
        Cell(dict(zip(ids, combo, strict=True)), value, flag, label_of)
        for combo, value, flag in zip(product(*orders), values, flags, strict=True)
    ]
    return cells
