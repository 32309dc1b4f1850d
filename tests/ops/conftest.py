"""Fixtures for the production tests: whole-database snapshots and demo content."""

import io

import pytest
from django.core.management import call_command

from lagesbild.ops.backup import data_models


def snapshot():
    """Every row of every table, by model label, in primary-key order."""
    result = {}
    for model in data_models():
        attnames = [f.attname for f in model._meta.local_concrete_fields]
        result[model._meta.label_lower] = list(
            model._base_manager.order_by("pk").values_list(*attnames)
        )
    return result


@pytest.fixture
def demo_content(transactional_db):
    """The content `lagesbild demo` creates: both policies, accounts and every app's demo."""
    call_command("demo", no_serve=True, stdout=io.StringIO())


def _sample(field):
    """A valid value for a required field, or None when the field can stay empty."""
    from django.db import models

    if field.primary_key or field.null or field.has_default():
        return None
    if field.choices:
        return field.choices[0][0]
    if isinstance(field, models.ForeignKey):
        target = field.related_model._base_manager.order_by("pk").first()
        if target is None:
            raise LookupError(field.related_model)
        return target
    if isinstance(field, models.EmailField):
        return "exempel@example.invalid"
    if isinstance(field, (models.CharField, models.TextField)):
        return "x" if field.blank is False else ""
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.DateTimeField):
        from django.utils import timezone

        return timezone.now()
    if isinstance(field, models.DateField):
        import datetime

        return datetime.date(2026, 1, 1)
    if isinstance(field, (models.IntegerField, models.FloatField, models.DecimalField)):
        return 1
    if isinstance(field, models.JSONField):
        return {"exempel": 1}
    if isinstance(field, models.FileField):
        return "exempel.txt"
    return None


def fill_empty_tables():
    """One row in every empty table whose required fields can be filled generically.

    Apps without demo content still get rows, so a round trip covers every app.
    """
    from django.db import transaction

    for _ in range(3):  # later passes fill tables whose foreign keys needed a row first
        for model in data_models():
            opts = model._meta
            if opts.auto_created or model._base_manager.exists():
                continue
            try:
                values = {}
                for field in opts.concrete_fields:
                    value = _sample(field)
                    if value is not None:
                        values[field.name] = value
                with transaction.atomic():
                    model._base_manager.create(**values)
            except Exception:
                continue
