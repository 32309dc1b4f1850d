"""Public content: events, meeting places, internship places, partners and the validation guide.

Texts are translated per language with django-modeltranslation (see translation.py); each
translated field carries a status per language (missing, machine, reviewed) in
`translation_status`. Events and internship places can be proposed from outside: they stay
`pending` until staff approve them, and only `published` content is ever shown publicly.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import recurrence

STOCKHOLM = ZoneInfo("Europe/Stockholm")
# A repeating event is expanded at most this far: a calendar never needs more.
MAX_OCCURRENCES = recurrence.MAX_OCCURRENCES
# Longest free texts, in characters. Public proposals come from anyone: without a limit a
# description could fill the whole request (10 MB). A page of text is about 3,000 characters.
LONG_TEXT = 5000
SHORT_TEXT = 1000


class Moderation(models.TextChoices):
    PENDING = "pending", _("Väntar på granskning")
    PUBLISHED = "published", _("Publicerad")
    REJECTED = "rejected", _("Avvisad")


class TargetGroup(models.TextChoices):
    EVERYONE = "everyone", _("Alla är välkomna")
    FAMILIES = "families", _("Barn och familjer")
    YOUTH = "youth", _("Unga")
    ADULTS = "adults", _("Vuxna")
    WOMEN = "women", _("Kvinnor")
    NEWCOMERS = "newcomers", _("Nyanlända")
    SENIORS = "seniors", _("Äldre")
    JOBSEEKERS = "jobseekers", _("Arbetssökande")


class SwedishLevel(models.TextChoices):
    NONE = "none", _("Inga krav på svenska")
    BASIC = "basic", _("Grundläggande svenska (SFI B–C)")
    GOOD = "good", _("God svenska (SFI D eller mer)")
    FLUENT = "fluent", _("Flytande svenska")


class TranslationStatus(models.TextChoices):
    MISSING = "missing", _("saknas")
    MACHINE = "machine", _("maskinöversatt")
    REVIEWED = "reviewed", _("granskad")


def spoken_language_choices():
    """Languages an event can be held in: the public languages except the lättläst variety."""
    return [(code, name) for code, name in settings.LANGUAGES if code != "sv-x-ll"]


def validate_language_list(value):
    known = {code for code, _name in spoken_language_choices()}
    for code in split_codes(value):
        if code not in known:
            raise ValidationError(
                _("Okänd språkkod %(code)s. Använd någon av: %(known)s."),
                params={"code": code, "known": ", ".join(sorted(known))},
            )


def split_codes(value):
    return [c.strip().lower() for c in (value or "").split(",") if c.strip()]


def validate_rrule(value):
    """The rule reads and keeps to the limits in recurrence.py; Event.clean checks the horizon
    from the event's own start."""
    if not value:
        return
    try:
        recurrence.parse(value, datetime(2026, 1, 1, 12, 0, tzinfo=STOCKHOLM))
    except ValueError as e:
        raise ValidationError(
            _("Upprepningsregeln (RRULE) går inte att läsa: %(error)s"), params={"error": e}
        ) from e
    problem = recurrence.form_problem(value)
    if problem:
        raise ValidationError(problem)


class TranslatedContent(models.Model):
    """Shared parts of everything shown on the public pages."""

    municipality = models.CharField(_("kommunkod"), max_length=4, default="1082", db_index=True)
    # {"title": {"ar": "reviewed", "en": "machine"}}; an empty text is always "missing".
    translation_status = models.JSONField(_("översättningsstatus"), default=dict, blank=True)
    is_example = models.BooleanField(
        _("exempel"), default=False, help_text=_("Demoinnehåll, inte verkliga uppgifter.")
    )
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        abstract = True

    @property
    def site_slug(self):
        """The municipality's slug in the public pages' addresses (/karlshamn/...)."""
        from lagesbild.core.municipalities import slug_of

        return slug_of(self.municipality)

    def translation_state(self, field, language):
        """missing, machine or reviewed for one field in one language."""
        from modeltranslation.utils import build_localized_fieldname

        if not getattr(self, build_localized_fieldname(field, language), None):
            return TranslationStatus.MISSING
        if language == settings.MODELTRANSLATION_DEFAULT_LANGUAGE:
            return TranslationStatus.REVIEWED
        return self.translation_status.get(field, {}).get(language, TranslationStatus.REVIEWED)

    def set_translation(self, field, language, text, status):
        from modeltranslation.utils import build_localized_fieldname

        setattr(self, build_localized_fieldname(field, language), text)
        self.translation_status.setdefault(field, {})[language] = status


class Partner(TranslatedContent):
    class Kind(models.TextChoices):
        ASSOCIATION = "association", _("Förening")
        BUSINESS = "business", _("Företag")
        PUBLIC = "public", _("Myndighet eller kommun")

    name = models.CharField(_("namn"), max_length=200)
    slug = models.SlugField(_("kortnamn i adresser"), max_length=80)
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("beskrivning"), max_length=LONG_TEXT, blank=True)
    website = models.URLField(_("webbplats"), blank=True)
    is_public = models.BooleanField(_("visas på partnersidan"), default=True)

    class Meta:
        ordering = ["name"]
        # Each municipality names its own: two sites may both have "sprakcafe".
        constraints = [
            models.UniqueConstraint(fields=["municipality", "slug"], name="partner_slug_per_site")
        ]
        verbose_name = _("partnerorganisation")
        verbose_name_plural = _("partnerorganisationer")

    def __str__(self):
        return self.name


class MeetingPlace(TranslatedContent):
    name = models.CharField(_("namn"), max_length=200)
    slug = models.SlugField(_("kortnamn i adresser"), max_length=80)
    address = models.CharField(_("adress"), max_length=300)
    opening_hours = models.TextField(_("öppettider"), max_length=SHORT_TEXT, blank=True)
    languages = models.CharField(
        _("språk"),
        max_length=100,
        blank=True,
        validators=[validate_language_list],
        help_text=_("Språkkoder med kommatecken, t.ex. sv, ar, uk."),
    )
    description = models.TextField(_("vad som händer här"), max_length=LONG_TEXT, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "slug"], name="place_slug_per_site")
        ]
        verbose_name = _("mötesplats")
        verbose_name_plural = _("mötesplatser")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("public:place", kwargs={"kommun": self.site_slug, "slug": self.slug})

    @property
    def language_codes(self):
        return split_codes(self.languages)


class ModeratedContent(TranslatedContent):
    """Content that may come from a public proposal and needs approval before it is shown."""

    status = models.CharField(
        _("status"), max_length=20, choices=Moderation.choices, default=Moderation.PENDING
    )
    # Contact details of whoever proposed it: shown to staff only, never on public pages.
    proposer_organisation = models.CharField(
        _("föreslaget av (organisation)"), max_length=200, blank=True
    )
    proposer_email = models.EmailField(_("kontakt för förslaget"), blank=True)
    # Set by the public proposal forms: such a row, still pending or rejected, is deleted after
    # settings.PUBLIC_PROPOSAL_RETENTION_DAYS (retention.py); staff drafts are kept.
    from_proposal = models.BooleanField(_("från förslagsformuläret"), default=False, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("granskad"), null=True, blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        abstract = True


class Event(ModeratedContent):
    title = models.CharField(_("titel"), max_length=200)
    description = models.TextField(_("beskrivning"), max_length=LONG_TEXT, blank=True)
    start = models.DateTimeField(_("börjar"))
    end = models.DateTimeField(_("slutar"))
    rrule = models.CharField(
        _("upprepning (RRULE)"),
        max_length=300,
        blank=True,
        validators=[validate_rrule],
        help_text=_("T.ex. FREQ=WEEKLY;BYDAY=TU;COUNT=10. Tom för ett enstaka tillfälle."),
    )
    place = models.ForeignKey(
        MeetingPlace,
        verbose_name=_("mötesplats"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    address = models.CharField(
        _("adress"),
        max_length=300,
        blank=True,
        help_text=_("Om evenemanget inte är på en mötesplats."),
    )
    organiser = models.ForeignKey(
        Partner,
        verbose_name=_("arrangör"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    languages = models.CharField(
        _("språk på plats"),
        max_length=100,
        default="sv",
        validators=[validate_language_list],
        help_text=_("Språkkoder med kommatecken, t.ex. sv, ar, uk."),
    )
    accessibility = models.TextField(_("tillgänglighet"), max_length=SHORT_TEXT, blank=True)
    cost = models.CharField(_("kostnad"), max_length=200, blank=True)
    is_free = models.BooleanField(_("gratis"), default=True)
    target_group = models.CharField(
        _("målgrupp"), max_length=20, choices=TargetGroup.choices, default=TargetGroup.EVERYONE
    )
    # The Handlingsplan activity (insats) this event carries out, if any.
    plan_activity = models.ForeignKey(
        "plan.Activity",
        verbose_name=_("insats i handlingsplanen"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="public_events",
    )

    class Meta:
        ordering = ["start"]
        verbose_name = _("evenemang")
        verbose_name_plural = _("evenemang")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("public:event", kwargs={"kommun": self.site_slug, "pk": self.pk})

    def clean(self):
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("Slutet måste komma efter början.")})
        if not self.place_id and not self.address:
            raise ValidationError({"address": _("Ange en mötesplats eller en adress.")})
        if self.rrule and self.start:
            local = timezone.localtime(self.start, STOCKHOLM)
            try:
                rule = recurrence.parse(self.rrule, local)
            except ValueError:
                return  # validate_rrule has said so already
            if recurrence.form_problem(self.rrule):
                return  # likewise
            problem = recurrence.horizon_problem(rule, local)
            if problem:
                raise ValidationError({"rrule": problem})

    @property
    def language_codes(self):
        return split_codes(self.languages)

    @property
    def location_text(self):
        if self.place:
            return f"{self.place.name}, {self.place.address}"
        return self.address

    def occurrences(self, start=None, end=None):
        """(start, end) pairs, aware, of every occurrence that overlaps [start, end).

        Repetition is expanded in Stockholm wall-clock time, so an event at 18:00 stays at
        18:00 across the daylight-saving change (as the RRULE in the iCalendar feed says).
        A rule stored before today's limits still expands, within recurrence's hard limits.
        """
        duration = self.end - self.start
        starts = self.repeat_starts() or [self.start]
        return [
            (s, s + duration)
            for s in starts
            if (start is None or s + duration > start) and (end is None or s < end)
        ]

    def repeat_starts(self):
        """The starts of a repeating event (at most MAX_OCCURRENCES), [] for a single one or
        a rule that cannot be read."""
        if not self.rrule:
            return []
        # zoneinfo keeps the wall-clock time and gives each date its own UTC offset.
        local = timezone.localtime(self.start, STOCKHOLM)
        try:
            rule = recurrence.parse(self.rrule, local)
        except ValueError:
            return []
        return recurrence.expand(rule)[0]

    def rrule_within_limits(self):
        """Whether the stored rule keeps to today's limits (older rows may not)."""
        if not self.rrule:
            return True
        local = timezone.localtime(self.start, STOCKHOLM)
        try:
            rule = recurrence.parse(self.rrule, local)
        except ValueError:
            return False
        return not (recurrence.form_problem(self.rrule) or recurrence.horizon_problem(rule, local))

    def next_occurrence(self, now=None):
        found = self.occurrences(start=now or timezone.now())
        return found[0] if found else (self.start, self.end)


class InternshipPlace(ModeratedContent):
    title = models.CharField(_("titel"), max_length=200)
    field = models.CharField(_("yrkesområde"), max_length=200)
    description = models.TextField(_("beskrivning"), max_length=LONG_TEXT, blank=True)
    requirements = models.TextField(_("krav"), max_length=LONG_TEXT, blank=True)
    swedish_level = models.CharField(
        _("svenska som behövs"),
        max_length=20,
        choices=SwedishLevel.choices,
        default=SwedishLevel.BASIC,
    )
    period_start = models.DateField(_("period från"))
    period_end = models.DateField(_("period till"))
    offered_by = models.ForeignKey(
        Partner,
        verbose_name=_("erbjuds av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="internships",
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("förvaltning"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="internships",
    )
    contact = models.CharField(
        _("kontakt"),
        max_length=300,
        help_text=_("Funktionsadress eller växel, inte privata uppgifter."),
    )
    is_open = models.BooleanField(_("ledig"), default=True)

    class Meta:
        ordering = ["-is_open", "period_start"]
        verbose_name = _("praktikplats")
        verbose_name_plural = _("praktikplatser")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("public:internship", kwargs={"kommun": self.site_slug, "pk": self.pk})

    def clean(self):
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("Perioden måste sluta efter att den börjar.")})

    @property
    def offerer_name(self):
        if self.offered_by:
            return self.offered_by.name
        if self.department:
            return self.department.name
        return self.proposer_organisation


class GuideEntry(TranslatedContent):
    """One entry of the validation and referral guide: what to have recognised, and where."""

    class Category(models.TextChoices):
        HIGHER_EDUCATION = "higher", _("Utbildning från universitet eller högskola")
        SECONDARY = "secondary", _("Gymnasie- och yrkesutbildning")
        REGULATED = "regulated", _("Reglerade yrken (legitimation)")
        SKILLS = "skills", _("Yrkeskunskaper utan betyg")
        LANGUAGE = "language", _("Svenska och studier")

    category = models.CharField(_("kategori"), max_length=20, choices=Category.choices)
    title = models.CharField(_("rubrik"), max_length=200)
    description = models.TextField(_("vad det gäller"), max_length=LONG_TEXT)
    contact_body = models.CharField(_("vart man vänder sig"), max_length=200)
    url = models.URLField(_("webbadress"), blank=True)
    order = models.PositiveIntegerField(_("ordning"), default=0)

    class Meta:
        ordering = ["category", "order", "title"]
        verbose_name = _("post i valideringsguiden")
        verbose_name_plural = _("valideringsguiden")

    def __str__(self):
        return self.title


# A logo is shown in the header of every public page: small, and only formats whose content we
# can recognise (no SVG, which can carry scripts).
MAX_LOGO_BYTES = 200 * 1024
LOGO_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


def logo_type(data):
    """The image type of a logo's bytes, or None when it is neither PNG nor JPEG."""
    for magic, kind in LOGO_TYPES.items():
        if data.startswith(magic):
            return kind
    return None


def relative_luminance(hex_colour):
    """WCAG 2.1 relative luminance of "#rrggbb"."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_with_white(hex_colour):
    """WCAG contrast ratio of the colour against white (1 to 21)."""
    return 1.05 / (relative_luminance(hex_colour) + 0.05)


# The accent is the header's background behind white text, and the colour of links on white:
# both need 4.5:1 (WCAG 2.1 AA, 1.4.3).
MIN_CONTRAST = 4.5


def validate_accent(value):
    import re

    if not re.fullmatch(r"#[0-9a-fA-F]{6}", value or ""):
        raise ValidationError(_("Skriv färgen som #rrggbb, t.ex. #1f5f8b."))
    ratio = contrast_with_white(value)
    if ratio < MIN_CONTRAST:
        raise ValidationError(
            _(
                "Färgen %(colour)s har kontrasten %(ratio)s:1 mot vitt; minst 4,5:1 behövs "
                "för att text ska gå att läsa (WCAG 2.1 AA). Välj en mörkare färg."
            ),
            params={"colour": value, "ratio": f"{ratio:.1f}".replace(".", ",")},
        )


class PublicSite(models.Model):
    """A municipality's public site: whether it is shown, and its header's logo and colour.

    The pages live under /<språk>/<kommun-slug>/ (slug from the municipality register, see
    core.municipalities.slugs). A municipality without a published site has no public pages:
    its addresses answer 404 and the start page does not list it.
    """

    municipality = models.CharField(_("kommunkod"), max_length=4, unique=True)
    is_published = models.BooleanField(
        _("visas för invånare"),
        default=True,
        help_text=_("Av: kommunens publika sidor svarar 404 och listas inte på startsidan."),
    )
    accent_colour = models.CharField(
        _("accentfärg"),
        max_length=7,
        blank=True,
        validators=[validate_accent],
        help_text=_("Sidhuvudets bakgrund och länkarnas färg, #rrggbb. Minst 4,5:1 mot vitt."),
    )
    logo = models.BinaryField(_("logotyp"), null=True, blank=True, editable=False)
    logo_content_type = models.CharField(max_length=20, blank=True, editable=False)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        ordering = ["municipality"]
        verbose_name = _("publik webbplats")
        verbose_name_plural = _("publika webbplatser")

    def __str__(self):
        from lagesbild.core import municipalities

        area = municipalities.get(self.municipality)
        return area.full_name if area else self.municipality

    def clean(self):
        from lagesbild.core import municipalities

        area = municipalities.get(self.municipality)
        if area is None or area.kind != "kommun":
            raise ValidationError({"municipality": _("Okänd kommunkod.")})
