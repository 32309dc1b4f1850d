"""What one django-simple-history record changed, for the audit trails shown on pages (the
plan's activities, the Lägesbild's texts)."""


def field_changes(record, excluded_fields=()):
    """[(verbose field name, old, new)] against the record before it; [] for the first one."""
    if record.prev_record is None:
        return []
    delta = record.diff_against(record.prev_record, excluded_fields=list(excluded_fields))
    model = record.instance_type
    return [(model._meta.get_field(c.field).verbose_name, c.old, c.new) for c in delta.changes]
