"""Policies as stored data: every loaded version is kept, one is current.

The full policy lives as validated JSON in PolicyVersion.data (format lagesbild-policy/1);
PolicyArea rows mirror its areas so plans, reports and experience texts can refer to an area.
An area's `key` is stable across versions of the same policy.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Policy(models.Model):
    slug = models.SlugField(_("id"), max_length=64, unique=True)
    municipality = models.CharField(_("kommunkod"), max_length=4, db_index=True)
    municipality_name = models.CharField(_("kommun"), max_length=100)
    title = models.CharField(_("titel"), max_length=300)

    class Meta:
        ordering = ["municipality", "slug"]
        verbose_name = _("policy")
        verbose_name_plural = _("policyer")

    def __str__(self):
        return f"{self.title} ({self.municipality_name})"

    def get_absolute_url(self):
        return reverse("policy:detail", args=[self.slug])

    @property
    def current(self):
        return self.versions.filter(is_current=True).first()


class PolicyVersion(models.Model):
    municipality_path = "policy__municipality"  # for the admin (accounts.admin)

    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    is_current = models.BooleanField(_("gällande"), default=False)
    data = models.JSONField(_("innehåll"))
    source_name = models.CharField(_("källfil"), max_length=300)
    source_text = models.TextField(_("källtext"))
    checksum = models.CharField(_("kontrollsumma (SHA-256)"), max_length=64)
    decision_date = models.DateField(_("beslutsdatum"))
    decision_reference = models.CharField(_("beslut"), max_length=200, blank=True)
    revise_by = models.PositiveIntegerField(_("revideras senast"), null=True, blank=True)
    loaded_at = models.DateTimeField(_("inläst"), auto_now_add=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["policy", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "number"], name="unique_policy_version"),
            models.UniqueConstraint(
                fields=["policy"],
                condition=models.Q(is_current=True),
                name="one_current_version_per_policy",
            ),
        ]
        verbose_name = _("policyversion")
        verbose_name_plural = _("policyversioner")

    def __str__(self):
        return f"{self.policy.title} v{self.number}"

    def get_absolute_url(self):
        return reverse("policy:version", args=[self.policy.slug, self.number])

    # What the policy itself decides, read from its data (never hard-coded elsewhere).

    @property
    def decided_by(self):
        """The body that decided the policy, as the policy's decision.body writes it."""
        return self.data["decision"]["body"]

    @property
    def reports_to(self):
        """The body the Lägesbild and the follow-up report go to: the policy's
        follow_up.report_to, else the body that decided it."""
        return (self.data.get("follow_up") or {}).get("report_to") or self.decided_by

    @property
    def period(self):
        """(first year, last year) the policy applies to; either may be None."""
        validity = self.data.get("validity") or {}
        return validity.get("start_year"), validity.get("end_year")

    def outside_period(self, year):
        """A plain sentence when `year` is outside the policy's period, else ""."""
        first, last = self.period
        span = f"{first or '…'}–{last or '…'}"
        if first and year < first:
            return (
                f"Året {year} ligger före policyns giltighetstid ({span}): redovisningen visar "
                "läget innan policyn började gälla, och policyns mål och målvärden avser senare år."
            )
        if last and year > last:
            return (
                f"Året {year} ligger efter policyns giltighetstid ({span}): policyn gäller inte "
                "längre och skulle ha reviderats; dess mål och målvärden avser tidigare år."
            )
        return ""


class PolicyArea(models.Model):
    """One principle / focus area / goal area of a policy version, in the policy's order."""

    municipality_path = "version__policy__municipality"  # for the admin (accounts.admin)

    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="areas")
    key = models.SlugField(_("id"), max_length=64)
    position = models.PositiveIntegerField(_("ordning"))
    title = models.CharField(_("rubrik"), max_length=200)
    term = models.CharField(_("benämning"), max_length=100)

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="unique_area_key_per_version")
        ]
        verbose_name = _("område")
        verbose_name_plural = _("områden")

    def __str__(self):
        return self.title

    @property
    def data(self):
        return self.version.data["areas"][self.position]


class PolicyDraft(models.Model):
    """A policy being edited in the browser, not yet adopted (issue #13).

    `data` has the shape of a policy file (lagesbild-policy/1) but may be incomplete: saving a
    form writes whatever it has. Adopting the draft turns it into a file and loads it with
    load_policy, so the browser passes exactly the checks a file does. `policy` is the policy
    it revises, None for a policy that does not exist yet.
    """

    municipality = models.CharField(_("kommunkod"), max_length=4, db_index=True)
    policy = models.ForeignKey(
        Policy, null=True, blank=True, on_delete=models.CASCADE, related_name="drafts"
    )
    data = models.JSONField(_("innehåll"), default=dict)
    updated_at = models.DateTimeField(_("ändrat"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["municipality", "-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy"],
                condition=models.Q(policy__isnull=False),
                name="one_draft_per_policy",
            )
        ]
        verbose_name = _("policyutkast")
        verbose_name_plural = _("policyutkast")

    def __str__(self):
        return self.data.get("title") or str(_("Ny policy (utkast)"))

    def get_absolute_url(self):
        return reverse("policy:edit", args=[self.pk])


class Agenda2030Tag(models.Model):
    """The Agenda 2030 goals and targets that one policy area, or one of its goals, serves.

    The coordinator's reading of the adopted policy, kept beside it rather than in the decided
    text: tagging changes no decision. Keyed by area key and goal position, which stay the
    same across versions, so a revised policy keeps its tags; a tag whose area or goal is gone
    is simply not shown. goal 0 is the area itself, 1… its goals in the policy's order.
    """

    municipality_path = "policy__municipality"  # for the admin (accounts.admin)

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="agenda2030_tags")
    area_key = models.SlugField(_("område"), max_length=64)
    goal = models.PositiveSmallIntegerField(_("mål"), default=0)
    codes = models.JSONField(_("Agenda 2030"), default=list)
    is_example = models.BooleanField(
        _("exempel"), default=False, help_text=_("Demots exempelkoppling, inte kommunens egen.")
    )
    updated_at = models.DateTimeField(_("ändrat"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["policy", "area_key", "goal"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "area_key", "goal"], name="unique_agenda2030_tag"
            )
        ]
        verbose_name = _("koppling till Agenda 2030")
        verbose_name_plural = _("kopplingar till Agenda 2030")

    def __str__(self):
        where = self.area_key if not self.goal else f"{self.area_key} #{self.goal}"
        return f"{where}: {', '.join(self.codes)}"


EXAMPLE = {True: " (exempelkoppling)", False: ""}


def agenda2030_parts(policy, data):
    """[{"area", "goal", "name", "codes", "indicators"}] for every tagged area and goal of the
    policy version `data`, in the policy's order (pure apart from reading the tags)."""
    tags = {(t.area_key, t.goal): t for t in policy.agenda2030_tags.all() if t.codes}
    term = data["area_term"]["singular"]
    goal_word = (data.get("terms") or {}).get("goal", "Mål")
    parts = []
    for area in data["areas"]:
        own = area.get("indicators", [])
        tag = tags.get((area["id"], 0))
        if tag:
            name = f"{capfirst(term)}: {area['title']}" + EXAMPLE[tag.is_example]
            parts.append(
                {"area": area["id"], "goal": 0, "name": name, "codes": tag.codes, "indicators": own}
            )
        for i, goal in enumerate(area.get("goals", []), 1):
            tag = tags.get((area["id"], i))
            if tag:
                text = goal["text"] if len(goal["text"]) <= 90 else goal["text"][:87] + "…"
                parts.append(
                    {
                        "area": area["id"],
                        "goal": i,
                        "name": f"{area['title']}, {goal_word.lower()} {i}: {text}"
                        + EXAMPLE[tag.is_example],
                        "codes": tag.codes,
                        "indicators": goal.get("indicators", []) or own,
                    }
                )
    return parts
