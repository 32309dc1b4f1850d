"""Coordinators write and order their municipality's civic pages, in tabs per language.

PublicAdmin (lagesbild.public.admin) keeps a coordinator to her own municipality's pages, gives
a translation status per field and language and keeps the history; the links to the
authorities' pages are edited inline, with their titles translated the same way.
"""

from django.contrib import admin
from django.db import models
from modeltranslation.admin import TranslationTabularInline

from lagesbild.public.admin import PublicAdmin

from .models import CivicLink, CivicPage


class CivicLinkInline(TranslationTabularInline):
    model = CivicLink
    fields = ("order", "authority", "title", "url")
    extra = 1
    # Only https addresses are accepted (models.https_only): assume it when none is typed.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(CivicPage)
class CivicPageAdmin(PublicAdmin):
    list_display = ("title", "topic", "order", "is_published", "is_example", "municipality")
    list_editable = ("order",)
    list_filter = ("topic", "is_published", "is_example")
    search_fields = ("title_sv",)
    prepopulated_fields = {"slug": ("title_sv",)}
    inlines = [CivicLinkInline]
