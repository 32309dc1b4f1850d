from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from .models import Department, Profile


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False


class LagesbildUserAdmin(UserAdmin):
    inlines = [ProfileInline]
    list_display = ("username", "first_name", "last_name", "email", "is_staff")


admin.site.unregister(User)
admin.site.register(User, LagesbildUserAdmin)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "municipality")
    list_filter = ("municipality",)
    search_fields = ("name",)
