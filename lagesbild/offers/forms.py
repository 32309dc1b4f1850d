"""The public sign-up form ("Bidra") and the coordinator's small forms in the inbox."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lagesbild.public.forms import use_own_errors
from lagesbild.public.models import spoken_language_choices

from .models import DESCRIPTION_MAX, REPLY_MAX, Offer, retention_days

DATE = forms.DateInput(attrs={"type": "date"})


def consent_text(site_name, days):
    """What the person agrees to, in the active language: stored word for word with the offer."""
    return gettext(
        "Jag samtycker till att %(kommun)s sparar mitt namn, min e-postadress och mitt "
        "telefonnummer tillsammans med erbjudandet, för att kunna kontakta mig om det. Bara "
        "kommunens integrationssamordnare ser uppgifterna; de visas aldrig på webbplatsen. "
        "Uppgifterna raderas efter %(days)s dagar."
    ) % {"kommun": site_name, "days": days}


class OfferForm(forms.Form):
    """One short form for every kind of offer; what differs is said by the help texts."""

    kind = forms.ChoiceField(
        label=_("Vad vill du erbjuda?"), choices=Offer.Kind.choices, widget=forms.RadioSelect
    )
    offered_by_type = forms.ChoiceField(
        label=_("Vem erbjuder?"), choices=Offer.OfferedBy.choices, widget=forms.RadioSelect
    )
    organisation = forms.CharField(
        label=_("Företag eller förening"),
        max_length=200,
        required=False,
        help_text=_("Lämna tomt om du erbjuder något som privatperson."),
    )
    contact_name = forms.CharField(label=_("Ditt namn"), max_length=200)
    email = forms.EmailField(label=_("E-post"), max_length=254)
    phone = forms.CharField(label=_("Telefon (frivilligt)"), max_length=40, required=False)
    description = forms.CharField(
        label=_("Beskriv vad du erbjuder"),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Till exempel vad, var, hur ofta och för vem."),
    )
    trade = forms.CharField(
        label=_("Yrke eller bransch"),
        max_length=200,
        required=False,
        help_text=_("Behövs för praktikplatser."),
    )
    period_start = forms.DateField(
        label=_("Period från"),
        required=False,
        widget=DATE,
        help_text=_("Behövs för praktikplatser."),
    )
    period_end = forms.DateField(
        label=_("Period till"),
        required=False,
        widget=DATE,
        help_text=_("Behövs för praktikplatser."),
    )
    language_support = forms.MultipleChoiceField(
        label=_("Språk som du eller platsen kan ge stöd på"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    consent = forms.BooleanField(label=_("Samtycke"), required=True)
    # Hidden with CSS (and from screen readers); a person never fills it in, many bots do.
    homepage = forms.CharField(label=_("Lämna det här fältet tomt"), required=False, max_length=200)

    def __init__(self, *args, site_name="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language_support"].choices = spoken_language_choices()
        self.consent_text = consent_text(site_name, retention_days())
        self.fields["consent"].label = self.consent_text
        self.fields["homepage"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        use_own_errors(self)
        self.fields["consent"].error_messages["required"] = _(
            "Vi kan bara ta emot erbjudandet om du samtycker till att uppgifterna sparas."
        )

    @property
    def is_spam(self):
        return bool(self.data.get("homepage"))

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if data.get("kind") == Offer.Kind.INTERNSHIP:
            needed = _("Fyll i det här fältet för en praktikplats.")
            for name in ("trade", "period_start", "period_end"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, needed)
        if start and end and end < start:
            self.add_error("period_end", _("Perioden måste sluta efter att den börjar."))
        return data


# --- the coordinator's forms on the inbox's detail page --------------------------------------


class StaffForm(forms.Form):
    """Several of these share the detail page: each gets a prefix, which keeps the ids unique."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_own_errors(self)


class AnswerForm(StaffForm):
    text = forms.CharField(
        label=_("Svar till den som erbjuder"),
        max_length=REPLY_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Skickas med e-post och sparas med erbjudandet."),
    )


class AcceptInternshipForm(StaffForm):
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    field = forms.CharField(label=_("Yrkesområde"), max_length=200)
    period_start = forms.DateField(label=_("Period från"), widget=DATE)
    period_end = forms.DateField(label=_("Period till"), widget=DATE)

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("Perioden måste sluta efter att den börjar."))
        return data


class AcceptPartnerForm(StaffForm):
    name = forms.CharField(label=_("Organisationens namn"), max_length=200)


class AcceptMeetingPlaceForm(StaffForm):
    name = forms.CharField(label=_("Mötesplatsens namn"), max_length=200)
    address = forms.CharField(label=_("Adress"), max_length=300)
    confirmed = forms.BooleanField(
        label=_("Jag har kontrollerat namn och adress."),
        help_text=_("Mötesplatser granskas inte: de visas direkt på de publika sidorna."),
    )


class AcceptEventForm(StaffForm):
    title = forms.CharField(label=_("Evenemangets namn"), max_length=200)
    start = forms.DateTimeField(
        label=_("Börjar"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    end = forms.DateTimeField(
        label=_("Slutar"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    address = forms.CharField(label=_("Plats och adress"), max_length=300)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("Slutet måste komma efter början."))
        return data


ACCEPT_FORMS = {
    "praktikplats": AcceptInternshipForm,
    "partner": AcceptPartnerForm,
    "motesplats": AcceptMeetingPlaceForm,
    "evenemang": AcceptEventForm,
}
