"""Every text a resident can meet on the public pages is translated into all eight languages
beyond Swedish, and every catalog has a real plural rule (a template's `EXPRESSION` makes
gettext fail when the catalog is loaded)."""

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils.translation import to_locale

PACKAGE = Path(__file__).resolve().parents[2] / "lagesbild"
APPS = ("public", "civic", "offers", "agreements")
# A staff app with one piece on the public pages: only that piece's texts are checked.
PUBLIC_PIECES = {"agreements": {"templates/agreements/_public_list.html"}}
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "sv"]
# Staff-only files among the public apps: their texts are needed in Swedish and English only.
STAFF_ONLY = {
    "admin.py",
    "rules.py",
    "recurrence.py",  # repeat rules are written in the admin
    "templates/public/moderation.html",
    "templates/offers/inbox.html",
    "templates/offers/detail.html",
    "templates/offers/_staff_form.html",
}


def public_facing(app, entry):
    files = {path for path, _line in entry.occurrences}
    if app in PUBLIC_PIECES:
        return bool(files & PUBLIC_PIECES[app])
    # models.py holds the choices shown publicly and also staff-only field names: a text that
    # occurs only there is checked where a page shows it (the choices), see PUBLIC_CHOICES.
    return bool(files - STAFF_ONLY - {"models.py"})


def catalogs():
    for app in APPS:
        for code in LANGUAGES:
            yield (
                app,
                code,
                PACKAGE / app / "locale" / to_locale(code) / "LC_MESSAGES" / "django.po",
            )


@pytest.mark.parametrize("app,code,path", list(catalogs()), ids=lambda v: str(v)[-40:])
def test_every_public_text_is_translated(app, code, path):
    po = polib.pofile(str(path))
    missing = [
        e.msgid
        for e in po
        if not e.obsolete
        and (code == "en" or public_facing(app, e))
        and (not e.translated() or "fuzzy" in e.flags)
    ]
    assert missing == [], f"{path}: {len(missing)} untranslated, e.g. {missing[:5]}"


def test_the_choices_residents_see_are_translated():
    """Topics, kinds of offer, target groups, Swedish levels: shown on public pages and forms."""
    from django.utils import translation

    from lagesbild.agreements.models import Kind as AgreementKind
    from lagesbild.civic.models import Topic
    from lagesbild.offers.models import Offer
    from lagesbild.public.models import SwedishLevel, TargetGroup

    kinds = (Topic, Offer.Kind, Offer.OfferedBy, TargetGroup, SwedishLevel, AgreementKind)
    with translation.override("sv"):
        swedish = {(k, v): str(label) for k in kinds for v, label in k.choices}
    for code in LANGUAGES:
        if code == "sv-x-ll":
            continue  # lättläst may rightly keep a plain Swedish label as it is
        with translation.override(code):
            same = [
                s for k in kinds for v, label in k.choices if str(label) == (s := swedish[k, v])
            ]
        assert same == [], (code, same)


def test_every_catalog_has_a_real_plural_rule():
    for po in sorted(PACKAGE.glob("**/locale/*/LC_MESSAGES/django.po")):
        rule = polib.pofile(str(po)).metadata.get("Plural-Forms", "")
        assert "EXPRESSION" not in rule and "INTEGER" not in rule, po
