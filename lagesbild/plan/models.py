"""The Handlingsplan, its activities (insatser) and the follow-up rounds (uppföljning).

Activities refer to policy areas by key (PolicyArea.key is stable across policy versions) and
to indicators by catalogue id (lagesbild/stats/catalogue.yaml). Changes to plans, activities and
rounds are kept by django-simple-history, so each activity shows who changed what and when.
Contact persons are stored as a name and a work e-mail only.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lagesbild.accounts.models import Department
from lagesbild.core.text import LONG_TEXT, SHORT_TEXT
from lagesbild.policy.models import Policy


class Status(models.TextChoices):
    # The values are the Swedish words: they are what CSV and Excel files show and accept.
    PLANNED = "planerad", _("planerad")
    ONGOING = "pågår", _("pågår")
    DONE = "klar", _("klar")
    PAUSED = "pausad", _("pausad")
    CANCELLED = "avbruten", _("avbruten")


class Plan(models.Model):
    policy = models.ForeignKey(
        Policy, on_delete=models.PROTECT, related_name="plans", verbose_name=_("policy")
    )
    title = models.CharField(_("titel"), max_length=200)
    start_year = models.PositiveIntegerField(_("gäller från år"))
    end_year = models.PositiveIntegerField(_("gäller till år"))
    adopted = models.DateField(_("antagen"), null=True, blank=True)
    decision_reference = models.CharField(_("beslut"), max_length=200, blank=True)
    lagesbild_year = models.PositiveIntegerField(
        _("lägesbild som planen svarar på (år)"),
        help_text=_("Året för den lägesbild som motiverar insatserna."),
    )
    lagesbild_due = models.DateField(_("nästa lägesbild ska vara klar"), null=True, blank=True)
    published = models.BooleanField(
        _("publicerad"), default=False, help_text=_("Visas för allmänheten utan inloggning.")
    )
    is_example = models.BooleanField(
        _("exempelinnehåll"), default=False, help_text=_("Demoinnehåll, inte verkliga beslut.")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["policy", "-start_year", "title"]
        verbose_name = _("handlingsplan")
        verbose_name_plural = _("handlingsplaner")

    def __str__(self):
        return f"{self.title} {self.start_year}–{self.end_year}"

    def get_absolute_url(self):
        return reverse("plan:detail", args=[self.pk])

    @property
    def municipality(self):
        return self.policy.municipality

    def areas(self):
        """The current policy version's areas, in the policy's order."""
        version = self.policy.current
        return list(version.areas.all()) if version else []


class Activity(models.Model):
    municipality_path = "plan__policy__municipality"  # for admin choices (accounts.admin)

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="activities")
    ref = models.CharField(
        _("id"), max_length=20, help_text=_("Kort id inom planen, t.ex. U1 eller U1.2.")
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("del av insats"),
    )
    title = models.CharField(_("titel"), max_length=200)
    description = models.TextField(_("beskrivning"), max_length=LONG_TEXT, blank=True)
    area_keys = models.JSONField(_("policyområden"), default=list, blank=True)
    agenda2030 = models.JSONField(
        _("Agenda 2030"),
        default=list,
        blank=True,
        help_text=_("Mål och delmål i Agenda 2030 som insatsen bidrar till, t.ex. 10 och 10.2."),
    )
    indicators = models.JSONField(_("indikatorer"), default=list, blank=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("ansvarig förvaltning"),
    )
    contact_name = models.CharField(_("kontaktperson"), max_length=200, blank=True)
    contact_email = models.EmailField(_("kontaktpersonens e-post"), blank=True)
    partners = models.CharField(_("partnerorganisationer"), max_length=500, blank=True)
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("slut"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    progress = models.PositiveSmallIntegerField(
        _("genomfört (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    weight = models.DecimalField(
        _("vikt"),
        max_digits=6,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(0)],
        help_text=_("Hur mycket insatsen väger i sammanvägningen (0 = räknas inte)."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "ref"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "ref"], name="unique_activity_ref_per_plan")
        ]
        verbose_name = _("insats")
        verbose_name_plural = _("insatser")

    def __str__(self):
        return f"{self.ref} {self.title}"

    def get_absolute_url(self):
        return reverse("plan:activity", args=[self.pk])

    @property
    def municipality(self):
        return self.plan.policy.municipality

    @property
    def rollup_weight(self):
        # Cancelled activities do not count in the roll-up.
        return 0 if self.status == Status.CANCELLED else float(self.weight)


class TimelineEntry(models.Model):
    class Kind(models.TextChoices):
        MILESTONE = "milestone", _("Milstolpe")
        UPDATE = "update", _("Uppdatering")
        LINK = "link", _("Bilaga (länk)")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="timeline")
    date = models.DateField(_("datum"))
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices, default=Kind.UPDATE)
    text = models.TextField(_("text"), max_length=SHORT_TEXT)
    url = models.URLField(_("länk"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, verbose_name=_("av")
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-created_at"]
        verbose_name = _("händelse")
        verbose_name_plural = _("händelser")

    def __str__(self):
        return f"{self.date} {self.get_kind_display()}"


class Proposal(models.Model):
    """An activity proposed by a partner (civil society, business) for the coordinator."""

    class State(models.TextChoices):
        NEW = "new", _("Ny")
        ACCEPTED = "accepted", _("Tas med")
        DECLINED = "declined", _("Tas inte med")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="proposals")
    title = models.CharField(_("titel"), max_length=200)
    description = models.TextField(_("beskrivning"), max_length=LONG_TEXT)
    area_key = models.SlugField(_("policyområde"), max_length=64, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("föreslagen"), auto_now_add=True)
    state = models.CharField(_("beslut"), max_length=20, choices=State.choices, default=State.NEW)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("förslag")
        verbose_name_plural = _("förslag")

    def __str__(self):
        return self.title

    @property
    def municipality(self):
        return self.plan.policy.municipality


class FollowUpRound(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="rounds")
    title = models.CharField(_("namn"), max_length=200)
    year = models.PositiveIntegerField(
        _("år som följs upp"),
        help_text=_("Också året för lägesbilden som den beprövade erfarenheten hamnar i."),
    )
    deadline = models.DateField(_("sista dag att rapportera"))
    opened_at = models.DateTimeField(_("öppnad"), auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(_("stängd"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The coordinator's texts for the follow-up report (may be written after closing).
    assessment = models.TextField(
        _("samlad bedömning"),
        max_length=LONG_TEXT,
        blank=True,
        help_text=_("Samordnarens samlade bedömning av uppföljningen, som den står i rapporten."),
    )
    proposal = models.TextField(
        _("förslag till beslut"),
        max_length=LONG_TEXT,
        blank=True,
        help_text=_("Det beslut rapporten föreslår, som det står i rapporten."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-deadline"]
        verbose_name = _("uppföljningsomgång")
        verbose_name_plural = _("uppföljningsomgångar")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("plan:round", args=[self.pk])

    @property
    def municipality(self):
        return self.plan.policy.municipality

    @property
    def is_open(self):
        return self.closed_at is None

    @property
    def origin(self):
        """How experience texts from this round are labelled in the Lägesbild."""
        return f"Uppföljning: {self.title}"[:100]


class DepartmentReport(models.Model):
    """One department's report in one round; created for every department when it opens."""

    round = models.ForeignKey(FollowUpRound, on_delete=models.CASCADE, related_name="reports")
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("förvaltning")
    )
    submitted_at = models.DateTimeField(_("inskickad"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "department__name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "department"], name="one_report_per_dept")
        ]
        verbose_name = _("förvaltningens rapport")
        verbose_name_plural = _("förvaltningarnas rapporter")

    def __str__(self):
        return f"{self.round} – {self.department}"

    def get_absolute_url(self):
        return reverse("plan:report", args=[self.pk])

    @property
    def municipality(self):
        return self.round.plan.policy.municipality


class ActivityReport(models.Model):
    """What a department reported on one activity in one round (kept after the round)."""

    report = models.ForeignKey(DepartmentReport, on_delete=models.CASCADE, related_name="items")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="reports")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    progress = models.PositiveSmallIntegerField(
        _("genomfört (%)"), validators=[MaxValueValidator(100)]
    )
    text = models.TextField(_("lägesbeskrivning"), max_length=LONG_TEXT, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["activity__ref"]
        constraints = [
            models.UniqueConstraint(fields=["report", "activity"], name="one_item_per_activity")
        ]

    def __str__(self):
        return f"{self.activity} ({self.report.round})"


class Reminder(models.Model):
    """A reminder e-mail sent about a department's report (so the command sends each once)."""

    class Kind(models.TextChoices):
        BEFORE = "before", _("Påminnelse före sista dag")
        OVERDUE = "overdue", _("Påminnelse efter sista dag")

    report = models.ForeignKey(DepartmentReport, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    sent_on = models.DateField()
    recipients = models.TextField(blank=True)

    class Meta:
        ordering = ["-sent_on"]

    def __str__(self):
        return f"{self.report} {self.kind} {self.sent_on}"


class PartnerContribution(models.Model):
    """A partner organisation's own part of a follow-up round (issue #15).

    The coordinator asks a partner user (role `partner` in her municipality) for it; the
    partner writes what her organisation did for the plan and submits it; the follow-up report
    quotes it under "Partnernas del", with the organisation's name. It is about the
    organisation's work, not about people.
    """

    round = models.ForeignKey(FollowUpRound, on_delete=models.CASCADE, related_name="contributions")
    partner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("partner"),
    )
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    text = models.TextField(_("organisationens del"), max_length=LONG_TEXT, blank=True)
    asked_at = models.DateTimeField(_("tillfrågad"), auto_now_add=True)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("inskickad"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "organisation", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "partner"], name="one_part_per_partner")
        ]
        verbose_name = _("partnerns del")
        verbose_name_plural = _("partnernas delar")

    def __str__(self):
        return f"{self.round} – {self.organisation or self.partner}"

    def get_absolute_url(self):
        return reverse("plan:partner_part", args=[self.pk])

    @property
    def municipality(self):
        return self.round.plan.policy.municipality
