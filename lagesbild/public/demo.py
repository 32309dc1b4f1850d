"""Demo content for the public pages of Karlshamn (1082) and Lidköping (1494): example events,
meeting places, internships, partners and guide, and each municipality's public site.

Everything here is example content (is_example=True, shown with an "Exempel" badge): invented
associations and companies with "(exempel)" in their names, addresses on "Exempelgatan", no
real statistics. The validation guide names real Swedish authorities but its entries are
examples the municipality is expected to replace. Dates are set relative to the first run, so
the calendar has events; a second run keeps what is there (matched on municipality and the
Swedish title or slug) and adds nothing twice.
"""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from lagesbild.accounts.models import Department

from .models import (
    STOCKHOLM,
    Event,
    GuideEntry,
    InternshipPlace,
    MeetingPlace,
    Moderation,
    Partner,
    PublicSite,
    TranslationStatus,
)

KARLSHAMN, LIDKOPING = "1082", "1494"
# Header colours of the two demo sites; white text on them has at least 4.5:1 (WCAG 2.1 AA):
# #1f5f8b is 6.8:1 and #2e6b30 is 6.4:1.
ACCENT_COLOURS = {KARLSHAMN: "#1f5f8b", LIDKOPING: "#2e6b30"}
REVIEWED, MACHINE = TranslationStatus.REVIEWED, TranslationStatus.MACHINE


def _at(days, hour, minute=0):
    day = timezone.localdate() + timedelta(days=days)
    return datetime.combine(day, time(hour, minute), STOCKHOLM)


def _next_weekday(weekday, hour, minute=0, after=0):
    """The first such weekday more than `after` days from today."""
    start = timezone.localdate() + timedelta(days=after)
    return _at(after + ((weekday - start.weekday()) % 7 or 7), hour, minute)


class _Demo:
    """Adds one municipality's example rows and counts the new ones."""

    def __init__(self, municipality):
        self.municipality = municipality
        self.created = 0

    def ensure(self, model, key, defaults, translations=()):
        """Create once, matched on the municipality and key; translations are (field,
        language, text, status)."""
        obj = model.objects.filter(municipality=self.municipality, **key).first()
        if obj is not None:
            return obj
        obj = model(**key, **defaults, municipality=self.municipality, is_example=True)
        for field, language, text, status in translations:
            obj.set_translation(field, language, text, status)
        obj.full_clean()
        obj.save()
        self.created += 1
        return obj

    def department(self, name):
        return Department.objects.filter(municipality=self.municipality, name=name).first()


def _karlshamn(demo):
    sprakvanner = demo.ensure(
        Partner,
        {"slug": "exempel-sprakvanner"},
        {
            "name": "Föreningen Språkvänner (exempel)",
            "kind": Partner.Kind.ASSOCIATION,
            "description_sv": "Exempelförening: volontärer som träffar nyanlända för att prata svenska.",
        },
        [
            (
                "description",
                "ar",
                "جمعية مثال: متطوعون يلتقون بالقادمين الجدد للتحدث بالسويدية.",
                REVIEWED,
            )
        ],
    )
    bygg = demo.ensure(
        Partner,
        {"slug": "exempel-bygg"},
        {
            "name": "Exempelbygg AB",
            "kind": Partner.Kind.BUSINESS,
            "description_sv": "Exempelföretag inom bygg som tar emot praktikanter.",
        },
    )
    library = demo.ensure(
        MeetingPlace,
        {"slug": "stadsbiblioteket"},
        {
            "name_sv": "Stadsbiblioteket (exempel)",
            "address": "Exempelgatan 1, Karlshamn",
            "opening_hours_sv": "Måndag–fredag 10–19, lördag 10–14",
            "languages": "sv,ar,uk,ti",
            "description_sv": "Böcker på många språk, datorer, språkcafé och läxhjälp.",
        },
        [
            ("name", "ar", "مكتبة المدينة (مثال)", REVIEWED),
            ("opening_hours", "ar", "الاثنين–الجمعة 10–19، السبت 10–14", REVIEWED),
            (
                "description",
                "ar",
                "كتب بلغات كثيرة، حواسيب، مقهى لغة ومساعدة في الواجبات المدرسية.",
                REVIEWED,
            ),
            ("name", "en", "City library (example)", REVIEWED),
            ("name", "uk", "Міська бібліотека (приклад)", REVIEWED),
        ],
    )
    family = demo.ensure(
        MeetingPlace,
        {"slug": "oppna-forskolan"},
        {
            "name_sv": "Öppna förskolan Mötet (exempel)",
            "address": "Exempelvägen 5, Karlshamn",
            "opening_hours_sv": "Tisdag och torsdag 9–12",
            "languages": "sv,so,ar",
            "description_sv": "För föräldrar med barn 0–5 år: lek, sång och samtal.",
        },
    )

    demo.ensure(
        Event,
        {"title_sv": "Språkcafé (exempel)"},
        {
            "description_sv": "Öva svenska över en kopp kaffe. Alla nivåer är välkomna.",
            "start": _next_weekday(1, 18),
            "end": _next_weekday(1, 20),
            "rrule": "FREQ=WEEKLY;BYDAY=TU;COUNT=30",
            "place": library,
            "organiser": sprakvanner,
            "languages": "sv,ar,uk,ti",
            "accessibility_sv": "Entré utan trappsteg, hörslinga.",
            "target_group": "everyone",
            "status": Moderation.PUBLISHED,
        },
        [
            ("title", "ar", "مقهى اللغة (مثال)", REVIEWED),
            (
                "description",
                "ar",
                "تدرّب على السويدية مع فنجان قهوة. جميع المستويات مرحّب بها.",
                REVIEWED,
            ),
            ("title", "en", "Language café (example)", REVIEWED),
            ("title", "uk", "Мовне кафе (приклад)", REVIEWED),
        ],
    )
    demo.ensure(
        Event,
        {"title_sv": "Föräldracafé med tolk (exempel)"},
        {
            "description_sv": "Samtal om förskola och skola i Sverige. Tolk på somaliska och arabiska.",
            "start": _at(10, 9, 30),
            "end": _at(10, 11, 30),
            "place": family,
            "languages": "sv,so,ar",
            "target_group": "families",
            "status": Moderation.PUBLISHED,
        },
    )
    demo.ensure(
        Event,
        {"title_sv": "Jobbmässa för nyanlända (exempel)"},
        {
            "description_sv": "Träffa arbetsgivare och få hjälp med ditt CV.",
            "start": _at(21, 13),
            "end": _at(21, 16),
            "address": "Exempelhallen, Exempelgatan 10, Karlshamn",
            "organiser": bygg,
            "languages": "sv,en",
            "cost_sv": "",
            "target_group": "jobseekers",
            "status": Moderation.PUBLISHED,
        },
        [("title", "en", "Job fair for newcomers (example)", MACHINE)],
    )
    demo.ensure(
        Event,
        {"title_sv": "Fotbollsträning för unga (exempel på förslag)"},
        {
            "description_sv": "Ett förslag från en förening som väntar på granskning.",
            "start": _at(14, 17),
            "end": _at(14, 18, 30),
            "address": "Exempelplanen, Karlshamn",
            "languages": "sv,ar",
            "target_group": "youth",
            "status": Moderation.PENDING,
            "proposer_organisation": "IF Exempel",
            "proposer_email": "styrelsen@example.invalid",
        },
    )

    demo.ensure(
        InternshipPlace,
        {"title_sv": "Praktik i skolkök (exempel)"},
        {
            "field_sv": "Restaurang och storkök",
            "description_sv": "Du hjälper till att laga lunch till en skola.",
            "requirements_sv": "Inga förkunskaper.",
            "swedish_level": "basic",
            "period_start": timezone.localdate() + timedelta(days=30),
            "period_end": timezone.localdate() + timedelta(days=120),
            "department": demo.department("Barn- och ungdomsförvaltningen"),
            "contact": "kontaktcenter@example.invalid",
            "is_open": True,
            "status": Moderation.PUBLISHED,
        },
        [
            ("title", "ar", "تدريب في مطبخ مدرسي (مثال)", REVIEWED),
            ("field", "ar", "المطاعم والمطابخ الكبيرة", REVIEWED),
        ],
    )
    demo.ensure(
        InternshipPlace,
        {"title_sv": "Praktik som snickare (exempel)"},
        {
            "field_sv": "Bygg",
            "description_sv": "Praktik på byggarbetsplats.",
            "swedish_level": "good",
            "period_start": timezone.localdate() - timedelta(days=30),
            "period_end": timezone.localdate() + timedelta(days=60),
            "offered_by": bygg,
            "contact": "info@example.invalid",
            "is_open": False,
            "status": Moderation.PUBLISHED,
        },
    )
    _guide(demo)


def _lidkoping(demo):
    """Lidköping's examples, spread over the four focus areas of its integrationspolicy:
    Boende, Utbildning, Arbete and Social integration. Lidköping's first events and open
    internships come after Karlshamn's, so lists that still mix both start with Karlshamn's."""
    # Partners: the policy's "Näringslivet och civilsamhällets ansvar".
    exempelbron = demo.ensure(
        Partner,
        {"slug": "exempel-sprakcafe-lidkoping"},
        {
            "name": "Föreningen Exempelbron (exempel)",
            "kind": Partner.Kind.ASSOCIATION,
            "description_sv": "Exempelförening: volontärer som håller i språkcafé och läxhjälp "
            "på biblioteket.",
        },
        [
            (
                "description",
                "en",
                "Example association: volunteers who run the language café and homework help "
                "at the library.",
                REVIEWED,
            ),
            (
                "description",
                "ar",
                "جمعية مثال: متطوعون ينظمون مقهى اللغة والمساعدة في الواجبات المدرسية في المكتبة.",
                MACHINE,
            ),
        ],
    )
    mentors = demo.ensure(
        Partner,
        {"slug": "exempel-mentorer-lidkoping"},
        {
            "name": "Mentorsnätverket Exempel (exempel)",
            "kind": Partner.Kind.ASSOCIATION,
            "description_sv": "Exempelnätverk: yrkesverksamma som är mentorer för den som "
            "söker arbete eller praktik.",
        },
    )
    housing = demo.ensure(
        Partner,
        {"slug": "exempel-bostader-lidkoping"},
        {
            "name": "Exempelbostäder AB (exempel)",
            "kind": Partner.Kind.BUSINESS,
            "description_sv": "Exempel på en fastighetsägare som samarbetar med kommunen om "
            "boende och tar emot praktikanter i fastighetsskötsel.",
        },
    )
    workshop = demo.ensure(
        Partner,
        {"slug": "exempel-verkstad-lidkoping"},
        {
            "name": "Exempelverkstaden AB (exempel)",
            "kind": Partner.Kind.BUSINESS,
            "description_sv": "Exempelföretag inom tillverkning som tar emot praktikanter.",
        },
    )

    # Meeting places.
    library = demo.ensure(  # Utbildning: the public library as a place to learn Swedish
        MeetingPlace,
        {"slug": "exempel-biblioteket-lidkoping"},
        {
            "name_sv": "Stadsbiblioteket Lidköping (exempel)",
            "address": "Exempelgatan 2, Lidköping",
            "opening_hours_sv": "Måndag–torsdag 10–19, fredag 10–17, lördag 11–14",
            "languages": "sv,ar,fa,so,ti,uk",
            "description_sv": "Böcker och tidningar på många språk, datorer, språkcafé och "
            "läxhjälp. Här kan du öva svenska.",
        },
        [
            ("name", "en", "Lidköping city library (example)", REVIEWED),
            ("name", "ar", "مكتبة مدينة ليدشوبينغ (مثال)", MACHINE),
            ("name", "uk", "Міська бібліотека Лідчепінга (приклад)", MACHINE),
            (
                "description",
                "en",
                "Books and newspapers in many languages, computers, a language café and "
                "homework help. A place to practise Swedish.",
                REVIEWED,
            ),
        ],
    )
    quarter = demo.ensure(  # Boende: a meeting place where people live
        MeetingPlace,
        {"slug": "exempel-kvartersgarden-lidkoping"},
        {
            "name_sv": "Kvartersgården Exempelgården (exempel)",
            "address": "Exempelvägen 12, Lidköping",
            "opening_hours_sv": "Måndag–fredag 13–17",
            "languages": "sv,ar,so",
            "description_sv": "Mötesplats i bostadsområdet som kommunen driver tillsammans med "
            "fastighetsägaren: frågor om boende, fika och aktiviteter för grannar.",
        },
        [("name", "en", "Exempelgården neighbourhood centre (example)", MACHINE)],
    )
    associations = demo.ensure(  # Social integration: the associations' own meeting place
        MeetingPlace,
        {"slug": "exempel-foreningshuset-lidkoping"},
        {
            "name_sv": "Föreningshuset (exempel)",
            "address": "Exempelgatan 30, Lidköping",
            "opening_hours_sv": "Kvällar och helger när föreningarna har aktiviteter",
            "languages": "sv,en,ar",
            "description_sv": "Här har flera föreningar sina aktiviteter. Kom och se vad du "
            "kan vara med i.",
        },
    )

    # Events (all published; none of them pending, Karlshamn has the example proposal).
    demo.ensure(  # Utbildning and Social integration
        Event,
        {"title_sv": "Språkcafé på biblioteket (exempel)"},
        {
            "description_sv": "Prata svenska med andra över en kopp kaffe. Alla nivåer är "
            "välkomna och det kostar ingenting.",
            "start": _next_weekday(2, 17, 30, after=7),
            "end": _next_weekday(2, 19, after=7),
            "rrule": "FREQ=WEEKLY;BYDAY=WE;COUNT=30",
            "place": library,
            "organiser": exempelbron,
            "languages": "sv,ar,fa,uk",
            "accessibility_sv": "Entré utan trappsteg, hiss, hörslinga.",
            "target_group": "everyone",
            "status": Moderation.PUBLISHED,
        },
        [
            ("title", "en", "Language café at the library (example)", REVIEWED),
            ("title", "ar", "مقهى اللغة في المكتبة (مثال)", MACHINE),
            (
                "description",
                "ar",
                "تحدّث بالسويدية مع الآخرين مع فنجان قهوة. جميع المستويات مرحّب بها والمشاركة مجانية.",
                MACHINE,
            ),
            ("title", "uk", "Мовне кафе в бібліотеці (приклад)", MACHINE),
        ],
    )
    demo.ensure(  # Utbildning: children and young people get going with school
        Event,
        {"title_sv": "Läxhjälp för skolelever (exempel)"},
        {
            "description_sv": "Volontärer hjälper dig med läxorna. Ta med det du arbetar med.",
            "start": _next_weekday(0, 15, after=7),
            "end": _next_weekday(0, 17, after=7),
            "rrule": "FREQ=WEEKLY;BYDAY=MO,TH;COUNT=24",
            "place": library,
            "organiser": exempelbron,
            "languages": "sv,ar,so,uk",
            "target_group": "youth",
            "status": Moderation.PUBLISHED,
        },
    )
    demo.ensure(  # Boende
        Event,
        {"title_sv": "Träff om att hyra en bostad (exempel)"},
        {
            "description_sv": "Hur du söker bostad, vad ett hyreskontrakt betyder och vilka "
            "rättigheter du har som hyresgäst. Tolk på arabiska och tigrinja.",
            "start": _at(12, 18),
            "end": _at(12, 19, 30),
            "place": quarter,
            "organiser": housing,
            "languages": "sv,ar,ti",
            "target_group": "newcomers",
            "status": Moderation.PUBLISHED,
        },
        [("title", "en", "Meeting about renting a home (example)", MACHINE)],
    )
    demo.ensure(  # Arbete
        Event,
        {"title_sv": "Praktiktorget (exempel)"},
        {
            "description_sv": "Träffa företag och kommunens sektorer som erbjuder praktik, och "
            "mentorer som hjälper dig med ditt CV.",
            "start": _at(24, 10),
            "end": _at(24, 14),
            "address": "Exempelhallen, Exempelgatan 20, Lidköping",
            "organiser": mentors,
            "languages": "sv,en,ar",
            "target_group": "jobseekers",
            "status": Moderation.PUBLISHED,
        },
        [
            ("title", "en", "Internship fair (example)", REVIEWED),
            ("title", "ar", "سوق التدريب العملي (مثال)", MACHINE),
        ],
    )
    demo.ensure(  # Social integration
        Event,
        {"title_sv": "Föreningskväll: hitta en förening (exempel)"},
        {
            "description_sv": "Föreningar berättar om vad de gör och hur du kan vara med, som "
            "deltagare eller volontär.",
            "start": _at(15, 18),
            "end": _at(15, 20),
            "rrule": "FREQ=MONTHLY;COUNT=6",
            "place": associations,
            "languages": "sv,en,ar",
            "target_group": "everyone",
            "status": Moderation.PUBLISHED,
        },
        [("title", "uk", "Вечір об'єднань: знайдіть своє (приклад)", MACHINE)],
    )

    # Internships (Arbete): in the municipality's own sectors and in private business.
    demo.ensure(
        InternshipPlace,
        {"title_sv": "Praktik inom äldreomsorgen (exempel)"},
        {
            "field_sv": "Vård och omsorg",
            "description_sv": "Du är med i vardagen på ett äldreboende: måltider, promenader "
            "och samtal.",
            "requirements_sv": "Inga förkunskaper.",
            "swedish_level": "basic",
            "period_start": timezone.localdate() + timedelta(days=45),
            "period_end": timezone.localdate() + timedelta(days=135),
            "department": demo.department("Sektor social välfärd"),
            "contact": "kontaktcenter@example.invalid",
            "is_open": True,
            "status": Moderation.PUBLISHED,
        },
        [
            ("title", "en", "Internship in elderly care (example)", REVIEWED),
            ("title", "ar", "تدريب في رعاية المسنين (مثال)", MACHINE),
        ],
    )
    demo.ensure(
        InternshipPlace,
        {"title_sv": "Praktik på biblioteket (exempel)"},
        {
            "field_sv": "Bibliotek och kultur",
            "description_sv": "Du hjälper besökare, ställer upp böcker och är med på språkcaféet.",
            "swedish_level": "good",
            "period_start": timezone.localdate() + timedelta(days=50),
            "period_end": timezone.localdate() + timedelta(days=140),
            "department": demo.department("Sektor bildning"),
            "contact": "kontaktcenter@example.invalid",
            "is_open": True,
            "status": Moderation.PUBLISHED,
        },
    )
    demo.ensure(
        InternshipPlace,
        {"title_sv": "Praktik som fastighetsskötare (exempel)"},
        {
            "field_sv": "Fastighetsskötsel",
            "description_sv": "Skötsel av hus och gårdar tillsammans med en fastighetsskötare.",
            "swedish_level": "basic",
            "period_start": timezone.localdate() + timedelta(days=60),
            "period_end": timezone.localdate() + timedelta(days=150),
            "offered_by": housing,
            "contact": "info@example.invalid",
            "is_open": True,
            "status": Moderation.PUBLISHED,
        },
        [("field", "uk", "Обслуговування нерухомості", MACHINE)],
    )
    demo.ensure(
        InternshipPlace,
        {"title_sv": "Praktik i verkstad (exempel)"},
        {
            "field_sv": "Industri och tillverkning",
            "description_sv": "Praktik i produktionen hos ett tillverkande företag.",
            "swedish_level": "good",
            "period_start": timezone.localdate() - timedelta(days=20),
            "period_end": timezone.localdate() + timedelta(days=70),
            "offered_by": workshop,
            "contact": "info@example.invalid",
            "is_open": False,
            "status": Moderation.PUBLISHED,
        },
    )
    # Arbete: "snabbt validera personers kunskaper eller hänvisa till rätt instans".
    _guide(demo)


# The national routes for having an education or profession recognised: the same for every
# municipality. category, title, text, where to turn, address.
GUIDE = [
    (
        "higher",
        "Utbildning från universitet eller högskola",
        "Universitets- och högskolerådet (UHR) bedömer utländsk eftergymnasial utbildning och jämför den med svensk utbildning.",
        "Universitets- och högskolerådet",
        "https://www.uhr.se/",
    ),
    (
        "regulated",
        "Vård och omsorg med legitimation",
        "För att arbeta som till exempel läkare eller sjuksköterska behövs svensk legitimation från Socialstyrelsen.",
        "Socialstyrelsen",
        "https://www.socialstyrelsen.se/",
    ),
    (
        "regulated",
        "Lärare och förskollärare",
        "Lärarlegitimation söks hos Skolverket.",
        "Skolverket",
        "https://www.skolverket.se/",
    ),
    (
        "skills",
        "Yrkeskunskaper utan betyg",
        "Arbetsförmedlingen kan hjälpa dig att få dina yrkeskunskaper bedömda.",
        "Arbetsförmedlingen",
        "https://arbetsformedlingen.se/",
    ),
    (
        "language",
        "Svenska för invandrare (SFI)",
        "Kommunens vuxenutbildning ger SFI och hjälper dig att planera fortsatta studier.",
        "Kommunens vuxenutbildning",
        "",
    ),
]


def _guide(demo):
    for order, (category, title, text, body, url) in enumerate(GUIDE):
        demo.ensure(
            GuideEntry,
            {"title_sv": f"{title} (exempel)"},
            {
                "category": category,
                "description_sv": text,
                "contact_body": body,
                "url": url,
                "order": order,
            },
            [("title", "ar", "تقييم الشهادات الجامعية (مثال)", REVIEWED)]
            if category == "higher"
            else [],
        )


@transaction.atomic
def load_demo(stdout):
    for code, build in ((KARLSHAMN, _karlshamn), (LIDKOPING, _lidkoping)):
        demo = _Demo(code)
        build(demo)
        # A site already there keeps the colour its coordinator chose.
        _site, new_site = PublicSite.objects.get_or_create(
            municipality=code, defaults={"accent_colour": ACCENT_COLOURS[code]}
        )
        stdout.write(
            f"Publika sidor {code}: {demo.created} nya exempelposter (evenemang, mötesplatser, "
            f"praktik, partner, validering), webbplats {'skapad' if new_site else 'finns redan'}."
        )
