"""Full editing of public content for coordinators: translations in tabs, a status per language.

Every change goes through the object permissions in rules.py (coordinators of the content's
municipality); the admin shows and changes only the coordinator's own municipality's rows, and
offers only her municipality's users and rows as choices. Changes are kept by
django-simple-history: the "Historik" button shows who published or rejected what, and when.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from lagesbild.accounts.admin import ALL, MunicipalityAdmin, ScopedHistoryAdmin, own_municipality

from .machine import fill_missing
from .models import (
    MAX_LOGO_BYTES,
    Event,
    GuideEntry,
    InternshipPlace,
    MeetingPlace,
    Moderation,
    Partner,
    PublicSite,
    TranslationStatus,
    logo_type,
)
from .translation import TRANSLATED_FIELDS

STATUS_CHOICES = [
    (TranslationStatus.MACHINE, TranslationStatus.MACHINE.label),
    (TranslationStatus.REVIEWED, TranslationStatus.REVIEWED.label),
]


def translation_languages():
    return [
        code
        for code, _name in settings.LANGUAGES
        if code != settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    ]


def status_field_names(model):
    return [
        f"tstatus__{field}__{language}"
        for field in TRANSLATED_FIELDS[model]
        for language in translation_languages()
    ]


def status_form(model):
    """A ModelForm with one select per translated field and language, stored in translation_status."""
    names = {}
    for field in TRANSLATED_FIELDS[model]:
        for language in translation_languages():
            label = f"{model._meta.get_field(field).verbose_name} ({language}): status"
            names[f"tstatus__{field}__{language}"] = forms.ChoiceField(
                label=label,
                choices=STATUS_CHOICES,
                required=False,
                initial=TranslationStatus.REVIEWED,
            )

    def __init__(self, *args, **kwargs):
        forms.ModelForm.__init__(self, *args, **kwargs)
        for name in names:
            _prefix, field, language = name.split("__")
            self.fields[name].initial = self.instance.translation_status.get(field, {}).get(
                language, TranslationStatus.REVIEWED
            )

    def clean(self):
        data = forms.ModelForm.clean(self)
        status = {}
        for name in names:
            _prefix, field, language = name.split("__")
            status.setdefault(field, {})[language] = data.get(name) or TranslationStatus.REVIEWED
        self.instance.translation_status = status
        return data

    attrs = dict(
        names,
        __init__=__init__,
        clean=clean,
        Meta=type("Meta", (), {"model": model, "exclude": ["translation_status"]}),
    )
    return type(f"{model.__name__}StatusForm", (forms.ModelForm,), attrs)


class PublicAdmin(ScopedHistoryAdmin, MunicipalityAdmin, TabbedTranslationAdmin):
    readonly_fields = ("updated_at",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Users have no kommunkod of their own (it is on the profile), so MunicipalityAdmin
        # would offer every user of the installation.
        code = own_municipality(request.user)
        if db_field.related_model is get_user_model() and code is not ALL:
            kwargs["queryset"] = get_user_model().objects.filter(profile__municipality=code)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, **kwargs):
        kwargs["form"] = status_form(self.model)
        return super().get_form(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        status = status_field_names(self.model)
        main = [f for f in fieldsets[0][1]["fields"] if f not in status]
        return [
            (None, {"fields": main}),
            (_("Översättningsstatus"), {"fields": status, "classes": ["collapse"]}),
        ]

    @admin.action(description=_("Maskinöversätt tomma fält"))
    def machine_translate(self, request, queryset):
        filled = 0
        for obj in queryset:
            meta = obj._meta  # public content and civic pages alike
            if not request.user.has_perm(f"{meta.app_label}.change_{meta.model_name}", obj):
                continue
            count = fill_missing(obj, TRANSLATED_FIELDS[type(obj)], translation_languages())
            if count:
                obj.save()
            filled += count
        messages.info(request, _("%(n)s fält maskinöversattes.") % {"n": filled})

    actions = ["machine_translate"]


class ModeratedAdmin(PublicAdmin):
    list_filter = ("status", "municipality", "is_example")
    # Who reviewed, and when, comes from the request (save_model), never from the form.
    readonly_fields = ("updated_at", "reviewed_by", "reviewed_at")

    def save_model(self, request, obj, form, change):
        if "status" in form.changed_data:
            obj.reviewed_by, obj.reviewed_at = request.user, timezone.now()
            obj._change_reason = obj.get_status_display()
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Publicera"))
    def publish(self, request, queryset):
        for obj in queryset:
            if request.user.has_perm("public.moderate", obj):
                obj.status, obj.reviewed_by, obj.reviewed_at = (
                    Moderation.PUBLISHED,
                    request.user,
                    timezone.now(),
                )
                obj._change_reason = obj.get_status_display()
                obj.save()

    actions = ["publish", "machine_translate"]


@admin.register(Event)
class EventAdmin(ModeratedAdmin):
    list_display = ("title", "start", "status", "organiser", "municipality")
    search_fields = ("title_sv",)


@admin.register(InternshipPlace)
class InternshipAdmin(ModeratedAdmin):
    list_display = ("title", "is_open", "status", "period_start", "municipality")
    search_fields = ("title_sv",)


@admin.register(MeetingPlace)
class MeetingPlaceAdmin(PublicAdmin):
    list_display = ("name", "address", "municipality")
    prepopulated_fields = {"slug": ("name_sv",)}


@admin.register(Partner)
class PartnerAdmin(PublicAdmin):
    list_display = ("name", "kind", "is_public", "municipality")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(GuideEntry)
class GuideEntryAdmin(PublicAdmin):
    list_display = ("title", "category", "is_example", "municipality")
    list_filter = ("category", "is_example")


class PublicSiteForm(forms.ModelForm):
    """The logo is uploaded here and kept in the database (every app server sees it at once)."""

    logo_file = forms.FileField(
        label=_("Logotyp (PNG eller JPEG, högst 200 kB)"),
        required=False,
        help_text=_("Visas i sidhuvudet bredvid kommunens namn, 40 px hög."),
    )
    remove_logo = forms.BooleanField(label=_("Ta bort logotypen"), required=False)

    class Meta:
        model = PublicSite
        fields = ["municipality", "is_published", "accent_colour"]

    def clean_logo_file(self):
        upload = self.cleaned_data.get("logo_file")
        if not upload:
            return None
        if upload.size > MAX_LOGO_BYTES:
            raise forms.ValidationError(
                _("%(name)s är för stor: högst 200 kB."), params={"name": upload.name}
            )
        data = upload.read()
        if logo_type(data) is None:
            raise forms.ValidationError(
                _("%(name)s är ingen PNG- eller JPEG-bild."), params={"name": upload.name}
            )
        return data

    def save(self, commit=True):
        site = super().save(commit=False)
        data = self.cleaned_data.get("logo_file")
        if data:
            site.logo, site.logo_content_type = data, logo_type(data)
        elif self.cleaned_data.get("remove_logo"):
            site.logo, site.logo_content_type = None, ""
        if commit:
            site.save()
        return site


@admin.register(PublicSite)
class PublicSiteAdmin(MunicipalityAdmin):
    form = PublicSiteForm
    list_display = ("__str__", "municipality", "is_published", "accent_colour")
    readonly_fields = ("updated_at",)
