"""Working groups (Integrationsgruppen and others) and their meetings (issue #15).

A meeting goes planned → invited (the invitation e-mail with its calendar file has gone out)
→ held (attendance taken) → minutes approved (justerat). Its agenda items may point at an
activity, a follow-up round, an indicator or a policy area; its action points say who does
what by when, and become timeline entries of their activities when the minutes are approved.
Meetings and action points keep their history (django-simple-history). Attendance is personal
data: the user links are found by lagesbild.ops.personal_data.
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from lagesbild.accounts.models import Department
from lagesbild.core.text import LONG_TEXT, SHORT_TEXT
from lagesbild.plan.models import Activity, FollowUpRound, TimelineEntry

STOCKHOLM = ZoneInfo("Europe/Stockholm")


class WorkingGroup(models.Model):
    municipality = models.CharField(_("kommunkod"), max_length=4)
    name = models.CharField(_("namn"), max_length=200)
    description = models.TextField(_("uppdrag"), max_length=SHORT_TEXT, blank=True)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("sammankallande"),
    )
    # Through models of our own (not Django's hidden ones), so the personal-data inventory
    # finds who sits in which group and who was invited (lagesbild.ops.personal_data).
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        through="Membership",
        related_name="working_groups",
        verbose_name=_("ledamöter"),
    )
    is_example = models.BooleanField(
        _("exempelinnehåll"), default=False, help_text=_("Demoinnehåll, inte verkliga möten.")
    )

    class Meta:
        ordering = ["municipality", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="unique_group_name")
        ]
        verbose_name = _("arbetsgrupp")
        verbose_name_plural = _("arbetsgrupper")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("meetings:group", args=[self.pk])


class Membership(models.Model):
    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="one_membership_per_user")
        ]

    def __str__(self):
        return f"{self.user} – {self.group}"


class Meeting(models.Model):
    municipality_path = "group__municipality"  # for the admin (accounts.admin)

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planerat")
        INVITED = "invited", _("Kallelse skickad")
        HELD = "held", _("Genomfört")
        APPROVED = "approved", _("Protokollet justerat")

    group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("grupp")
    )
    title = models.CharField(_("rubrik"), max_length=200)
    start = models.DateTimeField(_("börjar"))
    end = models.DateTimeField(_("slutar"))
    place = models.CharField(_("plats"), max_length=200, blank=True)
    link = models.URLField(_("länk till digitalt möte"), blank=True)
    invited = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        through="Invitation",
        related_name="meeting_invitations",
        verbose_name=_("kallade"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    minutes_text = models.TextField(_("protokollsanteckningar"), max_length=LONG_TEXT, blank=True)
    invitation_sent_at = models.DateTimeField(_("kallelse skickad"), null=True, blank=True)
    # Raised with every invitation sent, so calendar programs replace the earlier one.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("justerat av"),
    )
    approved_at = models.DateTimeField(_("justerat"), null=True, blank=True)
    is_example = models.BooleanField(_("exempelinnehåll"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start"]
        verbose_name = _("möte")
        verbose_name_plural = _("möten")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:meeting", args=[self.pk])

    @property
    def municipality(self):
        return self.group.municipality

    @property
    def is_approved(self):
        return self.status == self.Status.APPROVED

    @property
    def may_invite(self):
        """A meeting is called (or called again after a change) until it has been held."""
        return self.status in (self.Status.PLANNED, self.Status.INVITED)


class Invitation(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="one_invitation_per_user")
        ]

    def __str__(self):
        return f"{self.user} – {self.meeting}"


class AgendaItem(models.Model):
    municipality_path = "meeting__group__municipality"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField(_("ordning"), default=1)
    title = models.CharField(_("punkt"), max_length=200)
    note = models.TextField(
        pgettext_lazy("meeting document", "underlag"), max_length=SHORT_TEXT, blank=True
    )
    decision = models.TextField(_("beslut"), max_length=SHORT_TEXT, blank=True)
    activity = models.ForeignKey(
        Activity,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("insats"),
    )
    round = models.ForeignKey(
        FollowUpRound,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uppföljningsomgång"),
    )
    indicator = models.CharField(_("indikator"), max_length=100, blank=True)
    area_key = models.CharField(_("policyområde"), max_length=64, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "order", "pk"]
        verbose_name = _("dagordningspunkt")
        verbose_name_plural = _("dagordningspunkter")

    def __str__(self):
        return f"{self.order}. {self.title}"


class ActionPoint(models.Model):
    municipality_path = "meeting__group__municipality"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_points")
    text = models.TextField(_("åtgärd"), max_length=SHORT_TEXT)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_points",
        verbose_name=_("ansvarig"),
    )
    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("ansvarig förvaltning"),
    )
    due = models.DateField(_("senast"), null=True, blank=True)
    activity = models.ForeignKey(
        Activity,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("insats"),
    )
    done = models.BooleanField(_("klar"), default=False)
    done_at = models.DateTimeField(_("klar den"), null=True, blank=True)
    # The activity's timeline entry made when the minutes were approved (so it is made once).
    timeline_entry = models.ForeignKey(
        TimelineEntry, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["done", "due", "pk"]
        verbose_name = _("åtgärdspunkt")
        verbose_name_plural = _("åtgärdspunkter")

    def __str__(self):
        return self.text[:80]

    @property
    def municipality(self):
        return self.meeting.group.municipality

    def who(self):
        """The responsible person's name, else the department's, else ""."""
        if self.responsible:
            return self.responsible.get_full_name() or self.responsible.get_username()
        return self.department.name if self.department else ""


class Attendance(models.Model):
    municipality_path = "meeting__group__municipality"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("deltagare"),
    )
    present = models.BooleanField(_("närvarande"), default=False)

    class Meta:
        ordering = ["meeting", "user__last_name", "user__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="one_attendance_per_user")
        ]
        verbose_name = _("närvaro")
        verbose_name_plural = _("närvaro")

    def __str__(self):
        return f"{self.user} ({self.meeting})"
