"""A municipality's own indicators: listed, added and edited on the web, or read from a YAML
file (`lagesbild indicators --kommun KOD --import FIL`, or the file field on the page for a new
indicator). One form checks both. They then count as `kind: local` catalogue entries for that
municipality (catalogue.catalogue_for), so its policy may name them and its files import them.

Only the municipality's coordinator (and installation admins) may see or change them: the
permission is the one for refreshing the municipality's statistics.
"""

import re

import yaml
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lagesbild.core import municipalities
from lagesbild.core.uploads import UploadValidator
from lagesbild.policy.document import TooLarge, check_limits

from . import catalogue
from .models import LocalIndicator
from .views import coordinator_kommun

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")  # the policy format's id pattern
SOURCE_NAME = re.compile(r"^[a-z0-9][a-z0-9_\-]{0,30}$")  # as `lagesbild import --source`
UNITS = ("procent", "antal", "dagar", "kronor")
GROUP_LABELS = {
    "utrikes_fodda": gettext_lazy("Utrikes födda"),
    "inrikes_fodda": gettext_lazy("Inrikes födda"),
    "utlandsk_bakgrund": gettext_lazy("Utländsk bakgrund"),
    "svensk_bakgrund": gettext_lazy("Svensk bakgrund"),
    "total": gettext_lazy("Hela befolkningen (total)"),
}
# key in the YAML file -> form field
FILE_KEYS = {
    "id": "slug",
    "title_sv": "title_sv",
    "title_en": "title_en",
    "unit": "unit",
    "better": "better",
    "groups": "groups",
    "description": "description",
    "source_text": "source_text",
    "source_name": "source_name",
}
PERMISSION = "stats.refresh_statistics"


class LocalIndicatorForm(forms.ModelForm):
    groups = forms.MultipleChoiceField(
        label=gettext_lazy("Befolkningsgrupper som jämförs"),
        choices=[(code, label) for code, label in GROUP_LABELS.items()],
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": gettext_lazy("Välj minst en befolkningsgrupp."),
            "invalid_choice": gettext_lazy(
                "Okänd grupp %(value)s; välj utrikes_fodda, inrikes_fodda, utlandsk_bakgrund, "
                "svensk_bakgrund eller total."
            ),
        },
    )

    class Meta:
        model = LocalIndicator
        fields = [
            "slug", "title_sv", "title_en", "unit", "better", "groups", "description",
            "source_text", "source_name",
        ]  # fmt: skip
        labels = {
            "slug": gettext_lazy("Id"),
            "title_sv": gettext_lazy("Titel på svenska"),
            "title_en": gettext_lazy("Titel på engelska (frivillig)"),
            "unit": gettext_lazy("Enhet"),
            "better": gettext_lazy("Vad är bättre?"),
            "description": gettext_lazy("Beskrivning"),
            "source_text": gettext_lazy("Källa: vem tar fram siffrorna?"),
            "source_name": gettext_lazy("Källans namn vid import"),
        }
        help_texts = {
            "slug": gettext_lazy(
                "Små bokstäver a–z, siffror och bindestreck, t.ex. foreningsaktiva-utrikes-fodda. "
                "Policyn och filerna hänvisar till indikatorn med detta id."
            ),
            "unit": gettext_lazy("procent, antal, dagar, kronor eller egen text (högst 20 tecken)"),
            "source_text": gettext_lazy("T.ex. Kultur- och fritidsförvaltningen, egen räkning"),
            "source_name": gettext_lazy(
                "Värdena läses in med lagesbild import FIL --source NAMN; små bokstäver, "
                "siffror, - och _."
            ),
        }
        error_messages = {
            "slug": {"required": gettext_lazy("Skriv ett id.")},
            "title_sv": {"required": gettext_lazy("Skriv en titel på svenska.")},
            "unit": {
                "required": gettext_lazy("Skriv en enhet, t.ex. procent eller antal."),
                "max_length": gettext_lazy("Enheten får vara högst 20 tecken."),
            },
            "better": {
                "required": gettext_lazy("Välj om högre eller lägre är bättre, eller sammanhang."),
                "invalid_choice": gettext_lazy(
                    "Okänt värde %(value)s; välj higher, lower eller none."
                ),
            },
            "source_text": {"required": gettext_lazy("Skriv vem som tar fram siffrorna.")},
            "source_name": {
                "required": gettext_lazy("Skriv källans namn vid import, t.ex. foreningar.")
            },
        }
        widgets = {
            "unit": forms.TextInput(attrs={"list": "units"}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, kommun, **kwargs):
        super().__init__(*args, **kwargs)
        self.kommun = kommun
        if self.instance.pk:
            # Policies and imported values refer to the id: it stays once created.
            self.fields["slug"].disabled = True
            self.fields["slug"].help_text = _("Id:t kan inte ändras när indikatorn är skapad.")

    def clean_slug(self):
        slug = self.cleaned_data["slug"].strip()
        if self.instance.pk:
            return self.instance.slug
        if not SLUG.match(slug):
            raise forms.ValidationError(
                _(
                    "Ogiltigt id %(slug)r: använd små bokstäver a–z, siffror och bindestreck "
                    "(börja med en bokstav eller siffra, högst 64 tecken)."
                )
                % {"slug": slug}
            )
        if slug in catalogue.load_catalogue():
            raise forms.ValidationError(
                _("Id:t %(slug)s används redan av en indikator i den nationella katalogen.")
                % {"slug": slug}
            )
        if LocalIndicator.objects.filter(kommun=self.kommun, slug=slug).exists():
            raise forms.ValidationError(
                _("Kommunen har redan en egen indikator med id:t %(slug)s.") % {"slug": slug}
            )
        return slug

    def clean_title_sv(self):
        return self.cleaned_data["title_sv"].strip()

    def clean_unit(self):
        return self.cleaned_data["unit"].strip()

    def clean_source_name(self):
        name = self.cleaned_data["source_name"].strip()
        if not SOURCE_NAME.match(name):
            raise forms.ValidationError(
                _(
                    "Ogiltigt namn %(name)r: använd små bokstäver, siffror, - och _ (högst 31 "
                    "tecken), t.ex. foreningar."
                )
                % {"name": name}
            )
        return name

    def save(self, commit=True):
        self.instance.kommun = self.kommun
        return super().save(commit=commit)


class FileForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Fil med indikatorer (YAML)"),
        error_messages={"required": gettext_lazy("Välj en fil.")},
        validators=[UploadValidator(kinds=("yaml",))],
    )


class LocalIndicatorFileError(Exception):
    """A file that cannot be read; `problems` lists every reason as 'file:line: field: …'."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


def _items_with_lines(raw, filename):
    """[(item, line, {key: line})] from the YAML text; LocalIndicatorFileError if unreadable."""
    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
        check_limits(text)  # before anything is built: a few aliases can stand for billions
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except UnicodeDecodeError:
        raise LocalIndicatorFileError([f"{filename}: filen är inte UTF-8-text"]) from None
    except TooLarge as e:
        raise LocalIndicatorFileError([f"{filename}:{e.line}: {e.message}"]) from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"{filename}:{mark.line + 1}" if mark else filename
        raise LocalIndicatorFileError([f"{where}: YAML-syntaxfel"]) from None
    except ValueError as e:  # a value YAML cannot build, such as the date 2016-02-30
        raise LocalIndicatorFileError([f"{filename}: ogiltigt värde ({e})"]) from None
    if not isinstance(data, dict) or not isinstance(data.get("indicators"), list):
        raise LocalIndicatorFileError(
            [f"{filename}: filen ska ha en lista 'indicators:' (se docs/indicators.md)"]
        )
    unknown = sorted(set(data) - {"indicators"})
    if unknown:
        raise LocalIndicatorFileError([f"{filename}: {unknown[0]}: okänt fält"])
    seq = next(v for k, v in node.value if k.value == "indicators")
    out = []
    for item, item_node in zip(data["indicators"], seq.value, strict=True):
        keys = {}
        if isinstance(item_node, yaml.MappingNode):
            keys = {k.value: k.start_mark.line + 1 for k, _ in item_node.value}
        out.append((item, item_node.start_mark.line + 1, keys))
    return out


def _form_data(item):
    data = {}
    for key, field in FILE_KEYS.items():
        value = item.get(key)
        if value is None:
            continue
        if field == "groups":
            data[field] = [str(v) for v in value] if isinstance(value, list) else [str(value)]
        else:
            data[field] = str(value)
    return data


def import_file(kommun, raw, filename):
    """Create or update the municipality's local indicators from a YAML file, all or nothing.

    Returns (created, updated); raises LocalIndicatorFileError naming file, line and field of
    every problem, and then changes nothing.
    """
    problems, forms_, seen = [], [], {}
    for i, (item, line, keys) in enumerate(_items_with_lines(raw, filename)):
        where = f"indicators[{i}]"
        if not isinstance(item, dict):
            problems.append(f"{filename}:{line}: {where}: ska vara en samling fält")
            continue
        for key in sorted(set(item) - set(FILE_KEYS)):
            problems.append(f"{filename}:{keys.get(key, line)}: {where}.{key}: okänt fält")
        slug = str(item.get("id", "")).strip()
        if slug and slug in seen:
            problems.append(
                f"{filename}:{keys.get('id', line)}: {where}.id: {slug!r} står redan på rad "
                f"{seen[slug]}"
            )
            continue
        seen[slug] = keys.get("id", line)
        instance = LocalIndicator.objects.filter(kommun=kommun, slug=slug).first()
        form = LocalIndicatorForm(_form_data(item), instance=instance, kommun=kommun)
        if form.is_valid():
            forms_.append(form)
            continue
        names = {field: key for key, field in FILE_KEYS.items()}
        for field, errors in form.errors.items():
            key = names.get(field, field)
            for message in errors:
                problems.append(f"{filename}:{keys.get(key, line)}: {where}.{key}: {message}")
    if problems:
        raise LocalIndicatorFileError(problems)
    created = sum(1 for form in forms_ if not form.instance.pk)
    with transaction.atomic():
        for form in forms_:
            form.save()
    return created, len(forms_) - created


# Pages ---------------------------------------------------------------------------------------


def _list_url(kommun):
    return f"{reverse('stats:local_indicators')}?kommun={kommun}"


@login_required
def local_indicator_list(request):
    kommun = coordinator_kommun(request)
    return render(
        request,
        "stats/local_indicator_list.html",
        {
            "kommun": municipalities.get(kommun),
            "rows": [
                (indicator, [GROUP_LABELS.get(g, g) for g in indicator.groups])
                for indicator in LocalIndicator.objects.filter(kommun=kommun)
            ],
        },
    )


@login_required
def local_indicator_new(request):
    kommun = coordinator_kommun(request)
    form = LocalIndicatorForm(kommun=kommun)
    file_form = FileForm()
    file_problems = []
    if request.method == "POST" and request.POST.get("action") == "import":
        file_form = FileForm(request.POST, request.FILES)
        if file_form.is_valid():
            upload = file_form.cleaned_data["file"]
            try:
                created, updated = import_file(kommun, upload.read(), upload.name)
            except LocalIndicatorFileError as e:
                file_problems = e.problems
            else:
                messages.success(
                    request,
                    _("Inläst: %(created)s nya och %(updated)s ändrade indikatorer.")
                    % {"created": created, "updated": updated},
                )
                return redirect(_list_url(kommun))
    elif request.method == "POST":
        form = LocalIndicatorForm(request.POST, kommun=kommun)
        if form.is_valid():
            indicator = form.save()
            messages.success(request, _("Indikatorn %(id)s är sparad.") % {"id": indicator.slug})
            return redirect(_list_url(kommun))
    return render(
        request,
        "stats/local_indicator_form.html",
        {
            "kommun": municipalities.get(kommun),
            "form": form,
            "file_form": file_form,
            "file_problems": file_problems,
            "units": UNITS,
            "new": True,
        },
    )


@login_required
def local_indicator_edit(request, pk):
    indicator = get_object_or_404(LocalIndicator, pk=pk)
    if not request.user.has_perm(PERMISSION, indicator):
        raise PermissionDenied
    form = LocalIndicatorForm(request.POST or None, instance=indicator, kommun=indicator.kommun)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Indikatorn %(id)s är sparad.") % {"id": indicator.slug})
        return redirect(_list_url(indicator.kommun))
    return render(
        request,
        "stats/local_indicator_form.html",
        {
            "kommun": municipalities.get(indicator.kommun),
            "form": form,
            "indicator": indicator,
            "units": UNITS,
            "new": False,
        },
    )
