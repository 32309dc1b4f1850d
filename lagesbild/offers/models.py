"""Offers to take part ("Bidra"): a resident, a company or an association offers an internship
place, mentoring, a language café, volunteering or a meeting place.

An offer is a message to the municipality's integration coordinator, never public content: the
contact details (contact_name, email, phone) are shown only in the staff inbox. No row exists
without the person's consent; the exact text she agreed to and the retention time she was told
are stored with it, and the row is deleted when that time has passed (retention.py), whatever
became of it. Accepting an offer creates unpublished public content (a pending internship place
or event, a hidden partner, a meeting place) that the coordinator completes in the admin.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from lagesbild.public.models import split_codes, validate_language_list

DESCRIPTION_MAX = 3000
REPLY_MAX = 5000
CONSENT_MAX = 2000


def retention_days():
    """Days an offer is kept (settings.OFFER_RETENTION_DAYS, LAGESBILD_OFFER_RETENTION_DAYS)."""
    return int(getattr(settings, "OFFER_RETENTION_DAYS", 180))


class Offer(models.Model):
    class Kind(models.TextChoices):
        INTERNSHIP = "praktik", _("Praktikplats")
        MENTORING = "mentor", _("Mentorskap")
        LANGUAGE_CAFE = "sprakkafe", _("Språkcafé")
        VOLUNTEERING = "volontar", _("Volontärarbete")
        MEETING_PLACE = "motesplats", _("Mötesplats")
        OTHER = "annat", _("Annat")

    class OfferedBy(models.TextChoices):
        RESIDENT = "privatperson", _("Privatperson")
        COMPANY = "foretag", _("Företag")
        ASSOCIATION = "forening", _("Förening")

    class Status(models.TextChoices):
        NEW = "ny", _("Ny")
        ANSWERED = "besvarad", _("Besvarad")
        ACCEPTED = "antagen", _("Antagen")
        REJECTED = "avvisad", _("Avvisad")

    municipality = models.CharField(_("kommunkod"), max_length=4, db_index=True)
    kind = models.CharField(_("vad erbjuds"), max_length=20, choices=Kind.choices)
    offered_by_type = models.CharField(_("erbjuds av"), max_length=20, choices=OfferedBy.choices)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    contact_name = models.CharField(_("kontaktperson"), max_length=200)
    email = models.EmailField(_("e-post"), max_length=254)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    description = models.TextField(_("beskrivning"), max_length=DESCRIPTION_MAX)
    trade = models.CharField(_("yrke eller bransch"), max_length=200, blank=True)
    period_start = models.DateField(_("period från"), null=True, blank=True)
    period_end = models.DateField(_("period till"), null=True, blank=True)
    language_support = models.CharField(
        _("språkstöd"),
        max_length=100,
        blank=True,
        validators=[validate_language_list],
        help_text=_("Språkkoder med kommatecken, t.ex. sv, ar, uk."),
    )
    language = models.CharField(
        _("formulärets språk"), max_length=10, blank=True, help_text=_("Svara gärna på det.")
    )
    consent_given_at = models.DateTimeField(_("samtycke lämnat"))
    consent_text = models.TextField(_("samtyckestext"), max_length=CONSENT_MAX)
    retention_days = models.PositiveIntegerField(_("sparas i dagar"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW, db_index=True
    )
    created_at = models.DateTimeField(_("inkommet"), auto_now_add=True, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beslutat av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("beslutat"), null=True, blank=True)
    # What the offer became (unpublished until the coordinator publishes it in the admin).
    internship = models.ForeignKey(
        "public.InternshipPlace", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    partner = models.ForeignKey(
        "public.Partner", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    meeting_place = models.ForeignKey(
        "public.MeetingPlace", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    event = models.ForeignKey(
        "public.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("erbjudande")
        verbose_name_plural = _("erbjudanden")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__isnull=True)
                | models.Q(period_start__isnull=True)
                | models.Q(period_end__gte=models.F("period_start")),
                name="offer_period_in_order",
            ),
        ]

    def __str__(self):
        return (
            f"{self.get_kind_display()}: {self.organisation or self.get_offered_by_type_display()}"
        )

    def clean(self):
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("Perioden måste sluta efter att den börjar.")})

    @property
    def language_codes(self):
        return split_codes(self.language_support)

    @property
    def delete_after(self):
        return self.created_at + datetime.timedelta(days=self.retention_days)

    @property
    def result(self):
        """The public content the offer became, if any."""
        return self.internship or self.partner or self.meeting_place or self.event


class OfferReply(models.Model):
    """An answer staff sent to the offerer by e-mail, kept with the offer."""

    municipality_path = "offer__municipality"  # for the admin's scoping
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="replies")
    text = models.TextField(_("svar"), max_length=REPLY_MAX)
    sent_to = models.EmailField(_("skickat till"), max_length=254)
    sent_at = models.DateTimeField(_("skickat"), auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("skickat av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["sent_at"]
        verbose_name = _("svar på erbjudande")
        verbose_name_plural = _("svar på erbjudanden")

    def __str__(self):
        return f"{self.offer_id}: {self.sent_at:%Y-%m-%d}"
