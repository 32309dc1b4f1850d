"""Every free-text field of the project's models has a length limit (issue #16, finding 8).

The test walks every model of the project's own apps, so a new field without max_length fails
here. TextField's max_length is checked by forms (a ModelForm shows the limit in its message);
the database does not enforce it, so machine-written fields may go without one: they are
listed in NO_LIMIT with the reason.
"""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models

NO_LIMIT = {
    "stats.Snapshot.content": "a source's raw answer, kept exactly as received (checksummed)",
    "stats.Snapshot.url": "the address the program asked, built by the program",
    "stats.FetchRun.message": "a fetch's summary, written by the program",
    "stats.IndicatorRefresh.error": "the last attempt's error, written by the program",
    "policy.PolicyVersion.source_text": "the adopted policy file exactly as read (checksummed)",
    "plan.Reminder.recipients": "addresses the reminder command sent to, written by it",
}


def own_text_fields(app=None):
    """(label, field) for every CharField/TextField of the project's models."""
    for model in apps.get_models():
        config = model._meta.app_config
        if not config.name.startswith("lagesbild.") or (app and config.label != app):
            continue
        for f in model._meta.concrete_fields:
            if isinstance(f, models.CharField | models.TextField):
                yield f"{model._meta.label}.{f.name}", model, f


def _unlimited(apps_wanted):
    return [
        label
        for app in apps_wanted
        for label, _model, f in own_text_fields(app)
        if not f.max_length and label.replace("Historical", "") not in NO_LIMIT
    ]


def test_every_text_field_has_a_length_limit():
    others = {c.label for c in apps.get_app_configs() if c.name.startswith("lagesbild.")}
    others.discard("public")
    assert _unlimited(sorted(others)) == []


def test_every_public_text_field_has_a_length_limit():
    assert _unlimited(["public"]) == []


def test_the_allow_list_names_real_fields():
    labels = {label for label, _model, _f in own_text_fields()}
    assert set(NO_LIMIT) <= labels


def _limited_text_fields():
    for label, model, f in own_text_fields():
        if isinstance(f, models.TextField) and f.max_length and f.editable:
            if not label.split(".")[1].startswith("Historical"):
                yield pytest.param(model, f, id=label)


@pytest.mark.parametrize("model, field", list(_limited_text_fields()))
def test_forms_name_the_limit(model, field):
    """The field a ModelForm gets refuses one character too many, naming the limit."""
    with pytest.raises(ValidationError) as refused:
        field.formfield().clean("x" * (field.max_length + 1))
    message = " ".join(refused.value.messages)
    assert f"som mest {field.max_length} tecken" in message, message
