from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _

from lagesbild.accounts.admin import (
    ALL,
    MunicipalityAdmin,
    MunicipalityInline,
    ScopedHistoryAdmin,
    own_municipality,
)

from .models import Agreement, AgreementDocument


class AgreementDocumentInline(MunicipalityInline, admin.TabularInline):
    model = AgreementDocument
    extra = 0
    fields = ("original_name", "file", "uploaded_at", "uploaded_by")
    readonly_fields = ("original_name", "file", "uploaded_at", "uploaded_by")
    can_delete = True

    def has_add_permission(self, request, obj=None):
        # Uploads go through the agreement page, which checks the file's content.
        return False


class AgreementAdminForm(forms.ModelForm):
    def clean(self):
        data = super().clean()
        code = self.instance.municipality or data.get("municipality")
        others = [a for a in data.get("activities") or [] if a.municipality != code]
        if others:
            self.add_error("activities", _("Insatserna måste höra till avtalets kommun."))
        return data


@admin.register(Agreement)
class AgreementAdmin(MunicipalityAdmin, ScopedHistoryAdmin):
    form = AgreementAdminForm
    list_display = ("title", "kind", "status", "start_date", "end_date", "municipality")
    list_filter = ("status", "kind", "municipality")
    search_fields = ("title", "other_party", "partner__name")
    filter_horizontal = ("activities",)
    inlines = [AgreementDocumentInline]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # MunicipalityAdmin narrows foreign keys only: offer her own municipality's activities.
        code = own_municipality(request.user)
        if db_field.name == "activities" and code is not ALL:
            kwargs["queryset"] = db_field.related_model.objects.filter(
                plan__policy__municipality=code
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)
