"""The policy editor's forms. Each form reads its fields from a draft's data and writes them
back, leaving every field it does not show as it was (see editing.py)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lagesbild.core.text import LONG_TEXT
from lagesbild.core.uploads import UploadValidator

from . import editing

RHYTHMS = [
    ("", _("(inte angiven)")),
    ("yearly", _("årligen")),
    ("every-second-year", _("vartannat år")),
    ("per-term", _("en gång per mandatperiod")),
    ("as-needed", _("vid behov")),
]
DIRECTIONS = [("", _("(ingen)")), ("increase", _("öka")), ("decrease", _("minska"))]
PARAGRAPH_HELP = _("Skriv en tom rad mellan styckena.")
LINES_HELP = _("En per rad.")


def textarea(rows=4, **kwargs):
    kwargs.setdefault("max_length", LONG_TEXT)
    return forms.CharField(widget=forms.Textarea(attrs={"rows": rows}), required=False, **kwargs)


def year_field(label):
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=1900,
        max_value=2200,
        error_messages={"invalid": _("Ange ett årtal, t.ex. 2026.")},
    )


class StartForm(forms.Form):
    municipality = forms.ChoiceField(label=_("Kommun"))
    template = forms.ChoiceField(
        label=_("Börja från"),
        widget=forms.RadioSelect,
        initial="",
        required=False,
    )

    def __init__(self, *args, municipalities, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = municipalities
        if len(municipalities) == 1:
            self.fields["municipality"].initial = municipalities[0][0]
        self.fields["template"].choices = [("", _("Ett tomt formulär"))] + [
            (
                name,
                _("Mall: %(title)s (%(municipality)s)")
                % {"title": data["title"], "municipality": data["municipality"]["name"]},
            )
            for name, data in templates.items()
        ]


# (form field, path in the policy data, kind): kind "text", "textarea", "paragraphs", "year".
GENERAL_FIELDS = [
    (
        "id",
        ("id",),
        "text",
        _("Id (används i webbadressen)"),
        _("Små bokstäver a–z, siffror och bindestreck."),
    ),
    ("title", ("title",), "text", _("Titel"), ""),
    (
        "document_type",
        ("document_type",),
        "text",
        _("Dokumenttyp"),
        _("T.ex. Policy, Program, Strategi."),
    ),
    (
        "validity_from",
        ("validity", "from"),
        "text",
        _("Gäller från (text)"),
        _("T.ex. Lagakraftvunnet beslut."),
    ),
    ("validity_start_year", ("validity", "start_year"), "year", _("Första år policyn gäller"), ""),
    ("validity_end_year", ("validity", "end_year"), "year", _("Sista år policyn gäller"), ""),
    ("revise_by", ("revise_by",), "year", _("Revideras senast (år)"), ""),
    ("applies_to", ("applies_to",), "text", _("Gäller för"), ""),
    ("owner", ("owner",), "text", _("Ägare av policyn"), ""),
    ("revision_owner", ("revision_owner",), "text", _("Ansvarig för revideringen"), ""),
    (
        "area_term_singular",
        ("area_term", "singular"),
        "text",
        _("Kommunens ord för ett område (singular)"),
        _("T.ex. fokusområde, vägledande princip."),
    ),
    (
        "area_term_plural",
        ("area_term", "plural"),
        "text",
        _("Kommunens ord för områdena (plural)"),
        _("T.ex. fokusområden, vägledande principer."),
    ),
    ("terms_goal", ("terms", "goal"), "text", _("Ordet för mål"), _("Lämna tomt för ”mål”.")),
    ("terms_subgoal", ("terms", "subgoal"), "text", _("Ordet för delmål"), ""),
    ("terms_strategy", ("terms", "strategy"), "text", _("Ordet för strategi"), ""),
    ("terms_target", ("terms", "target"), "text", _("Ordet för målvärde"), ""),
    ("terms_commitment", ("terms", "commitment"), "text", _("Ordet för åtagande"), ""),
    ("follow_up_rhythm", ("follow_up", "rhythm"), "rhythm", _("Uppföljningens rytm"), ""),
    (
        "follow_up_responsible",
        ("follow_up", "responsible"),
        "text",
        _("Ansvarig för uppföljningen (aktörs-id)"),
        "",
    ),
    (
        "follow_up_report_to",
        ("follow_up", "report_to"),
        "text",
        _("Uppföljningen redovisas för"),
        _("Lämna tomt om den redovisas för det organ som beslutar policyn."),
    ),
    (
        "follow_up_description",
        ("follow_up", "description"),
        "textarea",
        _("Uppföljningen, beskrivning"),
        "",
    ),
    ("introduction", ("introduction",), "paragraphs", _("Inledning"), PARAGRAPH_HELP),
    ("purpose", ("purpose",), "paragraphs", _("Syfte"), PARAGRAPH_HELP),
    ("implementation", ("implementation",), "paragraphs", _("Genomförande"), PARAGRAPH_HELP),
    ("values", ("values",), "paragraphs", _("Värdegrund"), PARAGRAPH_HELP),
]


class GeneralForm(forms.Form):
    def __init__(self, *args, data_in, id_fixed=False, **kwargs):
        self.data_in = data_in
        initial = {}
        for name, path, kind, _label, _help in GENERAL_FIELDS:
            value = editing.get_path(data_in, path)
            initial[name] = editing.paragraphs_to_text(value) if kind == "paragraphs" else value
        super().__init__(*args, initial=initial, **kwargs)
        for name, _path, kind, label, help_text in GENERAL_FIELDS:
            if kind == "year":
                field = year_field(label)
            elif kind == "rhythm":
                field = forms.ChoiceField(label=label, choices=RHYTHMS, required=False)
            elif kind in ("textarea", "paragraphs"):
                field = textarea(8 if kind == "paragraphs" else 3, label=label)
            else:
                field = forms.CharField(label=label, required=False, max_length=500)
            field.help_text = help_text
            self.fields[name] = field
        if id_fixed:
            self.fields["id"].disabled = True
            self.fields["id"].help_text = _("En antagen policy behåller sitt id.")

    def apply(self, data):
        """Write the cleaned fields into `data` (the draft's data, changed in place)."""
        for name, path, kind, _label, _help in GENERAL_FIELDS:
            value = self.cleaned_data.get(name)
            if kind == "paragraphs":
                value = editing.text_to_paragraphs(value, editing.get_path(data, path))
            elif isinstance(value, str):
                value = value.strip()
            editing.set_path(data, path, value)


class DecisionForm(forms.Form):
    body = forms.CharField(
        label=_("Beslutande organ"), max_length=300, help_text=_("T.ex. Kommunfullmäktige.")
    )
    date = forms.DateField(
        label=_("Beslutsdatum"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Ange ett datum som ÅÅÅÅ-MM-DD.")},
    )
    reference = forms.CharField(
        label=_("Beslutsreferens"),
        max_length=300,
        required=False,
        help_text=_("T.ex. KF § 63, 2026-05-18."),
    )
    diarienummer = forms.CharField(label=_("Diarienummer"), max_length=100, required=False)

    def decision(self):
        out = {
            "body": self.cleaned_data["body"].strip(),
            "date": self.cleaned_data["date"].isoformat(),
        }
        for key in ("reference", "diarienummer"):
            if self.cleaned_data[key].strip():
                out[key] = self.cleaned_data[key].strip()
        return out


class AreaForm(forms.Form):
    id = forms.CharField(
        label=_("Id"),
        max_length=64,
        required=False,
        help_text=_("Små bokstäver a–z, siffror och bindestreck; ändras inte mellan versioner."),
    )
    title = forms.CharField(label=_("Rubrik"), max_length=300, required=False)
    summary = textarea(4, label=_("Sammanfattning"), help_text=PARAGRAPH_HELP)
    commitments = textarea(5, label=_("Åtaganden"), help_text=LINES_HELP)
    indicators = textarea(
        5,
        label=_("Indikatorer (id)"),
        help_text=_("En indikator-id per rad. Sök i katalogen ovan för att lägga till."),
    )
    responsible = forms.MultipleChoiceField(
        label=_("Ansvariga aktörer"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, area, actors, **kwargs):
        initial = {
            "id": area.get("id", ""),
            "title": area.get("title", ""),
            "summary": editing.paragraphs_to_text(area.get("summary")),
            "commitments": editing.lines_to_text(area.get("commitments")),
            "indicators": editing.lines_to_text(area.get("indicators")),
            "responsible": area.get("responsible", []),
        }
        super().__init__(*args, initial=initial, **kwargs)
        names = {a["id"]: a.get("name", a["id"]) for a in actors if "id" in a}
        for ref in area.get("responsible", []):  # keep unknown ids choosable (checked at adoption)
            names.setdefault(ref, ref)
        self.fields["responsible"].choices = list(names.items())

    def apply(self, area, picked=()):
        c = self.cleaned_data
        editing.set_text(area, "id", c["id"].strip())
        editing.set_text(area, "title", c["title"].strip())
        summary = editing.text_to_paragraphs(c["summary"], area.get("summary"))
        if summary is None:
            area.pop("summary", None)
        else:
            area["summary"] = summary
        editing.set_list(area, "commitments", c["commitments"])
        indicators = editing.text_to_lines(c["indicators"], area.get("indicators")) or []
        for ref in picked:
            if ref not in indicators:
                indicators.append(ref)
        if indicators or area.get("indicators") == []:
            area["indicators"] = indicators
        else:
            area.pop("indicators", None)
        if c["responsible"] or area.get("responsible") == []:
            area["responsible"] = c["responsible"]
        else:
            area.pop("responsible", None)


class GoalForm(forms.Form):
    id = forms.CharField(label=_("Id (valfritt)"), max_length=64, required=False)
    text = textarea(3, label=_("Måltext"))
    subgoals = textarea(3, label=_("Delmål"), help_text=LINES_HELP)
    strategies = textarea(3, label=_("Strategier"), help_text=LINES_HELP)
    indicators = textarea(2, label=_("Indikatorer för målet (id)"), help_text=LINES_HELP)
    delete = forms.BooleanField(label=_("Ta bort målet"), required=False)

    @staticmethod
    def initial_of(goal):
        return {
            "id": goal.get("id", ""),
            "text": goal.get("text", ""),
            "subgoals": editing.lines_to_text(s.get("text", "") for s in goal.get("subgoals", [])),
            "strategies": editing.lines_to_text(goal.get("strategies")),
            "indicators": editing.lines_to_text(goal.get("indicators")),
        }

    def is_blank(self):
        c = self.cleaned_data
        return not any(c.get(k) for k in ("id", "text", "subgoals", "strategies", "indicators"))

    def to_goal(self, old):
        """The goal this form describes, keeping what it does not show from `old`."""
        c = self.cleaned_data
        goal = dict(old)
        editing.set_text(goal, "id", c["id"].strip())
        editing.set_text(goal, "text", c["text"].replace("\r\n", "\n").strip())
        by_text = {s.get("text"): s for s in old.get("subgoals", [])}
        lines = editing.text_to_lines(c["subgoals"], old.get("subgoals"))
        if lines is None:
            goal.pop("subgoals", None)
        else:  # a sub-goal keeps its id, targets etc. while its text stays the same
            goal["subgoals"] = [by_text.get(t, {"text": t}) for t in lines]
        editing.set_list(goal, "strategies", c["strategies"])
        editing.set_list(goal, "indicators", c["indicators"])
        return goal


class TargetForm(forms.Form):
    belongs = forms.ChoiceField(label=_("Hör till"), required=False)
    id = forms.CharField(label=_("Id (valfritt)"), max_length=64, required=False)
    indicator = forms.CharField(label=_("Indikator (id)"), max_length=64, required=False)
    group = forms.CharField(
        label=_("Grupp"),
        max_length=40,
        required=False,
        help_text=_("T.ex. utrikes_fodda, eller gap för skillnaden mot inrikes födda."),
    )
    value = forms.CharField(label=_("Målvärde"), max_length=30, required=False)
    year = year_field(_("Målår"))
    baseline_year = year_field(_("Utgångsår"))
    direction = forms.ChoiceField(label=_("Riktning"), choices=DIRECTIONS, required=False)
    unit = forms.CharField(label=_("Enhet"), max_length=40, required=False)
    text = textarea(2, label=_("Text"), help_text=_("Behövs för ett målvärde utan indikator."))
    delete = forms.BooleanField(label=_("Ta bort målvärdet"), required=False)

    FIELDS = (
        "id",
        "indicator",
        "group",
        "value",
        "year",
        "baseline_year",
        "direction",
        "unit",
        "text",
    )

    def __init__(self, *args, belongs_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["belongs"].choices = belongs_choices

    @staticmethod
    def initial_of(target, belongs):
        out = {k: target.get(k, "") for k in TargetForm.FIELDS}
        out["value"] = "" if target.get("value") is None else str(target["value"])
        out["belongs"] = belongs
        return out

    def clean_value(self):
        raw = self.cleaned_data["value"].strip().replace(",", ".").replace("\u2212", "-")
        if not raw:
            return None
        try:
            number = float(raw)
        except ValueError:
            raise forms.ValidationError(_("Ange ett tal, t.ex. 65 eller 2,5.")) from None
        return int(number) if number.is_integer() and "." not in raw else number

    def is_blank(self):
        c = self.cleaned_data
        return not any(c.get(k) not in (None, "") for k in self.FIELDS)

    def to_target(self, old):
        c = self.cleaned_data
        target = dict(old)
        for key in self.FIELDS:
            value = c.get(key)
            if isinstance(value, str):
                value = value.replace("\r\n", "\n").strip()
            editing.set_text(target, key, value)
        return target


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Policyfil (YAML)"),
        help_text=_("En fil i formatet lagesbild-policy/1, högst 1 MB."),
        validators=[UploadValidator(kinds=("yaml",), max_bytes=editing.MAX_IMPORT_BYTES)],
    )

    def clean_file(self):
        raw = self.cleaned_data["file"].read()  # size and kind checked by the validator
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as e:
            raise forms.ValidationError(
                _("Filen är inte UTF-8-text (byte %(n)s).") % {"n": e.start}
            ) from None
        return raw
