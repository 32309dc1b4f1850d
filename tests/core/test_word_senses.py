"""Swedish words with several meanings get a context, so each page shows its own English
(catalogs are merged: without a context the first app's translation wins everywhere)."""

import pytest
from django.utils import translation
from django.utils.translation import pgettext


@pytest.mark.parametrize(
    "context,word,english",
    [
        ("meeting time", "Tid", "Time"),
        ("action point", "Ansvarig", "Responsible"),
        ("policy owner", "Ansvarig", "Owner"),
        ("agreement status", "Utkast", "Draft"),
        ("policy drafts heading", "Utkast", "Drafts"),
        ("meeting document", "underlag", "background material"),
    ],
)
def test_each_sense_has_its_own_english(context, word, english):
    with translation.override("en"):
        assert pgettext(context, word) == english
