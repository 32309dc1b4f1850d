"""Collaboration agreements (samverkansavtal) of a municipality, issue #15 part 2.

An agreement is written with an association, company or authority: an IOP (idéburet offentligt
partnerskap), an överenskommelse, a LÖK with Arbetsförmedlingen or an internship agreement. It
serves policy areas (by PolicyArea.key, stable across policy versions) and activities of the
plan. Its renewal and end dates remind the coordinator (`lagesbild agreements remind`); the
dates a reminder went out for are kept, so each date is reminded once, and a moved date again.

Contact persons are a name and a work e-mail only (found by `lagesbild personal-data` by their
field names). Changes are kept by django-simple-history.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from lagesbild.core.text import LONG_TEXT


class Kind(models.TextChoices):
    IOP = "iop", _("Idéburet offentligt partnerskap (IOP)")
    AGREEMENT = "overenskommelse", _("Överenskommelse")
    LOK = "lok", _("Lokal överenskommelse med Arbetsförmedlingen (LÖK)")
    INTERNSHIP = "praktik", _("Praktikavtal")
    OTHER = "annat", _("Annat avtal")


class Status(models.TextChoices):
    DRAFT = "utkast", pgettext_lazy("agreement status", "Utkast")
    ACTIVE = "aktiv", _("Aktivt")
    ENDED = "avslutad", _("Avslutat")


def split_keys(value):
    """The keys of a comma-separated text, without blanks: "a, b," -> ["a", "b"]."""
    return [k.strip() for k in (value or "").split(",") if k.strip()]


def current_areas(municipality):
    """{key: title} of the areas of the municipality's current policy version ({} if none)."""
    from lagesbild.policy.models import PolicyArea

    areas = PolicyArea.objects.filter(
        version__policy__municipality=municipality, version__is_current=True
    )
    return {a.key: a.title for a in areas}


class Agreement(models.Model):
    municipality = models.CharField(_("kommunkod"), max_length=4, db_index=True)
    kind = models.CharField(_("typ av avtal"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("titel"), max_length=200)
    partner = models.ForeignKey(
        "public.Partner",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agreements",
        verbose_name=_("partnerorganisation"),
        help_text=_("Organisationen från partnersidan, om den finns där."),
    )
    other_party = models.CharField(
        _("annan part"),
        max_length=200,
        blank=True,
        help_text=_("T.ex. Arbetsförmedlingen, om parten inte är en partnerorganisation."),
    )
    purpose = models.TextField(_("syfte"), max_length=LONG_TEXT, blank=True)
    start_date = models.DateField(_("gäller från"))
    end_date = models.DateField(
        _("gäller till"), null=True, blank=True, help_text=_("Tomt: tills vidare.")
    )
    renewal_date = models.DateField(
        _("ska omförhandlas senast"), null=True, blank=True, help_text=_("Datum för förnyelse.")
    )
    contact_name = models.CharField(_("kontaktperson"), max_length=200, blank=True)
    contact_email = models.EmailField(_("kontaktpersonens e-post"), max_length=254, blank=True)
    policy_area_keys = models.CharField(
        _("policyområden"),
        max_length=500,
        blank=True,
        help_text=_("Id:n för policyns områden, med kommatecken, t.ex. sprak, arbete."),
    )
    activities = models.ManyToManyField(
        "plan.Activity", blank=True, related_name="agreements", verbose_name=_("insatser")
    )
    amount = models.DecimalField(
        _("belopp (kr)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    amount_note = models.CharField(
        _("om beloppet"), max_length=300, blank=True, help_text=_("T.ex. per år, eller i natura.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    is_public = models.BooleanField(
        _("visas på partnerns publika sida"),
        default=False,
        help_text=_("Typ, titel, period och syfte visas; aldrig kontaktperson eller belopp."),
    )
    is_example = models.BooleanField(
        _("exempelinnehåll"), default=False, help_text=_("Demoinnehåll, inte verkliga avtal.")
    )
    # The dates a reminder was sent for: a date is reminded once; a moved date is a new one.
    renewal_reminded_for = models.DateField(null=True, blank=True, editable=False)
    end_reminded_for = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("skapat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrat"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["municipality", "-start_date", "title"]
        verbose_name = _("samverkansavtal")
        verbose_name_plural = _("samverkansavtal")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("agreements:detail", args=[self.pk])

    @property
    def party(self):
        """Who the municipality agreed with: the partner organisation and/or the other party."""
        names = [str(self.partner) if self.partner_id else "", self.other_party]
        return ", ".join(n for n in names if n)

    @property
    def area_keys(self):
        return split_keys(self.policy_area_keys)

    def clean(self):
        errors = {}
        if not self.partner_id and not self.other_party.strip():
            errors["other_party"] = _("Ange en partnerorganisation eller en annan part.")
        if self.partner_id and self.partner.municipality != self.municipality:
            errors["partner"] = _("Partnerorganisationen hör till en annan kommun.")
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = _("Slutdatum kan inte vara före startdatum.")
        keys = self.area_keys
        if keys:
            known = current_areas(self.municipality)
            unknown = [k for k in keys if k not in known]
            if unknown:
                errors["policy_area_keys"] = _(
                    "Okända policyområden: %(unknown)s. Kommunens gällande policy har: %(known)s."
                ) % {"unknown": ", ".join(unknown), "known": ", ".join(known) or "–"}
            else:
                self.policy_area_keys = ", ".join(dict.fromkeys(keys))
        if errors:
            raise ValidationError(errors)


def document_path(document, filename):
    """agreements/<agreement id>/<name>; the storage adds a suffix when the name is taken."""
    return f"agreements/{document.agreement_id}/{filename}"


class AgreementDocument(models.Model):
    """A file attached to an agreement (the signed agreement, an annex), PDF, Word or Excel."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="documents", verbose_name=_("avtal")
    )
    file = models.FileField(_("fil"), upload_to=document_path, max_length=300)
    original_name = models.CharField(_("filnamn"), max_length=255)
    uploaded_at = models.DateTimeField(_("uppladdad"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        "auth.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uppladdad av"),
    )

    class Meta:
        ordering = ["agreement", "-uploaded_at"]
        verbose_name = _("avtalsdokument")
        verbose_name_plural = _("avtalsdokument")

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("agreements:document", args=[self.pk])

    @property
    def municipality(self):
        return self.agreement.municipality
