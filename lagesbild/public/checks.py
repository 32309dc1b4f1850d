"""System check: every configured language has its compiled interface catalogs.

Without a catalog Django does not fail: it shows the Swedish msgids (for Persian, which Django
itself ships, and English) or answers 404 (so, ti, fa-af, sv-x-ll). This check makes a missing
or uncompiled `django.mo` an error at start-up (`runserver`, `migrate`, `check`).
"""

import gettext
import struct
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.checks import Error, Tags, register
from django.utils.translation import to_locale

PUBLIC_LOCALE = Path(__file__).resolve().parent / "locale"
PACKAGE = PUBLIC_LOCALE.parent.parent  # lagesbild/: only this project's apps are checked
HINT = "Kör `lagesbild compilemessages` i projektets mapp (kräver gettext) eller återställ filen."


def catalogs():
    """{path of a django.mo that must exist: language}: the public pages' and base.html's
    (LOCALE_PATHS) catalog for every language but Swedish (the msgids), and the compiled
    twin of every django.po in the project."""
    needed = {}
    locale_dirs = [PUBLIC_LOCALE, *map(Path, settings.LOCALE_PATHS)]
    for code, _name in settings.LANGUAGES:
        if code != settings.LANGUAGE_CODE:
            for base in locale_dirs:
                needed[base / to_locale(code) / "LC_MESSAGES" / "django.mo"] = code
    app_dirs = [Path(a.path) / "locale" for a in apps.get_app_configs()]
    for base in sorted({*locale_dirs, *(d for d in app_dirs if d.is_relative_to(PACKAGE))}):
        for po in sorted(base.glob("*/LC_MESSAGES/django.po")):
            needed.setdefault(po.with_suffix(".mo"), po.parent.parent.name)
    return needed


@register(Tags.translation)
def check_catalogs(app_configs=None, **kwargs):
    errors = []
    for mo, language in catalogs().items():
        if not mo.is_file():
            message = f"språket {language!r} saknar kompilerad katalog: {mo} finns inte"
            errors.append(Error(message, hint=HINT, id="lagesbild.E001"))
            continue
        try:
            with mo.open("rb") as f:
                gettext.GNUTranslations(f)
        except (OSError, UnicodeDecodeError, struct.error) as e:
            message = f"språket {language!r}: {mo} går inte att läsa som kompilerad katalog ({e})"
            errors.append(Error(message, hint=HINT, id="lagesbild.E002"))
    return errors


@register()
def check_public_hosts(app_configs=None, **kwargs):
    """Every host in LAGESBILD_PUBLIC_HOSTS names a municipality by its slug."""
    from lagesbild.core.municipalities import by_slug

    errors = []
    for host, slug in settings.PUBLIC_HOSTS.items():
        if by_slug(slug) is None:
            errors.append(
                Error(
                    f"LAGESBILD_PUBLIC_HOSTS: {host}={slug}: {slug!r} är ingen kommun",
                    hint="Använd kommunens namn i adressform, t.ex. karlshamn eller lidkoping.",
                    id="lagesbild.E020",
                )
            )
    return errors
