"""Offers in the admin: read-only, for installation admins only.

Coordinators work in the inbox (views.py), which checks the municipality; the admin has no
such check, so it is closed to everyone but superusers.
"""

from django.contrib import admin

from lagesbild.accounts.admin import MunicipalityAdmin

from .models import Offer, OfferReply


class ReadOnlyForSuperusers(MunicipalityAdmin):
    """Scoped like every admin of the project, should a coordinator ever be let in."""

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Offer)
class OfferAdmin(ReadOnlyForSuperusers):
    list_display = ["created_at", "municipality", "kind", "offered_by_type", "status"]
    list_filter = ["municipality", "kind", "status"]


@admin.register(OfferReply)
class OfferReplyAdmin(ReadOnlyForSuperusers):
    list_display = ["offer", "sent_at"]
