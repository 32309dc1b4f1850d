from django.contrib import admin

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
class PolicyAdmin(admin.ModelAdmin):
    list_display = ("title", "municipality_name", "municipality", "slug")
    inlines = [VersionInline]
    readonly_fields = ("slug", "municipality")


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin):
    # Versions are loaded from files (lagesbild policy load) so they stay exactly as decided.
    list_display = ("policy", "number", "is_current", "decision_date", "loaded_at")
    readonly_fields = [f.name for f in PolicyVersion._meta.fields]

    def has_add_permission(self, request):
        return False


admin.site.register(PolicyArea)
