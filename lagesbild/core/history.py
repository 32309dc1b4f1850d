"""What one django-simple-history record changed, for the audit trails shown on pages (the
plan's activities, agreements, meetings, the Lägesbild's texts)."""

from django.utils.translation import gettext_lazy

# simple-history names its record types in English and ships no Swedish catalogue, so
# the pages name them in the product's own words.
CHANGE_KINDS = {
    "+": gettext_lazy("skapad"),
    "~": gettext_lazy("ändrad"),
    "-": gettext_lazy("borttagen"),
}


def change_kind(record):
    """The record's type in the page's language: skapad, ändrad or borttagen."""
    return CHANGE_KINDS.get(record.history_type, record.history_type)


def field_changes(record, excluded_fields=()):
    """[(verbose field name, old, new)] against the record before it; [] for the first one."""
    if record.prev_record is None:
        return []
    delta = record.diff_against(record.prev_record, excluded_fields=list(excluded_fields))
    model = record.instance_type
    return [(model._meta.get_field(c.field).verbose_name, c.old, c.new) for c in delta.changes]
