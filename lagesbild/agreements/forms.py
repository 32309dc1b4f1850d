"""Forms of the agreement pages, and the check of an attached document.

lagesbild.core.uploads checks import files (CSV, Excel, JSON, YAML) and has no PDF or Word
kind, so check_document checks those here the same way: size limit, the name's extension, and
the content by its magic bytes (a PDF starts with %PDF-; a .docx is a zip whose main part is a
Word document, without macros). Excel files go through check_upload itself.
"""

import zipfile
import zlib

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lagesbild.core import municipalities
from lagesbild.core.uploads import check_upload, max_upload_bytes
from lagesbild.plan.models import Activity
from lagesbild.public.models import Partner

from .models import Agreement, Kind, Status, current_areas

EXTENSIONS = (".pdf", ".docx", ".xlsx")
DOCX_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
MAX_DOCX_EXPANSION = 50  # like MAX_XLSX_EXPANSION in core.uploads: refuse zip bombs


def _fail(message, name):
    raise ValidationError(message, code="invalid_upload", params={"name": name})


def _check_docx(upload, name):
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as z:
            names = set(z.namelist())
            if "[Content_Types].xml" not in names or "word/document.xml" not in names:
                _fail(_("%(name)s är inget Word-dokument (.docx)."), name)
            if any(n.lower().startswith("word/vbaproject") for n in names):
                _fail(_("%(name)s innehåller makron; spara det som vanligt .docx."), name)
            if sum(i.file_size for i in z.infolist()) > max(upload.size, 1) * MAX_DOCX_EXPANSION:
                _fail(_("%(name)s packar upp till orimligt mycket data."), name)
            with z.open("[Content_Types].xml") as member:
                if DOCX_TYPE not in member.read(1024 * 1024):
                    _fail(_("%(name)s är inget Word-dokument (.docx)."), name)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError):
        _fail(_("%(name)s är ett trasigt Word-dokument."), name)
    finally:
        upload.seek(0)


def check_document(upload):
    """Check an uploaded agreement document; returns its extension or raises ValidationError
    (the message names the file)."""
    name = getattr(upload, "name", "") or _("filen")
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix == ".xlsx":
        check_upload(upload, kinds=("xlsx",))
        return suffix
    if suffix not in EXTENSIONS:
        raise ValidationError(
            _("%(name)s: filtypen stöds inte (tillåtna: %(allowed)s)."),
            code="invalid_upload",
            params={"name": name, "allowed": ", ".join(EXTENSIONS)},
        )
    limit = max_upload_bytes()
    if upload.size > limit:
        raise ValidationError(
            _("%(name)s är för stor (högst %(limit)s MB)."),
            code="invalid_upload",
            params={"name": name, "limit": f"{limit / 2**20:g}"},
        )
    if upload.size == 0:
        _fail(_("%(name)s är tom."), name)
    upload.seek(0)
    start = upload.read(8)
    upload.seek(0)
    if suffix == ".pdf":
        if not start.startswith(b"%PDF-"):
            _fail(_("%(name)s är ingen PDF-fil: innehållet är något annat."), name)
    else:
        if not start.startswith(b"PK\x03\x04"):
            _fail(_("%(name)s är inget Word-dokument (.docx): innehållet är något annat."), name)
        _check_docx(upload, name)
    return suffix


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class AgreementForm(forms.ModelForm):
    """The coordinator's form; choices (partners, activities, policy areas) are her
    municipality's only. `municipality` is asked only of an installation admin creating one."""

    municipality = forms.CharField(
        label=gettext_lazy("Kommunkod"),
        max_length=4,
        help_text=gettext_lazy("Fyra siffror, t.ex. 1082."),
    )
    policy_area_keys = forms.MultipleChoiceField(
        label=gettext_lazy("Policyområden"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Områdena i kommunens gällande policy som avtalet tjänar."),
    )

    class Meta:
        model = Agreement
        fields = [
            "municipality", "kind", "title", "partner", "other_party", "purpose", "start_date",
            "end_date", "renewal_date", "contact_name", "contact_email", "policy_area_keys", "activities",
            "amount", "amount_note", "status", "is_public",
        ]  # fmt: skip
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "renewal_date": DateInput(),
            "activities": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, municipality, **kwargs):
        """municipality: the kommunkod, or None to ask for it (an admin creating one)."""
        super().__init__(*args, **kwargs)
        if municipality:
            del self.fields["municipality"]
            self.instance.municipality = municipality
            self._set_choices(municipality)
        else:
            self._set_choices(self.data.get("municipality") or self.instance.municipality)

    def _set_choices(self, municipality):
        self.fields["partner"].queryset = Partner.objects.filter(municipality=municipality)
        self.fields["activities"].queryset = Activity.objects.filter(
            plan__policy__municipality=municipality
        ).select_related("plan")
        areas = current_areas(municipality)
        self.fields["policy_area_keys"].choices = list(areas.items())
        self.initial["policy_area_keys"] = [k for k in self.instance.area_keys if k in areas]

    def clean_municipality(self):
        code = self.cleaned_data["municipality"].strip()
        area = municipalities.get(code)
        if area is None or area.kind != "kommun":
            raise ValidationError(_("%(code)s är ingen kommunkod."), params={"code": code})
        self.instance.municipality = code
        return code

    def clean_policy_area_keys(self):
        # Stored as the model's comma-separated text.
        return ", ".join(self.cleaned_data["policy_area_keys"])


class FilterForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Typ"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("Alla"))]
        self.fields["status"].choices = everything + Status.choices
        self.fields["kind"].choices = everything + Kind.choices


class DocumentForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Dokument"),
        help_text=gettext_lazy("PDF, Word (.docx) eller Excel (.xlsx)."),
        validators=[check_document],
    )
