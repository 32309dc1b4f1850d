from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

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
    if model is User:
        return "profile__municipality"
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
        _own_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def _own_choices(db_field, request, kwargs):
    """Limit a foreign key's choices (and so what a raw id may name) to the coordinator's
    own municipality's rows."""
    code = own_municipality(request.user)
    path = _municipality_path(db_field.related_model)
    if code is not ALL and path and "queryset" not in kwargs:
        kwargs["queryset"] = db_field.related_model._default_manager.filter(**{path: code})


class MunicipalityInline:
    """For an inline of a MunicipalityAdmin: its parent is already her own, and here a
    foreign key (a user, a department, an activity) can only name her municipality's rows."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        _own_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ScopedHistoryAdmin(SimpleHistoryAdmin):
    """django-simple-history's "Historik" pages, kept to the rows get_queryset reaches (with
    MunicipalityAdmin: the coordinator's own municipality) and read-only."""

    def history_view(self, request, object_id, extra_context=None):
        # SimpleHistoryAdmin falls back to the history of a row get_queryset does not reach:
        # another municipality's rows are "not found" here, as in the rest of this admin.
        if not self.get_queryset(request).filter(pk=unquote(object_id)).exists():
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Reverting would save an old version with only a view permission checked, past
        # save_model's rules: the history is for reading.
        if request.method != "GET":
            raise PermissionDenied
        if not self.get_queryset(request).filter(pk=unquote(object_id)).exists():
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        return True


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
