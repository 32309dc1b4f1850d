from django.contrib import admin

from lagesbild.accounts.admin import MunicipalityAdmin

from .models import Policy, PolicyArea, PolicyVersion


class VersionInline(admin.TabularInline):
    model = PolicyVersion
    fields = (
        "number",
        "is_current",
        "decision_date",
        "decision_reference",
        "loaded_at",
        "source_name",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Policy)
class PolicyAdmin(MunicipalityAdmin):
    list_display = ("title", "municipality_name", "municipality", "slug")
    inlines = [VersionInline]
    readonly_fields = ("slug", "municipality")


class ReadOnlyAdmin(MunicipalityAdmin):
    """Versions and their areas are loaded from files (lagesbild policy load) so they stay
    exactly as decided: the admin shows them and changes nothing."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PolicyVersion)
class PolicyVersionAdmin(ReadOnlyAdmin):
    list_display = ("policy", "number", "is_current", "decision_date", "loaded_at")


admin.site.register(PolicyArea, ReadOnlyAdmin)
