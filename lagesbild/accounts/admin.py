from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.core.exceptions import FieldDoesNotExist, ValidationError

from .models import Department, Profile

ALL = None  # own_municipality() for installation admins: every municipality


def own_municipality(user):
    """The kommunkod whose rows the user may administer, ALL for installation admins, or ""
    (nothing) for a staff user without a profile."""
    if user.is_superuser:
        return ALL
    profile = getattr(user, "profile", None)
    if profile is None:
        return ""
    return profile.municipality or ALL


def _municipality_path(model):
    """How a model reaches its kommunkod: its own field, or through a foreign key chain
    declared as `municipality_path` on the model (e.g. "plan__policy__municipality")."""
    path = getattr(model, "municipality_path", None)
    if path:
        return path
    try:
        model._meta.get_field("municipality")
    except FieldDoesNotExist:
        return None
    return "municipality"


class MunicipalityAdmin(admin.ModelAdmin):
    """Keeps a coordinator to her own municipality in the Django admin.

    Model permissions alone would let a staff coordinator of one municipality list, change and
    delete another's rows. Here the list and every object view only reach her own rows (others
    are "not found"), the kommunkod of a new or changed row is set to her own, and a foreign-key
    choice only offers rows of her municipality.
    """

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        code = own_municipality(request.user)
        if code is ALL:
            return qs
        return qs.filter(**{_municipality_path(self.model): code}) if code else qs.none()

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        own_field = _municipality_path(self.model) == "municipality"
        if own_municipality(request.user) is not ALL and own_field:
            fields += ("municipality",)
        return fields

    def save_model(self, request, obj, form, change):
        code = own_municipality(request.user)
        if code is not ALL and _municipality_path(self.model) == "municipality":
            obj.municipality = code
        super().save_model(request, obj, form, change)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        code = own_municipality(request.user)
        if code is ALL or _municipality_path(self.model) != "municipality":
            return form

        class OwnMunicipalityForm(form):
            """The kommunkod is not a field here, so Django would skip every uniqueness rule
            that involves it (a slug unique per municipality, one site per municipality) and
            the database would refuse the row with an error page. Set it first, check them."""

            def _post_clean(self):
                self.instance.municipality = code
                super()._post_clean()
                others = [
                    f.name
                    for f in self.instance._meta.fields
                    if f.name != "municipality" and f.name not in self.fields
                ]
                try:
                    self.instance.validate_unique(exclude=others)
                    self.instance.validate_constraints(exclude=others)
                except ValidationError as e:
                    for field, messages in e.update_error_dict({}).items():
                        if field not in self.errors:
                            self.add_error(field if field in self.fields else None, messages)

        return OwnMunicipalityForm

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        code = own_municipality(request.user)
        path = _municipality_path(db_field.related_model)
        if code is not ALL and path and "queryset" not in kwargs:
            kwargs["queryset"] = db_field.related_model._default_manager.filter(**{path: code})
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False


class LagesbildUserAdmin(UserAdmin):
    inlines = [ProfileInline]
    list_display = ("username", "first_name", "last_name", "email", "is_staff")


admin.site.unregister(User)
admin.site.register(User, LagesbildUserAdmin)


@admin.register(Department)
class DepartmentAdmin(MunicipalityAdmin):
    list_display = ("name", "short_name", "municipality")
    list_filter = ("municipality",)
    search_fields = ("name",)
