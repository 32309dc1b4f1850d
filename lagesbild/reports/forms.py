from django import forms
from django.utils.translation import gettext_lazy as _

from lagesbild.accounts.models import Department
from lagesbild.core.text import LONG_TEXT, clean_text

from .models import AreaAnalysis, Experience

MAX_TEXT = LONG_TEXT


class ExperienceForm(forms.ModelForm):
    """A department's text. Representatives write for their own department only (the view
    fixes it); the coordinator chooses the department."""

    class Meta:
        model = Experience
        fields = ["department", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 10})}

    def __init__(self, *args, municipality, fixed_department=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].max_length = MAX_TEXT
        self.fields["text"].help_text = _(
            "Vad har förvaltningen sett och lärt i arbetet inom området? Stycken skiljs med en tom rad."
        )
        if fixed_department is not None:
            del self.fields["department"]
            self.instance.department = fixed_department
        else:
            self.fields["department"].queryset = Department.objects.filter(
                municipality=municipality
            )

    def clean_text(self):
        # Cleaned before the length check; saving cleans again (core.text) for other paths.
        text = clean_text(self.cleaned_data["text"]).strip()
        if len(text) > MAX_TEXT:
            raise forms.ValidationError(
                _("Texten är för lång (högst %(n)s tecken).") % {"n": MAX_TEXT}
            )
        return text


class AnalysisForm(forms.ModelForm):
    class Meta:
        model = AreaAnalysis
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 12})}

    def clean_text(self):
        # Cleaned before the length check; saving cleans again (core.text) for other paths.
        text = clean_text(self.cleaned_data["text"]).strip()
        if len(text) > MAX_TEXT:
            raise forms.ValidationError(
                _("Texten är för lång (högst %(n)s tecken).") % {"n": MAX_TEXT}
            )
        return text
