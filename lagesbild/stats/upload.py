"""Import a statistics file on the statistics page: a file downloaded from SCB's
Statistikdatabasen (for one indicator), or a file in the import format (docs/statistics.md),
read by the same readers as `lagesbild import`.

Only the municipality's coordinator (stats.refresh_statistics). The first step reads the file
and shows what would be stored, writing nothing; confirming stores it in one transaction
(store.save) as source `local:scb-fil` (a download) or `local:fil` (the import format), with
the file's name as reference. Between the two steps
the uploaded bytes wait in uploads/statistik/<random token> in the default storage (shared by
every app server, LAGESBILD_STORAGE_URL, so the confirming request may reach another server than
the upload did; LAGESBILD_HOME/media by default); the token is kept
in the user's session only, so no one else can confirm it. Confirming or a new upload deletes
the file; files older than a day are swept away at the next upload. Only values for the
municipality, its county, Riket and its comparison group are stored: the areas its statistics
page shows and a fetch writes for it, and the DeSO and RegSO areas of those municipalities. Reading
the file: lagesbild.stats.downloads and lagesbild.stats.files.
"""

import hashlib
import re
import secrets
import time
from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from lagesbild.core import municipalities
from lagesbild.core.tables import RowError, TableError
from lagesbild.core.uploads import check_upload
from lagesbild.geodata.store import regso_names

from . import catalogue, downloads, files, queries
from .store import Batch, save
from .views import coordinator_kommun

SOURCE = "scb-fil"
OWN_FORMAT_SOURCE = "fil"
SESSION_KEY = "stats_upload"
TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")
MAX_AGE = 24 * 3600
FIRST_ROWS = 20


FOLDER = "uploads/statistik"


def _name(token):
    """The waiting file's name in the default storage."""
    return f"{FOLDER}/{token}"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Fil"),
        required=False,
        help_text=gettext_lazy(
            "CSV, Excel (.xlsx) eller json-stat2, så som SCB:s Statistikdatabasen sparar den, "
            "eller en fil i importformatet (med kolumnen indikator, se dokumentationen)."
        ),
    )
    indicator = forms.ChoiceField(
        label=gettext_lazy("Indikator"),
        required=False,
        help_text=gettext_lazy("För en fil från Statistikdatabasen; importformatet anger den."),
    )
    age = forms.CharField(
        label=gettext_lazy("Ålder"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("Bara om filen har flera åldersgrupper, t.ex. 20-64 år."),
    )
    fixed = forms.CharField(
        label=gettext_lazy("Andra val"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "Bara om fler variabler har flera värden: en rad per variabel, VARIABEL=VÄRDE, "
            "t.ex. utbildningsnivå=samtliga utbildningsnivåer."
        ),
    )

    def __init__(self, *args, kommun, **kwargs):
        super().__init__(*args, **kwargs)
        entries = sorted(catalogue.catalogue_for(kommun).values(), key=lambda e: e["title"]["sv"])
        self.fields["indicator"].choices = [("", _("(anges i filen)"))] + [
            (e["id"], f"{e['title']['sv']} ({e['id']})") for e in entries
        ]


def _pending(request, kommun):
    """The file this user's session uploaded for this municipality and has not confirmed."""
    pending = request.session.get(SESSION_KEY)
    if (
        not isinstance(pending, dict)
        or pending.get("kommun") != kommun
        or pending.get("user") != request.user.pk
        or not TOKEN.match(str(pending.get("token", "")))
        or not default_storage.exists(_name(pending["token"]))
    ):
        return None
    return pending


def _forget(request):
    pending = request.session.pop(SESSION_KEY, None)
    if isinstance(pending, dict) and TOKEN.match(str(pending.get("token", ""))):
        default_storage.delete(_name(pending["token"]))


def _keep(request, kommun, upload):
    """Write the upload under a new random token and remember it in the session."""
    _forget(request)
    _sweep()
    upload.seek(0)
    raw = upload.read()
    token = secrets.token_urlsafe(24)
    default_storage.save(_name(token), ContentFile(raw))
    pending = {
        "token": token,
        "name": Path(upload.name).name,
        "kommun": kommun,
        "user": request.user.pk,
        "sha256": hashlib.sha256(raw).hexdigest(),
    }
    request.session[SESSION_KEY] = pending
    return pending


def _sweep():
    """Delete waiting files older than MAX_AGE (uploads never confirmed)."""
    try:
        names = default_storage.listdir(FOLDER)[1]
    except FileNotFoundError:  # nothing uploaded yet
        return
    cutoff = time.time() - MAX_AGE
    for name in names:
        if default_storage.get_modified_time(_name(name)).timestamp() < cutoff:
            default_storage.delete(_name(name))


def _check(upload):
    """core.uploads' checks (size, rows, content) for CSV, Excel and json-stat2."""
    check_upload(upload, kinds=("csv", "xlsx", "json"))


def _areas(kommun):
    comparison = queries.comparison_areas(kommun)
    return {kommun, comparison["county"], comparison["riket"], *comparison["group_members"]}


def _read(raw, name, choices, kommun):
    """The file read as lagesbild import reads it: (Download, source, catalogue entry or None).
    Raises ValueError (TableError) naming every problem."""
    if downloads.is_own_format(raw, name):
        return files.read_own_format(raw, name), OWN_FORMAT_SOURCE, None
    indicator = choices.get("indicator", "")
    if not indicator:
        raise ValueError(
            _(
                "%(name)s är en fil från Statistikdatabasen (eller inte importformatet): välj "
                "vilken indikator den gäller."
            )
            % {"name": name}
        )
    lines = [line for line in choices.get("fixed", "").splitlines() if line.strip()]
    found = downloads.parse_download(
        raw,
        name,
        indicator,
        downloads.parse_fixed(lines),
        choices.get("age") or None,
        kommun=kommun,
        regso_names=regso_names(),
    )
    return found, SOURCE, catalogue.indicator(indicator, kommun)


def _preview(pending, kommun):
    """What confirming would store: observations, counts, every error. Writes nothing."""
    with default_storage.open(_name(pending["token"]), "rb") as f:
        raw = f.read()
    choices = pending.get("choices", {})
    result = {"errors": [], "download": None}
    try:
        found, source, entry = _read(raw, pending["name"], choices, kommun)
    except ValueError as e:  # TableError is a ValueError too
        errors = (
            e.errors if isinstance(e, TableError) else [RowError(pending["name"], None, "", str(e))]
        )
        result["errors"] = [str(problem) for problem in errors]
        return result
    allowed = _areas(kommun)
    # The comparison areas, and the DeSO and RegSO areas (KKKK…) of the municipality and of
    # its comparison group's members (the segregation index is compared over theirs).
    kept = [
        o
        for o in found.observations
        if o.area in allowed or (len(o.area) > 4 and o.area[:4] in allowed)
    ]
    if not kept:
        result["errors"] = [
            _("%(name)s: inga värden för %(kommun)s, länet, riket eller jämförelsegruppen.")
            % {"name": pending["name"], "kommun": municipalities.get(kommun).name}
        ]
        return result

    def count(key):
        counts = {}
        for o in kept:
            counts[key(o)] = counts.get(key(o), 0) + 1
        return sorted(counts.items())

    result.update(
        download=found,
        observations=kept,
        skipped=len(found.observations) - len(kept),
        entry=entry,
        source=f"local:{source}",
        indicators=[i for i, _n in count(lambda o: o.indicator)],
        areas=[(code, _area_name(code), n) for code, n in count(lambda o: o.area)],
        years=count(lambda o: o.period),
        groups=count(lambda o: o.group),
        first=kept[:FIRST_ROWS],
    )
    return result


def _area_name(code):
    area = municipalities.get(code[:4]) if len(code) > 4 else municipalities.get(code)
    return f"{area.name}, {code}" if len(code) > 4 else area.name


def _render(request, kommun, form, pending=None, preview=None):
    return render(
        request,
        "stats/upload.html",
        {
            "kommun": municipalities.get(kommun),
            "county": municipalities.county_of(kommun),
            "form": form,
            "pending": pending,
            "preview": preview,
            "source": (preview or {}).get("source", f"local:{SOURCE}"),
        },
    )


@login_required
def upload(request):
    """Choose file and indicator; the answer is the preview (nothing stored)."""
    kommun = coordinator_kommun(request)
    pending = _pending(request, kommun)
    if request.method != "POST":
        initial = (pending or {}).get("choices")
        return _render(request, kommun, UploadForm(initial=initial, kommun=kommun), pending)
    form = UploadForm(request.POST, request.FILES, kommun=kommun)
    if not form.is_valid():
        return _render(request, kommun, form, pending)
    file = form.cleaned_data["file"]
    if file:
        try:
            _check(file)
        except ValidationError as e:
            form.add_error("file", e)
            return _render(request, kommun, form, pending)
        pending = _keep(request, kommun, file)
    elif pending is None:
        form.add_error("file", _("Välj en fil."))
        return _render(request, kommun, form)
    pending["choices"] = {k: form.cleaned_data[k] for k in ("indicator", "age", "fixed")}
    request.session[SESSION_KEY] = pending
    return _render(request, kommun, form, pending, _preview(pending, kommun))


@login_required
@require_POST
def confirm(request):
    """Store what the preview showed, in one transaction, and delete the waiting file."""
    kommun = coordinator_kommun(request)
    pending = _pending(request, kommun)
    if pending is None or "choices" not in pending:
        messages.error(request, _("Ingen fil väntar på att sparas; välj filen igen."))
        return redirect(f"{reverse('stats:upload')}?kommun={kommun}")
    preview = _preview(pending, kommun)
    if preview["errors"]:
        form = UploadForm(initial=pending["choices"], kommun=kommun)
        return _render(request, kommun, form, pending, preview)
    found = preview["download"]
    batch = Batch(
        source=preview["source"],
        source_ref=pending["name"],
        url="",  # never a path on the server: provenance is public (API, exports)
        content=found.text,
        observations=preview["observations"],
        query={
            "file": pending["name"],
            "sha256": pending["sha256"],
            "format": found.format,
            **({"indicator": preview["entry"]["id"]} if preview["entry"] else {}),
            "fixed": found.fixed,
        },
    )
    counts = save([batch])
    _forget(request)
    messages.success(
        request,
        _(
            "%(n)s värden ur filen %(name)s sparade för %(kommun)s: %(new)s nya, %(changed)s "
            "ändrade, %(unchanged)s oförändrade."
        )
        % {
            "n": len(batch.observations),
            "name": pending["name"],
            "kommun": municipalities.get(kommun).name,
            "new": counts.new,
            "changed": counts.changed,
            "unchanged": counts.unchanged,
        },
    )
    if counts.example_ended:
        messages.info(
            request,
            ngettext(
                "%(n)s exempelvärde för samma indikatorer och områden togs bort: "
                "exempelvärden och riktiga värden blandas aldrig i en serie.",
                "%(n)s exempelvärden för samma indikatorer och områden togs bort: "
                "exempelvärden och riktiga värden blandas aldrig i en serie.",
                counts.example_ended,
            )
            % {"n": counts.example_ended},
        )
    return redirect(f"{reverse('stats:index')}?kommun={kommun}")
