"""Boundaries of the small areas (DeSO, RegSO) the Lägesbild draws its maps from.

Imported once from SCB's open geodata with `lagesbild geodata import FILE` (files.py reads it);
a later import replaces the areas of every municipality the file covers, in one transaction.
A DeSO's RegSO (`parent`) also lets the segregation indices count a DeSO too small to show in
its RegSO, and a RegSO's name names it in the report's tables.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Boundary(models.Model):
    class Level(models.TextChoices):
        DESO = "deso", "DeSO"
        REGSO = "regso", "RegSO"

    code = models.CharField(_("områdeskod"), max_length=12, unique=True)
    level = models.CharField(_("nivå"), max_length=5, choices=Level.choices)
    kommun = models.CharField(_("kommunkod"), max_length=4, db_index=True)
    parent = models.CharField(_("RegSO"), max_length=12, blank=True)
    name = models.CharField(_("namn"), max_length=120, blank=True)
    crs = models.CharField(_("koordinatsystem"), max_length=12)
    polygons = models.JSONField(_("ytor"))  # [[ring, …], …], each ring [[x, y], …]
    source = models.CharField(_("fil"), max_length=200)
    checksum = models.CharField(_("SHA-256"), max_length=64)
    example = models.BooleanField(_("exempelgränser"), default=False)
    imported_at = models.DateTimeField(_("inläst"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("områdesgräns")
        verbose_name_plural = _("områdesgränser")

    def __str__(self):
        return f"{self.code} {self.name}".strip()
