"""What people write for the Lägesbild: departments' proven experience and the coordinator's analysis.

Experience texts come from the web form here or from a department's report in a follow-up
round (lagesbild.plan writes them here, with `origin` naming the round).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lagesbild.accounts.models import Department
from lagesbild.core.text import LONG_TEXT
from lagesbild.policy.models import Policy


class Experience(models.Model):
    """A department's "beprövad erfarenhet" for one policy area and Lägesbild year."""

    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="experiences")
    area_key = models.SlugField(_("område"), max_length=64)
    year = models.PositiveIntegerField(_("år för lägesbilden"))
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="experiences",
        verbose_name=_("förvaltning"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, verbose_name=_("författare")
    )
    text = models.TextField(_("beprövad erfarenhet"), max_length=LONG_TEXT)
    origin = models.CharField(
        _("ursprung"), max_length=100, blank=True, help_text=_("t.ex. uppföljningsomgång")
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)
    # Who wrote, changed or removed which text when (shown on the draft page).
    history = HistoricalRecords()

    class Meta:
        ordering = ["policy", "year", "area_key", "department__name"]
        verbose_name = _("beprövad erfarenhet")
        verbose_name_plural = _("beprövad erfarenhet")

    def __str__(self):
        return f"{self.department} – {self.area_key} {self.year}"

    @property
    def municipality(self):
        return self.policy.municipality


class AreaAnalysis(models.Model):
    """The coordinator's analysis of one policy area in one year's Lägesbild."""

    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="analyses")
    area_key = models.SlugField(_("område"), max_length=64)
    year = models.PositiveIntegerField(_("år för lägesbilden"))
    text = models.TextField(_("analys"), max_length=LONG_TEXT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, verbose_name=_("författare")
    )
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "area_key", "year"], name="one_analysis_per_area_year"
            )
        ]
        verbose_name = _("samordnarens analys")
        verbose_name_plural = _("samordnarens analyser")

    def __str__(self):
        return f"{self.area_key} {self.year}"

    @property
    def municipality(self):
        return self.policy.municipality


class PublishedReport(models.Model):
    """A published Lägesbild, frozen: the snapshot holds every number and text it shows.

    Rendering a published report reads only `snapshot` (see lagesbild.reports.lagesbild), so it
    looks the same years later, after new statistics, new texts or a revised policy.
    """

    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="published_reports")
    year = models.PositiveIntegerField(_("år för lägesbilden"))
    number = models.PositiveIntegerField(_("version"))
    snapshot = models.JSONField(_("underlag"))
    checksum = models.CharField(_("kontrollsumma (SHA-256)"), max_length=64)
    example = models.BooleanField(_("exempeldata"), default=False)
    published_at = models.DateTimeField(_("publicerad"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        verbose_name=_("publicerad av"),
    )
    # Who published which version when, and any later change or removal of a version. The
    # frozen snapshot is left out: it is large, never changes in the app, and a copy would
    # keep names that erasing personal data replaces (lagesbild.ops.personal_data).
    history = HistoricalRecords(excluded_fields=["snapshot"])

    class Meta:
        ordering = ["policy", "-year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "year", "number"], name="unique_published_report_version"
            )
        ]
        verbose_name = _("publicerad lägesbild")
        verbose_name_plural = _("publicerade lägesbilder")

    def __str__(self):
        return f"{self.policy.municipality_name} {self.year} v{self.number}"

    def get_absolute_url(self):
        return reverse("reports:published", args=[self.policy.slug, self.year, self.number])

    @property
    def municipality(self):
        return self.policy.municipality
