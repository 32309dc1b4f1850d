"""Working groups and meetings in the admin, each coordinator kept to her own municipality
(the rows, and every user, department or activity an inline row names)."""

from django.contrib import admin

from lagesbild.accounts.admin import MunicipalityAdmin, MunicipalityInline, ScopedHistoryAdmin

from .models import (
    ActionPoint,
    AgendaItem,
    Attendance,
    Invitation,
    Meeting,
    Membership,
    WorkingGroup,
)


class MembershipInline(MunicipalityInline, admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(MunicipalityAdmin):
    list_display = ["name", "municipality", "leader", "is_example"]
    inlines = [MembershipInline]


class InvitationInline(MunicipalityInline, admin.TabularInline):
    model = Invitation
    extra = 0
    raw_id_fields = ["user"]


class AgendaItemInline(MunicipalityInline, admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["order", "title", "decision"]


class ActionPointInline(MunicipalityInline, admin.TabularInline):
    model = ActionPoint
    extra = 0
    fields = ["text", "responsible", "department", "due", "done"]
    raw_id_fields = ["responsible", "activity"]


class AttendanceInline(MunicipalityInline, admin.TabularInline):
    model = Attendance
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Meeting)
class MeetingAdmin(MunicipalityAdmin, ScopedHistoryAdmin):
    list_display = ["title", "group", "start", "status"]
    list_filter = ["status"]
    raw_id_fields = ["approved_by"]
    inlines = [InvitationInline, AgendaItemInline, AttendanceInline, ActionPointInline]


@admin.register(ActionPoint)
class ActionPointAdmin(MunicipalityAdmin, ScopedHistoryAdmin):
    list_display = ["text", "meeting", "responsible", "department", "due", "done"]
    list_filter = ["done"]
    raw_id_fields = ["meeting", "responsible", "activity", "timeline_entry"]
