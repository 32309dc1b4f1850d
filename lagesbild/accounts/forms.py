"""Forms for managing accounts. Every check names the field it is about."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import User
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lagesbild.core import municipalities

from .models import Department, Role


class LoginForm(AuthenticationForm):
    """Django's log-in form; an invited user's user name is her e-mail address, in any case."""

    def clean(self):
        username = (self.data.get("username") or "").strip()
        if "@" in username:
            match = User.objects.filter(username__iexact=username).values_list(
                "username", flat=True
            )
            if len(match) == 1:
                self.cleaned_data["username"] = match[0]
        return super().clean()


def clean_kommunkod(value):
    """The 4-digit code of a Swedish municipality, or a ValidationError saying what is wrong."""
    value = (value or "").strip()
    area = municipalities.get(value)
    if area is None or area.kind != "kommun":
        raise forms.ValidationError(
            _("%(code)s är inte en kommunkod. Skriv kommunens fyra siffror, t.ex. 0780."),
            params={"code": value or "–"},
        )
    return value


class _ProfileFields(forms.Form):
    """Role, department (chosen or new) and organisation, checked against each other."""

    role = forms.ChoiceField(label=_("Roll"), choices=Role.choices)
    department = forms.ModelChoiceField(
        label=_("Förvaltning"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("(ingen)"),
    )
    new_department = forms.CharField(
        label=_("Eller en ny förvaltning"),
        max_length=200,
        required=False,
        help_text=_("Skapas samtidigt. Lämna tomt om du har valt en förvaltning ovan."),
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        required=False,
        help_text=_("För partner: föreningen eller företaget."),
    )

    def __init__(self, *args, municipality=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        qs = Department.objects.all()
        if municipality:
            qs = qs.filter(municipality=municipality)
        self.fields["department"].queryset = qs
        if not municipality:  # an admin choosing among all municipalities' departments
            self.fields["department"].label_from_instance = lambda d: f"{d.name} ({d.municipality})"

    def target_municipality(self):
        return self.municipality

    def clean(self):
        data = super().clean()
        municipality = self.target_municipality()
        department, new = data.get("department"), (data.get("new_department") or "").strip()
        data["new_department"] = new
        if department and new:
            self.add_error("new_department", _("Välj en förvaltning eller skriv en ny, inte båda."))
        if department and municipality and department.municipality != municipality:
            self.add_error(
                "department",
                _("Förvaltningen hör till en annan kommun (%(code)s).")
                % {"code": department.municipality},
            )
        if new and municipality:
            exists = Department.objects.filter(municipality=municipality, name__iexact=new).first()
            if exists:
                self.add_error(
                    "new_department",
                    _("Förvaltningen %(name)s finns redan: välj den i listan.")
                    % {"name": exists.name},
                )
        role = data.get("role")
        if role == Role.DEPARTMENT and not (department or new):
            self.add_error("department", _("En förvaltningsrepresentant behöver en förvaltning."))
        if role == Role.PARTNER and not (data.get("organisation") or "").strip():
            self.add_error("organisation", _("Skriv partnerns organisation."))
        return data

    def department_to_use(self):
        """The chosen department, or the new one (created here: call inside the transaction)."""
        new = self.cleaned_data.get("new_department")
        if new:
            department, _created = Department.objects.get_or_create(
                municipality=self.target_municipality(), name=new
            )
            return department
        return self.cleaned_data.get("department")


class InviteForm(_ProfileFields):
    email = forms.EmailField(label=_("E-postadress"), max_length=150)
    first_name = forms.CharField(label=_("Förnamn"), max_length=150)
    last_name = forms.CharField(label=_("Efternamn"), max_length=150)
    municipality_code = forms.CharField(
        label=_("Kommunkod"),
        max_length=4,
        help_text=_("Kommunens fyra siffror, t.ex. 0780 för Växjö."),
    )

    def __init__(self, *args, fixed_municipality=None, **kwargs):
        """fixed_municipality: the coordinator's own; None lets an admin give the code."""
        super().__init__(*args, municipality=fixed_municipality, **kwargs)
        if fixed_municipality:
            del self.fields["municipality_code"]
        self.order_fields(["email", "first_name", "last_name", "municipality_code", "role"])

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).exists():
            raise forms.ValidationError(
                _("Det finns redan en användare med e-postadressen %(email)s."),
                params={"email": email},
            )
        return email

    def clean_municipality_code(self):
        return clean_kommunkod(self.cleaned_data.get("municipality_code"))

    def target_municipality(self):
        return self.municipality or self.cleaned_data.get("municipality_code")


class UserEditForm(_ProfileFields):
    is_active = forms.BooleanField(
        label=_("Aktiv (kan logga in)"),
        required=False,
        help_text=_(
            "Ta bort bocken för att stänga av kontot. Kontot tas aldrig bort: texter och "
            "historik behåller sin författare."
        ),
    )

    def __init__(self, *args, target, editor, **kwargs):
        self.target, self.editor = target, editor
        super().__init__(*args, municipality=target.profile.municipality, **kwargs)

    def clean(self):
        data = super().clean()
        if self.target == self.editor and not self.editor.is_superuser:
            if not data.get("is_active"):
                self.add_error(
                    "is_active",
                    _(
                        "Du kan inte stänga av ditt eget konto: då finns ingen kvar som kan "
                        "ändra kommunens konton. Be en annan samordnare eller administratören."
                    ),
                )
            if data.get("role") and data["role"] != Role.COORDINATOR:
                self.add_error(
                    "role",
                    _(
                        "Du kan inte ta bort din egen roll som samordnare: då kan du inte längre "
                        "ändra kommunens konton. Be en annan samordnare eller administratören."
                    ),
                )
        return data


class DepartmentForm(forms.ModelForm):
    class Meta:
        model = Department
        fields = ["name", "short_name"]
        labels = {"name": _("Namn"), "short_name": _("Kortnamn")}
        help_texts = {"short_name": _("Valfritt, t.ex. UF.")}

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality = municipality

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        clash = Department.objects.filter(municipality=self.municipality, name__iexact=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(
                _("Det finns redan en förvaltning som heter %(name)s."), params={"name": name}
            )
        return name
