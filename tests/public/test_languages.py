"""Nine public languages: every one is served, RTL where needed, Swedish fallback with a note."""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import translation

from lagesbild.public.localize import localized
from lagesbild.public.machine import NoMachineTranslation, fill_missing, get_backend
from lagesbild.public.models import TranslationStatus

RTL = {"ar", "fa", "fa-af"}
CALENDAR = "/karlshamn/aktuellt/?fran=2030-05-01&till=2030-05-31"
PUBLIC_LANGUAGES = ["sv", "sv-x-ll", "en", "ar", "fa", "fa-af", "so", "ti", "uk"]


def prefix(code):
    return "" if code == "sv" else f"/{code}"


def test_the_nine_languages_are_configured():
    codes = [code for code, _name in settings.LANGUAGES]
    assert codes == PUBLIC_LANGUAGES


@pytest.mark.parametrize("code", PUBLIC_LANGUAGES)
def test_calendar_is_served_in_each_language_with_its_direction(client, make_event, code):
    make_event()
    response = client.get(prefix(code) + CALENDAR)
    assert response.status_code == 200
    html = response.content.decode()
    direction = "rtl" if code in RTL else "ltr"
    assert f'<html lang="{code}" dir="{direction}">' in html


# The heading is msgid "Evenemang och aktiviteter" in lagesbild/public/locale/<lang>/LC_MESSAGES/
# django.po; the day is the event's date, Tuesday 7 May 2030, as CLDR (babel) writes it in full
# in that language (Lättläst uses Swedish dates; Dari writes the month "می", Persian "مه").
CONTENT = [
    ("sv", "Evenemang och aktiviteter", "tisdag 7 maj 2030"),
    ("sv-x-ll", "Saker som händer", "tisdag 7 maj 2030"),
    ("en", "Events and activities", "Tuesday, May 7, 2030"),
    ("ar", "الفعاليات والأنشطة", "الثلاثاء، 7 مايو 2030"),
    ("fa", "رویدادها و فعالیت\u200cها", "سه\u200cشنبه 7 مه 2030"),
    ("fa-af", "رویدادها و فعالیت\u200cها", "سه\u200cشنبه 7 می 2030"),
    ("so", "Dhacdooyin iyo hawlo", "Talaado, Maayo 7, 2030"),
    ("ti", "ፍጻመታትን ንጥፈታትን", "ሰሉስ፣ 7 ጉንበት 2030"),
    ("uk", "Заходи та активності", "вівторок, 7 травня 2030\u202fр."),
]


@pytest.mark.parametrize("code,heading,date", CONTENT, ids=[c[0] for c in CONTENT])
def test_each_language_shows_its_catalog_text_and_writes_dates_its_own_way(
    client, make_event, code, heading, date
):
    # Guards: public dates always formatted in Swedish; a deleted catalog (e.g. Persian)
    # silently showing the Swedish interface.
    make_event()  # Tuesday 7 May 2030, 18:00
    html = client.get(prefix(code) + CALENDAR).content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert f'<h3 id="day-1">{date}</h3>' in html
    if code != "sv":
        assert "Evenemang och aktiviteter" not in html
    if code not in ("sv", "sv-x-ll"):
        assert "tisdag" not in html and " maj " not in html


def test_content_table_covers_every_public_language_once():
    assert [code for code, _heading, _date in CONTENT] == PUBLIC_LANGUAGES


def test_translated_title_is_shown_without_a_note(client, make_event):
    event = make_event()
    event.set_translation("title", "ar", "مقهى اللغة", TranslationStatus.REVIEWED)
    event.save()
    html = client.get(f"/ar/karlshamn/evenemang/{event.pk}/").content.decode()
    assert "<h1>مقهى اللغة</h1>" in html
    assert "يُعرض باللغة السويدية" not in html


def test_missing_translation_falls_back_to_swedish_marked_and_noted(client, make_event):
    event = make_event(title="Föräldracafé")
    html = client.get(f"/ar/karlshamn/evenemang/{event.pk}/").content.decode()
    assert '<h1><span lang="sv" dir="ltr">Föräldracafé</span></h1>' in html
    # The note is in the reader's language.
    assert "هذا النص غير متوفر بلغتك بعد" in html


def test_swedish_reader_gets_no_fallback_note(client, make_event):
    event = make_event(title="Föräldracafé")
    html = client.get(f"/karlshamn/evenemang/{event.pk}/").content.decode()
    assert "<h1>Föräldracafé</h1>" in html
    assert "translation-note" not in html


def test_machine_translation_is_shown_with_a_note(client, make_event):
    event = make_event()
    event.set_translation("title", "en", "Language café", TranslationStatus.MACHINE)
    event.save()
    html = client.get(f"/en/karlshamn/evenemang/{event.pk}/").content.decode()
    assert "<h1>Language café</h1>" in html
    assert "Machine-translated text that nobody has checked yet." in html


def test_status_is_missing_for_an_empty_field_whatever_was_stored(make_event):
    event = make_event()
    event.translation_status = {"title": {"uk": "reviewed"}}
    assert event.translation_state("title", "uk") == TranslationStatus.MISSING
    with translation.override("uk"):
        assert localized(event, "title").fallback is True


def test_default_machine_translation_backend_translates_nothing(make_event):
    event = make_event()
    assert isinstance(get_backend(), NoMachineTranslation)
    assert fill_missing(event, ["title", "description"], ["ar", "en"]) == 0
    assert event.title_ar in (None, "")


class UppercaseBackend:
    """A stand-in for a municipality's own service: known output for known input."""

    def translate(self, text, source, target):
        return f"[{target}] {text.upper()}"


@override_settings(
    PUBLIC_MACHINE_TRANSLATION_BACKEND="tests.public.test_languages.UppercaseBackend"
)
def test_a_configured_backend_fills_only_missing_fields_and_marks_them_machine(make_event):
    event = make_event(title="Språkcafé")
    event.set_translation("title", "en", "Language café", TranslationStatus.REVIEWED)
    filled = fill_missing(event, ["title"], ["en", "ar"])
    assert filled == 1
    assert event.title_en == "Language café"
    assert event.title_ar == "[ar] SPRÅKCAFÉ"
    assert event.translation_state("title", "ar") == TranslationStatus.MACHINE


def test_language_links_point_to_the_same_page_with_filters_kept(client, make_event):
    make_event()
    html = client.get("/karlshamn/aktuellt/?sprak=ar").content.decode()
    assert 'href="/ar/karlshamn/aktuellt/?sprak=ar" lang="ar" hreflang="ar" dir="rtl"' in html
    assert 'href="/so/karlshamn/aktuellt/?sprak=ar" lang="so"' in html


def test_staff_pages_offer_only_swedish_and_english(client, db):
    html = client.get("/policy/").content.decode()
    assert 'value="en"' in html and 'value="sv"' in html
    assert 'value="ar"' not in html


# A missing catalog is an error at start-up -----------------------------------------------


@pytest.fixture
def catalog_copy(tmp_path, monkeypatch, settings):
    """The public and base.html catalogs copied to tmp_path and the check pointed at the copy,
    so a test may delete or break one."""
    import shutil

    from lagesbild.public import checks

    package = Path(checks.__file__).resolve().parent.parent
    public = shutil.copytree(package / "public" / "locale", tmp_path / "public")
    base = shutil.copytree(package / "locale", tmp_path / "base")
    monkeypatch.setattr(checks, "PUBLIC_LOCALE", public)
    settings.LOCALE_PATHS = [base]
    return tmp_path


def catalog_errors():
    from lagesbild.public.checks import check_catalogs

    return [(e.id, e.msg) for e in check_catalogs()]


def test_the_shipped_catalogs_pass_the_check():
    assert catalog_errors() == []


def test_a_deleted_persian_catalog_is_an_error_naming_language_and_file(catalog_copy):
    mo = catalog_copy / "public" / "fa" / "LC_MESSAGES" / "django.mo"
    mo.unlink()
    assert catalog_errors() == [
        ("lagesbild.E001", f"språket 'fa' saknar kompilerad katalog: {mo} finns inte")
    ]


def test_an_uncompiled_catalog_is_an_error(catalog_copy):
    # The .po is there, msgfmt never ran: Somali base.html strings would be Swedish.
    mo = catalog_copy / "base" / "so" / "LC_MESSAGES" / "django.mo"
    mo.unlink()
    assert mo.with_suffix(".po").is_file()
    assert catalog_errors() == [
        ("lagesbild.E001", f"språket 'so' saknar kompilerad katalog: {mo} finns inte")
    ]


def test_a_po_file_of_any_language_without_its_mo_is_an_error(catalog_copy):
    po = catalog_copy / "base" / "de" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n', encoding="utf-8")
    mo = po.with_suffix(".mo")
    assert catalog_errors() == [
        ("lagesbild.E001", f"språket 'de' saknar kompilerad katalog: {mo} finns inte")
    ]


def test_an_empty_or_broken_mo_file_is_an_error(catalog_copy):
    mo = catalog_copy / "public" / "fa_AF" / "LC_MESSAGES" / "django.mo"
    mo.write_bytes(b"")
    [(check_id, message)] = catalog_errors()
    assert check_id == "lagesbild.E002"
    assert message.startswith(
        f"språket 'fa-af': {mo} går inte att läsa som kompilerad katalog ("
    ), message


def test_the_check_runs_with_django_s_system_checks(catalog_copy):
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    mo = catalog_copy / "public" / "ti" / "LC_MESSAGES" / "django.mo"
    mo.unlink()
    with pytest.raises(SystemCheckError) as raised:
        call_command("check", tag=["translation"])
    assert f"(lagesbild.E001) språket 'ti' saknar kompilerad katalog: {mo} finns inte" in str(
        raised.value
    )
    assert "HINT: Kör `lagesbild compilemessages`" in str(raised.value)
