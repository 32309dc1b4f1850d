from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .localize import localized
from .models import (
    LONG_TEXT,
    SHORT_TEXT,
    MeetingPlace,
    SwedishLevel,
    TargetGroup,
    spoken_language_choices,
)

MAX_RANGE_DAYS = 366

# Our own short error texts: Django ships no catalog for Somali, Tigrinya or lättläst.
ERRORS = {
    "required": _("Fyll i det här fältet."),
    "invalid_choice": _("Välj något av alternativen."),
    "max_length": _("Texten är för lång: högst %(limit_value)s tecken (nu %(show_value)s)."),
}
INVALID = {
    forms.DateTimeField: _("Skriv ett giltigt datum och klockslag."),
    forms.DateField: _("Skriv ett giltigt datum."),
    forms.EmailField: _("Skriv en giltig e-postadress."),
}


def use_own_errors(form):
    for field in form.fields.values():
        field.error_messages.update(ERRORS)
        for kind, text in INVALID.items():
            if isinstance(field, kind):
                field.error_messages["invalid"] = text
                break


class LangSelect(forms.Select):
    """A select whose options say which language their text is in (mixed-language content)."""

    option_langs = {}

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        lang = self.option_langs.get(str(value))
        if lang:
            option["attrs"]["lang"] = lang
        return option


class EventFilterForm(forms.Form):
    """The calendar's filters, read from the query string (shareable links)."""

    fran = forms.DateField(
        label=_("Från och med"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    till = forms.DateField(
        label=_("Till och med"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    plats = forms.ChoiceField(label=_("Plats"), required=False, widget=LangSelect)
    sprak = forms.ChoiceField(label=_("Språk"), required=False, widget=LangSelect)
    malgrupp = forms.ChoiceField(label=_("Målgrupp"), required=False)

    def __init__(self, *args, site, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("Alla"))]
        own = MeetingPlace.objects.filter(municipality=site.code)
        places = [(p.slug, localized(p, "name")) for p in own]
        self.fields["plats"].choices = everything + [(slug, t.text) for slug, t in places]
        self.fields["plats"].widget.option_langs = {slug: t.language for slug, t in places}
        languages = spoken_language_choices()
        self.fields["sprak"].choices = everything + languages
        self.fields["sprak"].widget.option_langs = {code: code for code, _name in languages}
        self.fields["malgrupp"].choices = everything + list(TargetGroup.choices)
        use_own_errors(self)

    def clean(self):
        data = super().clean()
        start = data.get("fran") or timezone.localdate()
        end = data.get("till") or start + timedelta(days=60)
        if end < start:
            self.add_error(
                "till", _("Slutdatumet måste vara samma dag som startdatumet eller senare.")
            )
        elif (end - start).days > MAX_RANGE_DAYS:
            self.add_error("till", _("Välj högst ett år i taget."))
        data["fran"], data["till"] = start, end
        return data


class ProposalForm(forms.Form):
    """Shared parts of the public proposal forms, with a honeypot that people never see.

    The municipality is the site's (the address says whose): nobody proposes to another
    municipality by mistake."""

    organisation = forms.CharField(label=_("Förening eller företag"), max_length=200)
    email = forms.EmailField(
        label=_("E-post för frågor om förslaget"),
        help_text=_("Visas bara för kommunens personal."),
    )
    # Hidden with CSS (and from screen readers); a person never fills it in, many bots do.
    homepage = forms.CharField(label=_("Lämna det här fältet tomt"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["homepage"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        use_own_errors(self)

    @property
    def is_spam(self):
        return bool(self.data.get("homepage"))


class EventProposalForm(ProposalForm):
    title = forms.CharField(label=_("Namn på evenemanget"), max_length=200)
    description = forms.CharField(
        label=_("Beskrivning"), max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 5})
    )
    start = forms.DateTimeField(
        label=_("Börjar"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    end = forms.DateTimeField(
        label=_("Slutar"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    address = forms.CharField(label=_("Plats och adress"), max_length=300)
    languages = forms.MultipleChoiceField(
        label=_("Språk på plats"), widget=forms.CheckboxSelectMultiple, initial=["sv"]
    )
    target_group = forms.ChoiceField(label=_("Målgrupp"), choices=TargetGroup.choices)
    cost = forms.CharField(label=_("Kostnad"), max_length=200, required=False)
    accessibility = forms.CharField(
        label=_("Tillgänglighet"),
        required=False,
        max_length=SHORT_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["languages"].choices = spoken_language_choices()
        use_own_errors(self)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("Slutet måste komma efter början."))
        if start and start < timezone.now():
            self.add_error("start", _("Evenemanget måste ligga i framtiden."))
        return data


class InternshipProposalForm(ProposalForm):
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    field = forms.CharField(label=_("Yrkesområde"), max_length=200)
    description = forms.CharField(
        label=_("Beskrivning"), max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 5})
    )
    requirements = forms.CharField(
        label=_("Krav"),
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    swedish_level = forms.ChoiceField(label=_("Svenska som behövs"), choices=SwedishLevel.choices)
    period_start = forms.DateField(
        label=_("Period från"), widget=forms.DateInput(attrs={"type": "date"})
    )
    period_end = forms.DateField(
        label=_("Period till"), widget=forms.DateInput(attrs={"type": "date"})
    )
    contact = forms.CharField(
        label=_("Kontakt för sökande"),
        max_length=300,
        help_text=_("Visas offentligt: använd en funktionsadress eller växel."),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("Perioden måste sluta efter att den börjar."))
        return data
