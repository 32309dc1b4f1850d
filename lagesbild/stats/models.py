"""The statistics store: raw snapshots with provenance, observations normalised from them.

Every answer from a source is kept as a Snapshot (source, URL, query, time, checksum, API
version and the raw body), and its values become Observation rows. An observation key is
(indicator, area, period, group, sex); exactly one row per key is `current`. When a source
revises a value the old row stays, with `current=False` and `replaced_at` set, so history is
never lost. Example data (the offline demo) is flagged `example` on both. Coverage records
which (indicator, area) pairs each snapshot answered for, so an unchanged value's provenance
shows the latest fetch that confirmed it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lagesbild.core.text import SHORT_TEXT


class FetchRun(models.Model):
    """One fetch, import or demo load: its progress and closing summary."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("väntar")
        RUNNING = "running", _("pågår")
        OK = "ok", _("klar")
        PARTIAL = "partial", _("delvis klar")  # some indicators failed, the rest were stored
        FAILED = "failed", _("misslyckades")

    kind = models.CharField(_("typ"), max_length=20, default="fetch")  # fetch | import | demo
    kommun = models.CharField(_("kommunkod"), max_length=4, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    started_at = models.DateTimeField(_("startad"), auto_now_add=True)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)
    total = models.PositiveIntegerField(_("steg totalt"), default=0)
    done = models.PositiveIntegerField(_("steg klara"), default=0)
    requests = models.PositiveIntegerField(_("anrop"), default=0)
    new = models.PositiveIntegerField(_("nya värden"), default=0)
    changed = models.PositiveIntegerField(_("ändrade värden"), default=0)
    unchanged = models.PositiveIntegerField(_("oförändrade värden"), default=0)
    failures = models.PositiveIntegerField(_("fel"), default=0)
    message = models.TextField(_("meddelande"), blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("hämtning")
        verbose_name_plural = _("hämtningar")

    def __str__(self):
        return f"{self.kind} {self.kommun} {self.started_at:%Y-%m-%d %H:%M} ({self.status})"

    @property
    def finished(self):
        return self.status in (self.Status.OK, self.Status.PARTIAL, self.Status.FAILED)

    @property
    def percent(self):
        return round(100 * self.done / self.total) if self.total else 0


class Snapshot(models.Model):
    """A source's raw answer, exactly as received, with where and when it came from."""

    source = models.CharField(_("källa"), max_length=40)  # kolada | scb | local:<name> | example
    source_ref = models.CharField(_("källreferens"), max_length=300)  # KPI ids, SCB table, file
    url = models.TextField(_("adress"), blank=True)
    query = models.JSONField(_("fråga"), default=dict, blank=True)
    fetched_at = models.DateTimeField(_("hämtad"))
    checksum = models.CharField(_("kontrollsumma (SHA-256)"), max_length=64)
    api_version = models.CharField(_("API-version"), max_length=40, blank=True)
    content = models.TextField(_("rådata"), blank=True)
    example = models.BooleanField(_("exempeldata"), default=False)
    run = models.ForeignKey(
        FetchRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="snapshots"
    )

    class Meta:
        ordering = ["-fetched_at", "-id"]
        verbose_name = _("ögonblicksbild")
        verbose_name_plural = _("ögonblicksbilder")

    def __str__(self):
        return f"{self.source} {self.source_ref} {self.fetched_at:%Y-%m-%d %H:%M}"


class Observation(models.Model):
    indicator = models.CharField(_("indikator"), max_length=80)
    area = models.CharField(_("område"), max_length=12)
    period = models.PositiveSmallIntegerField(_("år"))
    group = models.CharField(_("grupp"), max_length=40)
    sex = models.CharField(_("kön"), max_length=1)
    value = models.FloatField(_("värde"), null=True, blank=True)
    unit = models.CharField(_("enhet"), max_length=20, blank=True)
    status = models.CharField(_("statusflagga"), max_length=10, blank=True)
    count = models.IntegerField(_("antal"), null=True, blank=True)
    example = models.BooleanField(_("exempeldata"), default=False)
    current = models.BooleanField(_("gällande"), default=True)
    snapshot = models.ForeignKey(Snapshot, on_delete=models.PROTECT, related_name="observations")
    recorded_at = models.DateTimeField(_("registrerad"))
    replaced_at = models.DateTimeField(_("ersatt"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area", "period", "group", "sex"],
                condition=models.Q(current=True),
                name="one_current_observation",
            )
        ]
        # No other index: the partial unique index serves every query for current values
        # (indicator, area, …), and each extra index made ingest markedly slower (bench/).
        verbose_name = _("observation")
        verbose_name_plural = _("observationer")

    def __str__(self):
        return f"{self.indicator} {self.area} {self.period} {self.group} {self.sex}: {self.value}"


class Coverage(models.Model):
    """Which (indicator, area) pairs a snapshot answered for: provenance says when a value was
    last confirmed by its source without rewriting the unchanged observation rows."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="coverage")
    indicator = models.CharField(_("indikator"), max_length=80)
    area = models.CharField(_("område"), max_length=12)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area", "snapshot"], name="unique_coverage"
            )
        ]
        verbose_name = _("täckning")
        verbose_name_plural = _("täckning")

    def __str__(self):
        return f"{self.indicator} {self.area} ← {self.snapshot_id}"


class MunicipalityGroup(models.Model):
    """A Kolada municipality group (e.g. "Liknande kommuner, övergripande, Karlshamn, 2025")."""

    group_id = models.CharField(_("grupp-id"), max_length=20, unique=True)
    title = models.CharField(_("namn"), max_length=300)
    members = models.JSONField(_("medlemmar"), default=list)  # kommunkoder
    source = models.CharField(_("källa"), max_length=200)
    fetched_at = models.DateTimeField(_("hämtad"))

    class Meta:
        ordering = ["title"]
        verbose_name = _("kommungrupp")
        verbose_name_plural = _("kommungrupper")

    def __str__(self):
        return self.title


class IndicatorRefresh(models.Model):
    """How the last refresh of one indicator for one municipality went.

    Each indicator is fetched and stored as its own unit: when one source fails, the others
    are still stored and this row says which one is stale, why, and when it last succeeded.
    """

    kommun = models.CharField(_("kommunkod"), max_length=4)
    indicator = models.CharField(_("indikator"), max_length=80)
    attempted_at = models.DateTimeField(_("senaste försök"))
    succeeded_at = models.DateTimeField(_("senast uppdaterad"), null=True, blank=True)
    error = models.TextField(_("fel"), blank=True)  # "" when the last attempt succeeded
    run = models.ForeignKey(FetchRun, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kommun", "indicator"], name="one_refresh_state")
        ]
        verbose_name = _("uppdatering per indikator")
        verbose_name_plural = _("uppdateringar per indikator")

    def __str__(self):
        return f"{self.kommun} {self.indicator}: {self.error or 'ok'}"

    @property
    def stale(self):
        return bool(self.error)


class LocalIndicator(models.Model):
    """A municipality's own indicator, defined by its coordinator without a code change.

    It behaves like a shipped `kind: local` catalogue entry for that municipality only
    (catalogue.catalogue_for); its values are imported with `lagesbild import FIL --source NAMN`.
    """

    class Better(models.TextChoices):
        HIGHER = "higher", _("Högre är bättre")
        LOWER = "lower", _("Lägre är bättre")
        NONE = "none", _("Sammanhang (varken högre eller lägre är bättre)")

    kommun = models.CharField(_("kommunkod"), max_length=4)
    slug = models.CharField(_("id"), max_length=64)
    title_sv = models.CharField(_("titel (svenska)"), max_length=200)
    title_en = models.CharField(_("titel (engelska)"), max_length=200, blank=True)
    unit = models.CharField(_("enhet"), max_length=20)
    better = models.CharField(_("bättre"), max_length=10, choices=Better.choices)
    groups = models.JSONField(_("befolkningsgrupper"), default=list)
    description = models.TextField(_("beskrivning"), max_length=SHORT_TEXT, blank=True)
    source_text = models.CharField(_("källa"), max_length=300)
    source_name = models.CharField(_("källans namn vid import"), max_length=31)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        ordering = ["kommun", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["kommun", "slug"], name="unique_local_indicator")
        ]
        verbose_name = _("lokal indikator")
        verbose_name_plural = _("lokala indikatorer")

    def __str__(self):
        return f"{self.slug} ({self.kommun})"

    @property
    def municipality(self):
        """For the permission rules, which compare `municipality` with the user's."""
        return self.kommun
