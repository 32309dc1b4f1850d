"""Forms for working groups, meetings, agenda items and action points.

Every choice of a user, department, activity or round is limited to the group's municipality,
so a form can never tie a meeting to another municipality's people or plan.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lagesbild.accounts.models import Department, Role
from lagesbild.plan.forms import DateInput, indicator_choices
from lagesbild.plan.models import Activity, FollowUpRound
from lagesbild.policy.models import Policy

from .models import ActionPoint, AgendaItem, Meeting, WorkingGroup


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.get_username()


class UsersChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.get_username()


def staff_of(municipality):
    """The municipality's own people (not partners): who can sit in a working group."""
    return (
        get_user_model()
        .objects.filter(is_active=True, profile__municipality=municipality)
        .exclude(profile__role=Role.PARTNER)
        .order_by("last_name", "first_name", "username")
    )


def area_choices(municipality):
    """(key, title) of the policy areas of the municipality's current policy versions."""
    choices = []
    for policy in Policy.objects.filter(municipality=municipality):
        version = policy.current
        if version:
            choices += [(a.key, a.title) for a in version.areas.all()]
    return choices


class WorkingGroupForm(forms.ModelForm):
    leader = UserChoice(queryset=None, required=False, label=_("Sammankallande"))
    members = UsersChoice(
        queryset=None, required=False, label=_("Ledamöter"), widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = WorkingGroup
        fields = ["name", "description", "leader", "members"]

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.municipality = municipality
        self.fields["leader"].queryset = staff_of(municipality)
        self.fields["members"].queryset = staff_of(municipality)


class MeetingForm(forms.ModelForm):
    link = forms.URLField(
        label=_("Länk till digitalt möte"), required=False, max_length=200, assume_scheme="https"
    )
    invited = UsersChoice(
        queryset=None, required=False, label=_("Kallade"), widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Meeting
        fields = ["title", "start", "end", "place", "link", "invited"]
        widgets = {"start": DateTimeInput(), "end": DateTimeInput()}

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.group = group
        self.fields["invited"].queryset = staff_of(group.municipality)
        if not self.instance.pk and not self.is_bound:
            # A new meeting invites the group's members unless the coordinator changes it.
            self.initial.setdefault("invited", list(group.members.values_list("pk", flat=True)))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", _("Mötet måste sluta efter att det börjar."))
        if not data.get("place") and not data.get("link"):
            self.add_error("place", _("Ange en plats eller en länk till det digitala mötet."))
        return data


class AgendaItemForm(forms.ModelForm):
    indicator = forms.ChoiceField(label=_("Indikator"), required=False)
    area_key = forms.ChoiceField(label=_("Policyområde"), required=False)

    class Meta:
        model = AgendaItem
        fields = [
            "order",
            "title",
            "note",
            "decision",
            "activity",
            "round",
            "indicator",
            "area_key",
        ]

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        code = meeting.municipality
        self.instance.meeting = meeting
        self.fields["activity"].queryset = Activity.objects.filter(plan__policy__municipality=code)
        self.fields["round"].queryset = FollowUpRound.objects.filter(
            plan__policy__municipality=code
        )
        self.fields["indicator"].choices = [("", "—")] + indicator_choices()
        self.fields["area_key"].choices = [("", "—")] + area_choices(code)


class ActionPointForm(forms.ModelForm):
    responsible = UserChoice(
        queryset=None, required=False, label=pgettext_lazy("action point", "Ansvarig")
    )

    class Meta:
        model = ActionPoint
        fields = ["text", "responsible", "department", "due", "activity", "done"]
        widgets = {"due": DateInput(), "text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        code = meeting.municipality
        self.instance.meeting = meeting
        self.fields["responsible"].queryset = staff_of(code)
        self.fields["department"].queryset = Department.objects.filter(municipality=code)
        self.fields["activity"].queryset = Activity.objects.filter(plan__policy__municipality=code)


class MinutesForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["minutes_text"]
        widgets = {"minutes_text": forms.Textarea(attrs={"rows": 10})}
