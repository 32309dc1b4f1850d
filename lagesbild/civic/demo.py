"""Example civic pages for both seed municipalities (Karlshamn 1082, Lidköping 1494).

Every page is example content (is_example=True, shown with the "Exempel" badge). The texts
keep to general facts about Sweden that hold everywhere; the few sentences about the
municipality itself begin with "Exempel:" so nobody reads them as its real information. The
links go to the authorities' real pages. Some pages have an English and a lättläst (sv-x-ll)
version, the rest are left untranslated so the pages show the Swedish fallback and its note.
A second run finds the pages by (municipality, slug) and adds nothing.
"""

from django.db import transaction

from lagesbild.core.municipalities import get
from lagesbild.public.models import TranslationStatus

from .models import CivicLink, CivicPage, Topic

REVIEWED = TranslationStatus.REVIEWED
MUNICIPALITIES = {
    "1082": {"site": "https://www.karlshamn.se", "region": "Region Blekinge"},
    "1494": {"site": "https://lidkoping.se", "region": "Västra Götalandsregionen"},
}

MIGRATIONSVERKET = ("Migrationsverket", "https://www.migrationsverket.se", "Migrationsverket")
SKATTEVERKET = ("Skatteverket", "https://www.skatteverket.se", "Skatteverket: folkbokföring")
INFORMATIONSVERIGE = (
    "Informationsverige",
    "https://www.informationsverige.se",
    "Informationsverige: om samhället på många språk",
)
VARD = ("1177", "https://www.1177.se", "1177: vård och hälsa")
SKOLVERKET = ("Skolverket", "https://www.skolverket.se", "Skolverket")
AF = ("Arbetsförmedlingen", "https://arbetsformedlingen.se", "Arbetsförmedlingen")
UHR = (
    "Universitets- och högskolerådet (UHR)",
    "https://www.uhr.se/bedomning-av-utlandsk-utbildning/",
    "UHR: bedömning av utländsk utbildning",
)
LEGITIMATION = (
    "Socialstyrelsen",
    "https://legitimation.socialstyrelsen.se",
    "Socialstyrelsen: legitimation för vårdyrken",
)
OWN_SITE = object()  # stands for the municipality's own website

# English titles of links, where the demo has them.
LINK_TITLES_EN = {
    "https://www.migrationsverket.se": "Swedish Migration Agency",
    "https://www.1177.se": "1177: health care",
    "https://www.informationsverige.se": "Informationsverige: about Swedish society",
}


def deciding_body(code):
    """The body that decides the municipality's policy, as its policy names it (lower-case in
    running text), or a plain description when no policy is loaded."""
    from lagesbild.policy.models import Policy

    policy = Policy.objects.filter(municipality=code).first()
    version = policy.current if policy else None
    body = version.decided_by if version else ""
    return body[:1].lower() + body[1:] if body else "de förtroendevalda"


def pages(name, full_name, region, body="de förtroendevalda"):
    """(slug, topic, order, {language: (title, summary, body)}, links) for one municipality."""
    return [
        (
            "rattigheter-och-skyldigheter",
            Topic.RIGHTS,
            1,
            {
                "sv": (
                    "Rättigheter och skyldigheter",
                    "Alla som bor i Sverige har samma grundläggande fri- och rättigheter och "
                    "ska följa samma lagar.",
                    "I Sverige är alla lika inför lagen. Grundlagarna skyddar bland annat "
                    "yttrandefriheten och religionsfriheten, och det är förbjudet att "
                    "diskriminera någon.\n\n"
                    "Alla som bor i Sverige ska följa svensk lag, oavsett medborgarskap.\n\n"
                    "Några skyldigheter som gäller de flesta:\n"
                    "- att folkbokföra sig hos Skatteverket om man ska bo i Sverige ett år "
                    "eller längre, och att anmäla när man flyttar\n"
                    "- att deklarera sin inkomst och betala skatt\n"
                    "- att barn går i skolan (skolplikt)\n\n"
                    "Frågor om uppehållstillstånd och medborgarskap besvarar Migrationsverket.",
                ),
                "sv-x-ll": (
                    "Dina rättigheter och skyldigheter",
                    "Alla i Sverige har samma rättigheter. Alla ska följa lagen.",
                    "Alla människor är lika mycket värda.\n"
                    "Du får säga vad du tycker.\n"
                    "Du får ha vilken religion du vill.\n\n"
                    "Du måste följa lagen i Sverige.\n"
                    "Det gäller alla som bor här.\n\n"
                    "Det här måste du göra:\n"
                    "- Anmäla var du bor till Skatteverket.\n"
                    "- Betala skatt.\n"
                    "- Se till att dina barn går i skolan.",
                ),
                "en": (
                    "Rights and obligations",
                    "Everyone who lives in Sweden has the same basic rights and freedoms and "
                    "must follow the same laws.",
                    "In Sweden everyone is equal before the law. The constitution protects, "
                    "among other things, freedom of expression and freedom of religion, and "
                    "discrimination is prohibited.\n\n"
                    "Everyone who lives in Sweden must follow Swedish law, whatever their "
                    "citizenship.\n\n"
                    "Some obligations that apply to most people:\n"
                    "- to register with the Swedish Tax Agency (folkbokföring) if you will "
                    "live in Sweden for a year or longer, and to report when you move\n"
                    "- to declare your income and pay tax\n"
                    "- to make sure children go to school (compulsory schooling)\n\n"
                    "Questions about residence permits and citizenship are answered by the "
                    "Swedish Migration Agency.",
                ),
            },
            [SKATTEVERKET, MIGRATIONSVERKET, INFORMATIONSVERIGE],
        ),
        (
            "sa-fungerar-kommunen",
            Topic.MUNICIPALITY,
            1,
            {
                "sv": (
                    "Så fungerar kommunen",
                    f"Vad {full_name} ansvarar för och hur du kan påverka.",
                    f"Sverige har 290 kommuner. Kommunen styrs av {body}, som "
                    "invånarna väljer vart fjärde år.\n\n"
                    "Kommunen ansvarar bland annat för:\n"
                    "- förskola, skola och vuxenutbildning, till exempel SFI\n"
                    "- socialtjänst och äldreomsorg\n"
                    "- bibliotek, vatten och avlopp\n\n"
                    "Regionen ansvarar för hälso- och sjukvården.\n\n"
                    "Du som inte är svensk medborgare får rösta i val till kommun och region "
                    "om du har varit folkbokförd i Sverige i tre år i följd. Medborgare i "
                    "EU-länderna, Island och Norge behöver inte vänta tre år.\n\n"
                    f"Exempel: På kommunens webbplats står hur du kontaktar {name} och var "
                    f"du hittar protokoll från {body}.",
                ),
            },
            [(full_name, OWN_SITE, f"{full_name}s webbplats")],
        ),
        (
            "skola-och-forskola",
            Topic.SCHOOL,
            1,
            {
                "sv": (
                    "Skola och förskola",
                    "Skolplikt, förskola och modersmål.",
                    "Alla barn i Sverige har skolplikt från förskoleklass, det år barnet "
                    "fyller sex år, till och med årskurs 9. Skolan är avgiftsfri.\n\n"
                    "Barn har rätt till förskola från ett års ålder när föräldrarna arbetar "
                    "eller studerar. Från hösten det år barnet fyller tre år har alla barn "
                    "rätt till avgiftsfri allmän förskola några timmar i veckan.\n\n"
                    "Elever med ett annat modersmål än svenska kan ha rätt till "
                    "modersmålsundervisning.\n\n"
                    "Exempel: Du ansöker om plats i förskolan i kommunens e-tjänst.",
                ),
                "sv-x-ll": (
                    "Skola och förskola",
                    "Alla barn ska gå i skolan.",
                    "Alla barn i Sverige måste gå i skolan.\n"
                    "Barnen börjar det år de fyller sex år.\n"
                    "Skolan kostar inga pengar.\n\n"
                    "Små barn kan gå i förskola.\n"
                    "Barnet kan få lära sig sitt eget språk i skolan.",
                ),
            },
            [SKOLVERKET, (full_name, OWN_SITE, f"{full_name}s webbplats")],
        ),
        (
            "halsa-och-vard",
            Topic.HEALTH,
            1,
            {
                "sv": (
                    "Hälsa och vård",
                    "Vart du ringer när du eller någon annan blir sjuk.",
                    "Ring 112 om det är akut fara för liv.\n\n"
                    "Ring 1177 för råd om vård, dygnet runt. På 1177.se finns information om "
                    "sjukdomar och om vården på flera språk.\n\n"
                    "Regionen ansvarar för vårdcentraler och sjukhus. Om du behöver tolk kan "
                    "du be om det när du bokar tid.\n\n"
                    f"Exempel: I {name} är det {region} som ansvarar för hälso- och "
                    "sjukvården.",
                ),
                "en": (
                    "Health and health care",
                    "Where to call when you or someone else falls ill.",
                    "Call 112 if a life is in danger.\n\n"
                    "Call 1177 for health care advice, day and night. 1177.se has information "
                    "about illnesses and health care in several languages.\n\n"
                    "The region is responsible for health centres and hospitals. If you need "
                    "an interpreter, you can ask for one when you book an appointment.\n\n"
                    f"Example: In {name}, {region} is responsible for health care.",
                ),
            },
            [VARD],
        ),
        (
            "boende",
            Topic.HOUSING,
            1,
            {
                "sv": (
                    "Boende",
                    "Att hyra en bostad och att anmäla flytt.",
                    "De flesta hyr sin första bostad. Ett hyreskontrakt direkt med "
                    "hyresvärden kallas förstahandskontrakt. Om du hyr av någon som själv "
                    "hyr bostaden (andra hand) behöver hyresvärden oftast ha godkänt det.\n\n"
                    "När du flyttar ska du anmäla din nya adress till Skatteverket.\n\n"
                    "Exempel: Kommunens bostadsbolag har en bostadskö som du kan ställa dig i.",
                ),
            },
            [SKATTEVERKET, (full_name, OWN_SITE, f"{full_name}s webbplats")],
        ),
        (
            "arbete",
            Topic.WORK,
            1,
            {
                "sv": (
                    "Arbete",
                    "Att söka arbete och vad som gäller på en arbetsplats.",
                    "Du som söker arbete kan skriva in dig hos Arbetsförmedlingen.\n\n"
                    "På många arbetsplatser finns kollektivavtal som bestämmer lön och "
                    "villkor. Arbetsgivaren drar skatten från lönen.\n\n"
                    "Exempel: Praktikplatser i kommunen finns under Praktikplatser på den "
                    "här webbplatsen.",
                ),
            },
            [AF, SKATTEVERKET],
        ),
        (
            "sfi-och-samhallsorientering",
            Topic.SFI,
            1,
            {
                "sv": (
                    "SFI och samhällsorientering",
                    "Lär dig svenska och hur samhället fungerar.",
                    "Svenska för invandrare (SFI) är en avgiftsfri utbildning i svenska för "
                    "vuxna som inte har svenska som modersmål. Kommunen ansvarar för att "
                    "erbjuda SFI.\n\n"
                    "Samhällsorientering ges på ditt modersmål eller på ett annat språk du "
                    "behärskar. Den handlar om hur det svenska samhället fungerar och är "
                    "minst 100 timmar.\n\n"
                    "Exempel: Du anmäler dig till SFI hos kommunens vuxenutbildning.",
                ),
                "sv-x-ll": (
                    "SFI och samhällsorientering",
                    "Lär dig svenska. Lär dig om Sverige.",
                    "SFI betyder svenska för invandrare.\n"
                    "På SFI lär du dig svenska.\n"
                    "SFI kostar inga pengar.\n\n"
                    "På samhällsorienteringen lär du dig om Sverige.\n"
                    "Den är på ditt eget språk.",
                ),
                "en": (
                    "SFI and civic orientation",
                    "Learn Swedish and how society works.",
                    "Swedish for immigrants (SFI) is a free Swedish course for adults whose "
                    "first language is not Swedish. The municipality is responsible for "
                    "offering SFI.\n\n"
                    "Civic orientation (samhällsorientering) is given in your own language or "
                    "another language you know well. It is about how Swedish society works "
                    "and is at least 100 hours long.\n\n"
                    "Example: You sign up for SFI with the municipality's adult education.",
                ),
            },
            [INFORMATIONSVERIGE, (full_name, OWN_SITE, f"{full_name}s webbplats")],
        ),
        (
            "validering",
            Topic.VALIDATION,
            1,
            {
                "sv": (
                    "Få din utbildning och ditt yrke bedömt",
                    "De nationella vägarna för utländsk utbildning och legitimationsyrken.",
                    "Har du en utbildning från ett annat land kan du få den bedömd av "
                    "Universitets- och högskolerådet (UHR). Bedömningen visar vad "
                    "utbildningen motsvarar i Sverige.\n\n"
                    "För vissa yrken behövs legitimation:\n"
                    "- läkare, sjuksköterskor och andra vårdyrken söker legitimation hos "
                    "Socialstyrelsen\n"
                    "- lärare och förskollärare söker lärarlegitimation hos Skolverket\n\n"
                    "Exempel: Kommunens studie- och yrkesvägledare hjälper dig att hitta "
                    "rätt väg.",
                ),
            },
            [UHR, LEGITIMATION, SKOLVERKET],
        ),
    ]


def _ensure_page(code, slug, topic, order, texts, links, site):
    if CivicPage.objects.filter(municipality=code, slug=slug).exists():
        return False
    page = CivicPage(
        municipality=code, slug=slug, topic=topic, order=order, is_example=True, is_published=True
    )
    for language, (title, summary, body) in texts.items():
        for field, text in (("title", title), ("summary", summary), ("body", body)):
            page.set_translation(field, language, text, REVIEWED)
    page.full_clean()
    page.save()
    for number, (authority, url, title) in enumerate(links, start=1):
        url = site if url is OWN_SITE else url
        link = CivicLink(page=page, authority=authority, url=url, order=number)
        link.set_translation("title", "sv", title, REVIEWED)
        if url in LINK_TITLES_EN:
            link.set_translation("title", "en", LINK_TITLES_EN[url], REVIEWED)
        link.full_clean()
        link.save()
    return True


@transaction.atomic
def load_demo(stdout):
    created = 0
    for code, facts in MUNICIPALITIES.items():
        area = get(code)
        body = deciding_body(code)
        for slug, topic, order, texts, links in pages(
            area.name, area.full_name, facts["region"], body
        ):
            created += _ensure_page(code, slug, topic, order, texts, links, facts["site"])
    stdout.write(f"Samhällsinformation: {created} exempelsidor skapade")
