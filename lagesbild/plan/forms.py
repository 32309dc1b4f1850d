from django import forms
from django.utils.translation import gettext_lazy as _

from lagesbild.accounts.models import Department
from lagesbild.core.text import LONG_TEXT
from lagesbild.core.uploads import UploadValidator
from lagesbild.policy import agenda2030
from lagesbild.stats.catalogue import load_catalogue

from .models import (
    Activity,
    FollowUpRound,
    PartnerContribution,
    Plan,
    Proposal,
    Status,
    TimelineEntry,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def indicator_title(entry):
    title = entry.get("title", "")
    return title.get("sv", "") if isinstance(title, dict) else str(title)


def indicator_choices():
    return [(i, f"{indicator_title(e)} ({i})") for i, e in sorted(load_catalogue().items())]


class PlanForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = [
            "title", "start_year", "end_year", "adopted", "decision_reference",
            "lagesbild_year", "lagesbild_due", "published",
        ]  # fmt: skip
        widgets = {"adopted": DateInput(), "lagesbild_due": DateInput()}

    def clean(self):
        data = super().clean()
        if (
            data.get("start_year")
            and data.get("end_year")
            and data["end_year"] < data["start_year"]
        ):
            self.add_error("end_year", _("Slutåret ligger före startåret."))
        return data


class ActivityForm(forms.ModelForm):
    area_keys = forms.MultipleChoiceField(
        label=_("Policyområden"), required=False, widget=forms.CheckboxSelectMultiple
    )
    indicators = forms.MultipleChoiceField(
        label=_("Indikatorer vars skillnad insatsen ska minska"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    agenda2030 = forms.CharField(
        label=_("Agenda 2030: mål och delmål"),
        required=False,
        max_length=500,
        help_text=_("Nummer åtskilda med komma, t.ex. 10, 10.2, 8.5"),
    )

    class Meta:
        model = Activity
        fields = [
            "ref", "title", "description", "parent", "area_keys", "indicators", "agenda2030",
            "department", "contact_name", "contact_email", "partners", "start", "end", "status",
            "progress", "weight",
        ]  # fmt: skip
        widgets = {"start": DateInput(), "end": DateInput()}

    def __init__(self, *args, plan, coordinator, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        codes = self.initial.get("agenda2030")
        if isinstance(codes, list):  # stored codes shown as the text people type
            self.initial["agenda2030"] = ", ".join(codes)
        self.fields["area_keys"].choices = [(a.key, a.title) for a in plan.areas()]
        self.fields["indicators"].choices = indicator_choices()
        parents = plan.activities.all()
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["department"].queryset = Department.objects.filter(
            municipality=plan.municipality
        )
        if not coordinator:
            # A department representative cannot move an activity to another department or
            # restructure the plan; the coordinator owns ids, parents and weights.
            for name in ("ref", "parent", "department", "weight"):
                self.fields[name].disabled = True

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        node = parent
        while node is not None:
            if self.instance.pk and node.pk == self.instance.pk:
                raise forms.ValidationError(_("En insats kan inte vara del av sig själv."))
            node = node.parent
        return parent

    def clean_agenda2030(self):
        try:
            return agenda2030.parse(self.cleaned_data.get("agenda2030") or "")
        except ValueError as e:
            raise forms.ValidationError(str(e)) from None

    def clean_ref(self):
        ref = self.cleaned_data["ref"]
        clash = self.plan.activities.filter(ref=ref).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("Det finns redan en insats med det id:t i planen."))
        return ref

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("Slutdatum ligger före startdatum."))
        return data


class TimelineEntryForm(forms.ModelForm):
    url = forms.URLField(label=_("länk"), required=False, assume_scheme="https")

    class Meta:
        model = TimelineEntry
        fields = ["date", "kind", "text", "url"]
        widgets = {"date": DateInput(), "text": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        data = super().clean()
        if data.get("kind") == TimelineEntry.Kind.LINK and not data.get("url"):
            self.add_error("url", _("En bilaga behöver en länk."))
        return data


class ProposalForm(forms.ModelForm):
    area_key = forms.ChoiceField(label=_("Policyområde"), required=False)

    class Meta:
        model = Proposal
        fields = ["title", "description", "area_key", "organisation"]

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area_key"].choices = [("", "–")] + [(a.key, a.title) for a in plan.areas()]


class RoundForm(forms.ModelForm):
    class Meta:
        model = FollowUpRound
        fields = ["title", "year", "deadline"]
        widgets = {"deadline": DateInput()}


class AssessmentForm(forms.ModelForm):
    """The coordinator's overall assessment and proposed decision for the follow-up report."""

    class Meta:
        model = FollowUpRound
        fields = ["assessment", "proposal"]
        widgets = {
            "assessment": forms.Textarea(attrs={"rows": 8}),
            "proposal": forms.Textarea(attrs={"rows": 4}),
        }


class ActivityReportForm(forms.Form):
    """One activity in a department's report."""

    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    progress = forms.IntegerField(label=_("Genomfört (%)"), min_value=0, max_value=100)
    text = forms.CharField(
        label=_("Lägesbeskrivning"),
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ExperienceForm(forms.Form):
    """The department's "beprövad erfarenhet" for one policy area."""

    text = forms.CharField(
        required=False, max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 4})
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fil (.csv eller .xlsx)"),
        help_text=_("Samma kolumner som exporten. Antingen läses alla rader in eller ingen."),
        # Size, rows and content are checked before the import reads the file.
        validators=[UploadValidator(kinds=("csv", "xlsx"))],
    )


class AskPartnerForm(forms.Form):
    """The coordinator picks a partner user of her municipality to ask for her part."""

    partner = forms.ModelChoiceField(queryset=None, label=_("Partner"))

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = choices
        self.fields["partner"].label_from_instance = lambda u: (
            f"{u.get_full_name() or u.get_username()}" + (f" <{u.email}>" if u.email else "")
        )


class ContributionForm(forms.ModelForm):
    """A partner organisation's part of a follow-up round."""

    class Meta:
        model = PartnerContribution
        fields = ["organisation", "text"]
        labels = {"organisation": _("Organisationens namn"), "text": _("Er del av arbetet")}
        help_texts = {
            "organisation": _("Står med i uppföljningsrapporten."),
            "text": _(
                "Vad har organisationen gjort för handlingsplanen under året, vad har ni sett, "
                "och vad vill ni föreslå? Skriv om verksamheten, inte om enskilda personer."
            ),
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 10})}

    def __init__(self, *args, submitting=False, **kwargs):
        super().__init__(*args, **kwargs)
        # A draft may be incomplete; what is sent in needs both.
        self.fields["organisation"].required = submitting
        self.fields["text"].required = submitting
