"""Which texts are translated per language (django-modeltranslation adds `<field>_<lang>`)."""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from .models import Event, GuideEntry, InternshipPlace, MeetingPlace, Partner

# The same field lists drive the status grid in the admin and the machine-translation command.
TRANSLATED_FIELDS = {
    Partner: ("description",),
    MeetingPlace: ("name", "opening_hours", "description"),
    Event: ("title", "description", "accessibility", "cost"),
    InternshipPlace: ("title", "field", "description", "requirements"),
    GuideEntry: ("title", "description"),
}


def _register(model, field_names):
    register(model)(
        type(f"{model.__name__}TranslationOptions", (TranslationOptions,), {"fields": field_names})
    )


for _model, _fields in TRANSLATED_FIELDS.items():
    _register(_model, _fields)
    # Who changed, published or rejected what, and when (the admin's "Historik"). Registered
    # here, after the translated fields exist, so the history keeps every language's text.
    register_history(_model)
