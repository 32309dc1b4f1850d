from django.contrib import admin

from lagesbild.accounts.admin import MunicipalityAdmin

from .models import SsoIdentity


@admin.register(SsoIdentity)
class SsoIdentityAdmin(MunicipalityAdmin):
    """The one way to let an administrator's account sign in with single sign-on: an
    installation administrator adds the link here (logins never link such accounts by e-mail).
    Only installation administrators see it: a link decides who may sign in as whom."""

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    has_change_permission = has_delete_permission = has_view_permission
    has_add_permission = has_module_permission

    list_display = ["user", "issuer", "subject", "linked_by", "linked_at"]
    search_fields = ["user__username", "subject"]
    raw_id_fields = ["user"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.linked_by = "admin"
        super().save_model(request, obj, form, change)

    def get_exclude(self, request, obj=None):
        return ["linked_by"]
