"""Every page is read by the roles the role table (docs/roles.md) allows, and by no others.

The walk goes through the URL resolver like the write walk in test_security.py, so a new URL
pattern is found without changes here. Each pattern is filled with real objects of a demo-like
setup in two municipalities, Karlshamn (1082) and Lidköping (1494): the demo content plus a plan
that is not published with a closed follow-up round, published Lägesbilder of both, fetch runs,
a local indicator and proposals waiting for moderation. Every URL is then read (GET) as every
role, relative to the municipality whose object it shows: the reader, department
representative, partner and coordinator of that municipality, the coordinator of the other one,
an installation admin and an anonymous visitor.

A role the table allows must get the page (200, and where a probe names a text, that text in
the answer); a role it does not allow must not; nobody may get a server error. Where the other
municipality's coordinator is refused, so are that municipality's reader, representative and
partner. A URL pattern the walk has no probe for fails the test, so a new page has to be given
a row in the table.

READS below mirrors the table in docs/roles.md; test_role_table_matches_docs keeps them the
same. Django's admin is left to test_security.py (its admin tests).
"""

import datetime
import re
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from lagesbild.accounts.models import Role

from ..conftest import ROOT
from .test_security import walk

ROLES = (
    "anonymous",
    Role.READER,
    Role.DEPARTMENT,
    Role.PARTNER,
    Role.COORDINATOR,
    "other-coordinator",
    "admin",
)
# The column headings of docs/roles.md, in the order of ROLES.
ROLE_HEADINGS = (
    "anonymous",
    "läsare",
    "förvaltningsrepresentant",
    "partner",
    "integrationssamordnare",
    "samordnare i en annan kommun",
    "admin",
)
# The other municipality's staff: refused wherever its coordinator is (docs/roles.md).
OTHER_STAFF = {f"other-{role}": role for role in (Role.READER, Role.DEPARTMENT, Role.PARTNER)}
SKIP_NAMESPACES = {"admin"}  # Django's admin: tests/ops/test_security.py
ROLES_DOC = ROOT / "docs" / "roles.md"

# The rows of the role table (docs/roles.md), one per page kind.
HOME = "Home page"
LOGIN = "Log-in page"
POLICY = "Policy: list, current version, a version"
POLICY_FILES = "Policy: comparison of two versions, a version as a policy file (YAML)"
POLICY_START = "Policy: starting a new policy (form, for the coordinator's own municipality)"
POLICY_EDITOR = (
    "Policy: the editor (a new version, a draft's pages, adopting, import, removing a draft), "
    "Agenda 2030 tags"
)
L_INDEX = "Lägesbild: list of policies and published versions"
L_PUBLISHED = "Lägesbild: published version, page and downloads (HTML, PDF, Word)"
L_FUTURE = "Lägesbild: a version not published yet, page and downloads"
L_DRAFT = "Lägesbild: draft, page and downloads (HTML, PDF, Word)"
L_PUBLISH = "Lägesbild: publishing (confirmation page)"
L_ANALYSIS = "Lägesbild: the coordinator's analysis of an area (form)"
L_EXPERIENCE_NEW = "Lägesbild: new experience text (form)"
L_EXPERIENCE_OWN = "Lägesbild: experience text of the representative's own department (form)"
L_EXPERIENCE_OTHER = "Lägesbild: experience text of another department (form)"
P_LIST = "Handlingsplan: list"
P_LIST_HIDDEN = "Handlingsplan: list naming a plan not published"
P_PUBLIC = "Handlingsplan: public page of a published plan"
P_PUBLIC_HIDDEN = "Handlingsplan: public page of a plan not published"
P_DETAIL = "Handlingsplan: the plan's dashboard"
P_ACTIVITY = "Handlingsplan: an activity with its audit trail"
P_EXPORT = "Handlingsplan: activities as CSV and Excel"
P_CONTACTS = "Handlingsplan: activities' contact persons (activity page, CSV, API)"
P_CONTACTS_PUBLIC = "Handlingsplan: contact persons on the public page"
P_FORMS = (
    "Handlingsplan: the coordinator's forms (new plan, plan settings, new activity, import, "
    "opening a follow-up round)"
)
P_EDIT_OWN = "Handlingsplan: an activity of the representative's own department (form)"
P_EDIT_OTHER = "Handlingsplan: an activity of another department (form)"
P_PROPOSE = "Handlingsplan: proposing an activity (form)"
P_OWN_PROPOSALS = (
    "Handlingsplan: the proposal form listing the partner's own proposals and their decisions"
)
F_ROUND = "Uppföljning: the coordinator's page of a round"
F_PARTNER_PART = (
    "Uppföljning: a partner's part of a round (the partner asked for it, the coordinator)"
)
F_REPORT_OWN = "Uppföljning: the report of the representative's own department (form)"
F_REPORT_OTHER = "Uppföljning: the report of another department (form)"
F_DOCUMENT = "Uppföljning: follow-up report of a closed round (HTML, PDF, Word)"
F_DOCUMENT_OPEN = "Uppföljning: follow-up report of a round still open"
S_INDEX = "Statistik: status page of a municipality"
S_RUN = "Statistik: a fetch run (page and progress)"
S_UPLOAD = "Statistik: file upload (form)"
S_LOCAL = "Statistik: the municipality's own indicators (list and forms)"
S_EXAMPLE = "Statistik: removing example data (confirmation page)"
A_PUBLIC = (
    "Aktuellt: public pages (calendar, feeds, events, meeting places, internships, partners, guide, "
    "sitemaps, logo, colour)"
)
A_PROPOSE = "Aktuellt: proposal forms and thank-you page"
A_ONWARD = (
    "Aktuellt: addresses that lead on to a page (a site's start, the old /aktuellt/ addresses)"
)
A_PENDING = "Aktuellt: an event or internship place waiting for moderation"
A_QUEUE = "Aktuellt: moderation queue"
A_QUEUE_ITEM = "Aktuellt: moderation queue listing a proposal of the municipality"
C_PUBLIC = "Samhällsinformation: civic pages, their print view, and the search of a public site"
O_FORM = "Bidra: the form to offer help, and its thank-you page"
O_INBOX = "Inkorg: the list of offers to take part"
O_INBOX_ITEM = "Inkorg: the inbox listing an offer of the municipality"
O_OFFER = "Inkorg: one offer, with the contact details and the answer form"
MT_LIST = "Möten: the list of working groups (each sees her own municipality's)"
MT_NEW = (
    "Möten: a new working group (form; an installation administrator, with no municipality of "
    "her own, adds one in the admin)"
)
MT_GROUP = (
    "Möten: a working group of the municipality, a meeting with approved minutes, the minutes "
    "as PDF and Word"
)
MT_DRAFT = "Möten: a meeting before its minutes are approved, to someone not invited"
MT_FORMS = "Möten: editing a group, a meeting, an agenda item or an action point (forms)"
AG_LIST = "Samverkansavtal: the list (each sees her own municipality's)"
AG_NEW = "Samverkansavtal: a new agreement (form)"
AG_DETAIL = "Samverkansavtal: an agreement of the municipality and its documents"
AG_EDIT = "Samverkansavtal: editing an agreement (form)"
API_PUBLIC = "API: policies, statistics, gaps and schema"
API_PUBLISHED_PLAN = "API: activities of a published plan"
API_HIDDEN_PLAN = "API: activities of a plan not published"
K_LISTS = "Konton: users and departments of her own municipality (lists, invitation form)"
K_LIST_USER = "Konton: the list of users showing one of the municipality"
K_EDIT = "Konton: a user or a department of the municipality (form)"
K_PASSWORD = "Konton: changing one's own password"
K_RESET = (
    "Konton: forgotten password and the invitation's link (forms, and the page saying a link "
    "does not work)"
)
NO_PAGE = (
    "No page of its own (POST-only actions, logging out, single sign-on, language choice, API root)"
)

Y, N = True, False
# fmt: off
READS = {
    #                     anonymous läsare förv.  partner samo. annan admin
    HOME:                 (Y,        Y,     Y,     Y,      Y,     Y,    Y),
    LOGIN:                (Y,        Y,     Y,     Y,      Y,     Y,    Y),
    POLICY:               (Y,        Y,     Y,     Y,      Y,     Y,    Y),
    POLICY_FILES:         (Y,        Y,     Y,     Y,      Y,     Y,    Y),
    POLICY_START:         (N,        N,     N,     N,      Y,     Y,    Y),
    POLICY_EDITOR:        (N,        N,     N,     N,      Y,     N,    Y),
    L_INDEX:              (Y,        Y,     Y,     Y,      Y,     Y,    Y),
    L_PUBLISHED:          (Y,        Y,     Y,     Y,      Y,     Y,    Y),
    L_FUTURE:             (N,        N,     N,     N,      N,     N,    N),
    L_DRAFT:              (N,        Y,     Y,     N,      Y,     N,    Y),
    L_PUBLISH:            (N,        N,     N,     N,      Y,     N,    Y),
    L_ANALYSIS:           (N,        N,     N,     N,      Y,     N,    Y),
    L_EXPERIENCE_NEW:     (N,        N,     Y,     N,      Y,     N,    Y),
    L_EXPERIENCE_OWN:     (N,        N,     Y,     N,      Y,     N,    Y),
    L_EXPERIENCE_OTHER:   (N,        N,     N,     N,      Y,     N,    Y),
    P_LIST:               (Y,        Y,     Y,     Y,      Y,     Y,    Y),
    P_LIST_HIDDEN:        (N,        Y,     Y,     N,      Y,     N,    Y),
    P_PUBLIC:             (Y,        Y,     Y,     Y,      Y,     Y,    Y),
    P_PUBLIC_HIDDEN:      (N,        N,     N,     N,      N,     N,    N),
    P_DETAIL:             (N,        Y,     Y,     N,      Y,     N,    Y),
    P_ACTIVITY:           (N,        Y,     Y,     N,      Y,     N,    Y),
    P_EXPORT:             (N,        Y,     Y,     N,      Y,     N,    Y),
    P_CONTACTS:           (N,        Y,     Y,     N,      Y,     N,    Y),
    P_CONTACTS_PUBLIC:    (N,        N,     N,     N,      N,     N,    N),
    P_FORMS:              (N,        N,     N,     N,      Y,     N,    Y),
    P_EDIT_OWN:           (N,        N,     Y,     N,      Y,     N,    Y),
    P_EDIT_OTHER:         (N,        N,     N,     N,      Y,     N,    Y),
    P_PROPOSE:            (N,        N,     N,     Y,      Y,     N,    Y),
    P_OWN_PROPOSALS:      (N,        N,     N,     Y,      N,     N,    N),
    F_ROUND:              (N,        N,     N,     N,      Y,     N,    Y),
    F_PARTNER_PART:       (N,        N,     N,     Y,      Y,     N,    Y),
    F_REPORT_OWN:         (N,        N,     Y,     N,      Y,     N,    Y),
    F_REPORT_OTHER:       (N,        N,     N,     N,      Y,     N,    Y),
    F_DOCUMENT:           (N,        Y,     Y,     N,      Y,     N,    Y),
    F_DOCUMENT_OPEN:      (N,        N,     N,     N,      N,     N,    N),
    S_INDEX:              (N,        Y,     Y,     N,      Y,     Y,    Y),
    S_RUN:                (N,        Y,     Y,     N,      Y,     N,    Y),
    S_UPLOAD:             (N,        N,     N,     N,      Y,     N,    Y),
    S_LOCAL:              (N,        N,     N,     N,      Y,     N,    Y),
    S_EXAMPLE:            (N,        N,     N,     N,      Y,     N,    Y),
    A_PUBLIC:             (Y,        Y,     Y,     Y,      Y,     Y,    Y),
    A_PROPOSE:            (Y,        Y,     Y,     Y,      Y,     Y,    Y),
    A_ONWARD:             (N,        N,     N,     N,      N,     N,    N),
    A_PENDING:            (N,        N,     N,     N,      N,     N,    N),
    A_QUEUE:              (N,        N,     N,     N,      Y,     Y,    Y),
    A_QUEUE_ITEM:         (N,        N,     N,     N,      Y,     N,    Y),
    C_PUBLIC:             (Y,        Y,     Y,     Y,      Y,     Y,    Y),
    O_FORM:               (Y,        Y,     Y,     Y,      Y,     Y,    Y),
    O_INBOX:              (N,        N,     N,     N,      Y,     Y,    Y),
    O_INBOX_ITEM:         (N,        N,     N,     N,      Y,     N,    Y),
    O_OFFER:              (N,        N,     N,     N,      Y,     N,    Y),
    MT_LIST:              (N,        Y,     Y,     N,      Y,     Y,    Y),
    MT_NEW:               (N,        N,     N,     N,      Y,     Y,    N),
    MT_GROUP:             (N,        Y,     Y,     N,      Y,     N,    Y),
    MT_DRAFT:             (N,        N,     N,     N,      Y,     N,    Y),
    MT_FORMS:             (N,        N,     N,     N,      Y,     N,    Y),
    AG_LIST:              (N,        Y,     Y,     N,      Y,     Y,    Y),
    AG_NEW:               (N,        N,     N,     N,      Y,     Y,    Y),
    AG_DETAIL:            (N,        Y,     Y,     N,      Y,     N,    Y),
    AG_EDIT:              (N,        N,     N,     N,      Y,     N,    Y),
    API_PUBLIC:           (Y,        Y,     Y,     Y,      Y,     Y,    Y),
    API_PUBLISHED_PLAN:   (Y,        Y,     Y,     Y,      Y,     Y,    Y),
    API_HIDDEN_PLAN:      (N,        Y,     Y,     N,      Y,     N,    Y),
    K_LISTS:              (N,        N,     N,     N,      Y,     Y,    Y),
    K_LIST_USER:          (N,        N,     N,     N,      Y,     N,    Y),
    K_EDIT:               (N,        N,     N,     N,      Y,     N,    Y),
    K_PASSWORD:           (N,        Y,     Y,     Y,      Y,     Y,    Y),
    K_RESET:              (Y,        Y,     Y,     Y,      Y,     Y,    Y),
    NO_PAGE:              (N,        N,     N,     N,      N,     N,    N),
}
# fmt: on

# Texts that only some roles may see, put into the setup by the world fixture.
HIDDEN_PLAN = "Handlingsplan 2030 (inte publicerad)"
CONTACT = "kim.kontakt@example.invalid"
PENDING_EVENT = "Evenemang som väntar på granskning"
OFFER_BY = "Snickeriet som vill ta emot praktikanter"
OFFER_EMAIL = "snickare@example.invalid"
PROPOSAL = "Läxhjälp i föreningens lokal"
YEAR = 2025


@dataclass
class Probe:
    """One URL to read: which row of the table it belongs to, whose object it shows (the
    municipality the roles are taken from) and, for rows about a content, the text that shows
    the role got it."""

    kind: str
    name: str
    municipality: str
    kwargs: dict = field(default_factory=dict)
    query: str = ""
    shows: str | None = None

    @property
    def url(self):
        return reverse(self.name, kwargs=self.kwargs) + self.query


# The role table in docs/roles.md ---------------------------------------------------------------


def doc_table():
    """{page kind: (URL names, allowed per role)} from the table in docs/roles.md."""
    lines = [line.strip() for line in ROLES_DOC.read_text(encoding="utf-8").splitlines()]
    start = next(i for i, line in enumerate(lines) if line.startswith("| page |"))
    heading = [cell.strip() for cell in lines[start].strip("|").split("|")]
    assert tuple(heading[2:]) == ROLE_HEADINGS, heading
    rows = {}
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        assert len(cells) == len(heading), line
        assert set(cells[2:]) <= {"allowed", "not allowed"}, line
        assert cells[0] not in rows, f"row twice: {cells[0]}"
        names = frozenset(re.findall(r"`([^`]+)`", cells[1]))
        rows[cells[0]] = (names, tuple(cell == "allowed" for cell in cells[2:]))
    return rows


def test_role_table_matches_docs():
    """READS here and the table in docs/roles.md say the same, row by row."""
    table = {kind: allowed for kind, (_names, allowed) in doc_table().items()}
    assert table == READS


# The setup ---------------------------------------------------------------------------------------


@pytest.fixture
def world(demo_content, make_user):
    """The demo in both municipalities plus what it lacks: objects for every URL pattern."""
    from django.contrib.auth.models import User
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from lagesbild.accounts.models import Department
    from lagesbild.agreements.models import Agreement, AgreementDocument
    from lagesbild.meetings.models import Invitation, Meeting, WorkingGroup
    from lagesbild.offers.models import Offer
    from lagesbild.plan import rounds
    from lagesbild.plan.models import Activity, PartnerContribution, Plan, Proposal
    from lagesbild.policy.models import Policy
    from lagesbild.public.models import (
        Event,
        InternshipPlace,
        MeetingPlace,
        Moderation,
        Partner,
        PublicSite,
    )
    from lagesbild.reports.models import Experience
    from lagesbild.reports.publishing import publish
    from lagesbild.stats.models import FetchRun, LocalIndicator

    policies = {p.municipality: p for p in Policy.objects.filter(municipality__in=["1082", "1494"])}
    assert set(policies) == {"1082", "1494"}
    own = Department.objects.get(municipality="1082", name="Utbildningsförvaltningen")
    other = Department.objects.get(municipality="1082", name="Socialförvaltningen")

    # The demo plan (published, with an open round) and a plan not published, with a closed one.
    plan = Plan.objects.get(policy=policies["1082"])
    assert plan.published
    own_activity = plan.activities.filter(department=own).order_by("ref").first()
    own_activity.contact_name, own_activity.contact_email = "Kim Kontakt", CONTACT
    own_activity.save()
    open_round = rounds.open_round_of(plan)
    hidden = Plan.objects.create(
        policy=policies["1082"],
        title=HIDDEN_PLAN,
        start_year=2030,
        end_year=2033,
        lagesbild_year=2029,
        published=False,
    )
    Activity.objects.create(
        plan=hidden, ref="X1", title="Insats i en opublicerad plan", department=own
    )
    closed_round = rounds.open_round(
        hidden, "Uppföljning 2030", 2030, datetime.date(2030, 3, 1), None
    )
    rounds.close_round(closed_round, None)
    partner_user = User.objects.get(username="partner")
    partner_part, _ = PartnerContribution.objects.get_or_create(
        round=open_round, partner=partner_user
    )
    proposal = Proposal.objects.create(
        plan=plan, title=PROPOSAL, description="Ett förslag i testet.", proposed_by=partner_user
    )

    # Published Lägesbilder of both, fetch runs of both, a local indicator of Karlshamn.
    published = {m: publish(p, YEAR) for m, p in policies.items()}
    runs = {
        m: FetchRun.objects.create(kommun=m, status="ok", finished_at=timezone.now())
        for m in policies
    }
    local = LocalIndicator.objects.create(
        kommun="1082",
        slug="foreningsaktiva-test",
        title_sv="Föreningsaktiva (test)",
        unit="procent",
        better="higher",
        groups=["utrikes_fodda", "inrikes_fodda"],
        source_text="Kultur- och fritidsförvaltningen",
        source_name="foreningar",
    )

    # Public content: the demo's published items and two proposals waiting for moderation.
    start = timezone.now() + datetime.timedelta(days=3)
    pending_event = Event.objects.create(
        title_sv=PENDING_EVENT,
        start=start,
        end=start + datetime.timedelta(hours=2),
        municipality="1082",
        proposer_email="forslag@example.invalid",
        status=Moderation.PENDING,
    )
    pending_internship = InternshipPlace.objects.create(
        title_sv="Praktikplats som väntar på granskning",
        field_sv="Vård",
        period_start=datetime.date(2030, 1, 1),
        period_end=datetime.date(2030, 2, 1),
        contact="x@example.invalid",
        municipality="1082",
        status=Moderation.PENDING,
    )

    # The demo's Integrationsgruppen, and a meeting only the coordinator is invited to.
    group = WorkingGroup.objects.get(municipality="1082")
    approved_meeting = group.meetings.filter(status=Meeting.Status.APPROVED).first()
    draft_meeting = Meeting.objects.create(
        group=group,
        title="Möte som inte är justerat",
        start=timezone.now() + timezone.timedelta(days=7),
        end=timezone.now() + timezone.timedelta(days=7, hours=2),
    )
    Invitation.objects.create(meeting=draft_meeting, user=User.objects.get(username="samordnare"))
    agreement = Agreement.objects.filter(municipality="1082").first()
    agreement_document = AgreementDocument.objects.create(
        agreement=agreement,
        file=ContentFile(b"%PDF-1.4 avtal", name="avtal.pdf"),
        original_name="avtal.pdf",
    )

    # An offer to take part, in Karlshamn's inbox.
    offer = Offer.objects.create(
        municipality="1082",
        kind="praktik",
        offered_by_type="foretag",
        organisation=OFFER_BY,
        contact_name="Sam Snickare",
        email=OFFER_EMAIL,
        description="Två platser i verkstaden.",
        trade="Snickare",
        consent_given_at=timezone.now(),
        consent_text="Samtycke",
        retention_days=180,
    )

    # A logo for Karlshamn's site (the demo has none): the smallest PNG.
    PublicSite.objects.filter(municipality="1082").update(
        logo=bytes.fromhex(
            "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
            "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
        ),
        logo_content_type="image/png",
    )

    users = {
        "1082": {
            Role.READER: User.objects.get(username="lasare"),
            Role.DEPARTMENT: User.objects.get(username="forvaltning"),  # Utbildningsförvaltningen
            Role.PARTNER: partner_user,
            Role.COORDINATOR: User.objects.get(username="samordnare"),
        },
        "1494": {
            Role.READER: make_user(Role.READER, municipality="1494"),
            Role.DEPARTMENT: make_user(
                Role.DEPARTMENT, municipality="1494", department="Sektor bildning"
            ),
            Role.PARTNER: make_user(Role.PARTNER, municipality="1494"),
            Role.COORDINATOR: User.objects.get(username="lidkoping"),
        },
    }
    assert users["1082"][Role.DEPARTMENT].profile.department == own
    admin = User.objects.get(username="admin")
    assert admin.is_superuser
    clients = {}
    for municipality, other_municipality in (("1082", "1494"), ("1494", "1082")):
        roles = {
            **users[municipality],
            "other-coordinator": users[other_municipality][Role.COORDINATOR],
            "admin": admin,
            **{name: users[other_municipality][role] for name, role in OTHER_STAFF.items()},
        }
        clients[municipality] = {"anonymous": _client(None)}
        clients[municipality].update({role: _client(user) for role, user in roles.items()})

    return SimpleNamespace(
        clients=clients,
        users=users,
        policies=policies,
        plan=plan,
        hidden=hidden,
        own_activity=own_activity,
        other_activity=plan.activities.filter(department=other).order_by("ref").first(),
        open_round=open_round,
        closed_round=closed_round,
        own_report=open_round.reports.get(department=own),
        other_report=open_round.reports.get(department=other),
        own_experience=Experience.objects.filter(policy=policies["1082"], department=own)[0],
        other_experience=Experience.objects.filter(policy=policies["1082"], department=other)[0],
        proposal=proposal,
        partner_part=partner_part,
        published=published,
        runs=runs,
        local=local,
        pending_event=pending_event,
        pending_internship=pending_internship,
        event=Event.objects.filter(municipality="1082", status=Moderation.PUBLISHED).first(),
        internship=InternshipPlace.objects.filter(
            municipality="1082", status=Moderation.PUBLISHED
        ).first(),
        place=MeetingPlace.objects.filter(municipality="1082").first(),
        organiser=Partner.objects.filter(municipality="1082").first(),
        offer=offer,
        group=group,
        approved_meeting=approved_meeting,
        draft_meeting=draft_meeting,
        agenda_item=approved_meeting.agenda.first(),
        action_point=approved_meeting.action_points.first(),
        agreement=agreement,
        agreement_document=agreement_document,
    )


def _client(user):
    client = Client(raise_request_exception=False)
    client.user = user
    return client


def probes(w):
    """Every URL the walk reads, with the row of the table it belongs to."""
    out = []

    def add(row, name, /, municipality="1082", query="", shows=None, **kwargs):
        out.append(Probe(row, name, municipality, kwargs, query, shows))

    k = "1082"
    plan, hidden = w.plan.pk, w.hidden.pk
    add(HOME, "core:home")
    add(LOGIN, "accounts:login")
    add(POLICY, "policy:list")
    for m, policy in w.policies.items():
        add(POLICY, "policy:detail", m, slug=policy.slug)
        add(POLICY, "policy:version", m, slug=policy.slug, number=policy.current.number)
        add(POLICY_FILES, "policy:compare", m, slug=policy.slug)
        add(POLICY_FILES, "policy:export", m, slug=policy.slug, number=policy.current.number)
        add(POLICY_EDITOR, "policy:revise", m, slug=policy.slug)
        add(POLICY_EDITOR, "policy:agenda2030", m, slug=policy.slug)
        from lagesbild.policy.models import PolicyDraft

        draft = PolicyDraft.objects.create(municipality=m, policy=policy, data=policy.current.data)
        for name in ("edit", "areas", "adopt", "import", "draft_delete"):
            add(POLICY_EDITOR, f"policy:{name}", m, pk=draft.pk)
        add(POLICY_EDITOR, "policy:area_edit", m, pk=draft.pk, index=0)
    add(POLICY_START, "policy:start")

    # Lägesbild, in both municipalities.
    add(L_INDEX, "reports:index")
    for m, policy in w.policies.items():
        at = {"slug": policy.slug, "year": YEAR}
        number = w.published[m].number
        add(L_PUBLISHED, "reports:published", m, **at, number=number)
        add(L_FUTURE, "reports:published", m, **at, number=number + 1)
        for fmt in ("html", "pdf", "docx"):
            add(L_PUBLISHED, "reports:published_download", m, **at, number=number, fmt=fmt)
            add(L_FUTURE, "reports:published_download", m, **at, number=number + 1, fmt=fmt)
            add(L_DRAFT, "reports:draft_download", m, **at, fmt=fmt)
        add(L_DRAFT, "reports:draft", m, **at)
        add(L_PUBLISH, "reports:publish", m, **at)
        area = {"1082": "arbete", "1494": "boende"}[m]
        add(L_ANALYSIS, "reports:analysis", m, **at, area=area)
        add(L_EXPERIENCE_NEW, "reports:experience_new", m, **at, area=area)
    add(L_EXPERIENCE_OWN, "reports:experience_edit", pk=w.own_experience.pk)
    add(L_EXPERIENCE_OTHER, "reports:experience_edit", pk=w.other_experience.pk)

    # Handlingsplan and uppföljning, in Karlshamn.
    add(P_LIST, "plan:list")
    add(P_LIST_HIDDEN, "plan:list", shows=HIDDEN_PLAN)
    add(P_PUBLIC, "plan:public", pk=plan)
    add(P_CONTACTS_PUBLIC, "plan:public", pk=plan, shows=CONTACT)
    add(P_PUBLIC_HIDDEN, "plan:public", pk=hidden)
    for pk in (plan, hidden):
        add(P_DETAIL, "plan:detail", pk=pk)
        add(P_EXPORT, "plan:export_csv", pk=pk)
        add(P_EXPORT, "plan:export_xlsx", pk=pk)
    add(P_ACTIVITY, "plan:activity", pk=w.own_activity.pk)
    add(P_ACTIVITY, "plan:activity", pk=w.other_activity.pk)
    add(P_CONTACTS, "plan:activity", pk=w.own_activity.pk, shows=CONTACT)
    add(P_CONTACTS, "plan:export_csv", pk=plan, shows=CONTACT)
    add(P_CONTACTS, "api:activities", plan_id=plan, shows=CONTACT)
    add(P_FORMS, "plan:create", slug=w.policies[k].slug)
    add(P_FORMS, "plan:edit", pk=plan)
    add(P_FORMS, "plan:activity_create", pk=plan)
    add(P_FORMS, "plan:import", pk=plan)
    add(P_FORMS, "plan:round_open", pk=hidden)  # the demo plan's open round redirects there
    add(P_EDIT_OWN, "plan:activity_edit", pk=w.own_activity.pk)
    add(P_EDIT_OTHER, "plan:activity_edit", pk=w.other_activity.pk)
    add(P_PROPOSE, "plan:propose", pk=plan)
    add(P_OWN_PROPOSALS, "plan:propose", pk=plan, shows=PROPOSAL)
    add(F_ROUND, "plan:round", pk=w.open_round.pk)
    add(F_ROUND, "plan:round", pk=w.closed_round.pk)
    add(F_PARTNER_PART, "plan:partner_part", pk=w.partner_part.pk)
    add(F_REPORT_OWN, "plan:report", pk=w.own_report.pk)
    add(F_REPORT_OTHER, "plan:report", pk=w.other_report.pk)
    for name in ("plan:doc_html", "plan:doc_pdf", "plan:doc_docx"):
        add(F_DOCUMENT, name, pk=w.closed_round.pk)
        add(F_DOCUMENT_OPEN, name, pk=w.open_round.pk)

    # Statistics, in both municipalities (the pages without a path name it with ?kommun=).
    for m in w.policies:
        kommun = f"?kommun={m}"
        add(S_INDEX, "stats:index", m, kommun)
        add(S_RUN, "stats:run", m, pk=w.runs[m].pk)
        add(S_RUN, "stats:run_status", m, pk=w.runs[m].pk)
        add(S_UPLOAD, "stats:upload", m, kommun)
        add(S_LOCAL, "stats:local_indicators", m, kommun)
        add(S_LOCAL, "stats:local_indicator_new", m, kommun)
        add(S_EXAMPLE, "stats:example_remove", m, kommun)
    add(S_LOCAL, "stats:local_indicator_edit", pk=w.local.pk)

    # Public pages and moderation.
    from lagesbild.civic.models import CivicPage

    site = {"kommun": "karlshamn"}
    for name in ("calendar", "feed", "places", "internships", "partners", "guide", "sitemap"):
        add(A_PUBLIC, f"public:{name}", **site)
    add(A_PUBLIC, "public:theme", kommun="lidkoping")  # the demo gives both an accent colour
    add(A_PUBLIC, "public:sitemap_index")
    add(A_PUBLIC, "public:logo", **site)
    add(A_ONWARD, "public:start", **site)
    add(A_ONWARD, "public:old_address_root")
    add(A_ONWARD, "public:old_address", rest="motesplatser/")
    add(A_PUBLIC, "public:event", pk=w.event.pk, **site)
    add(A_PUBLIC, "public:internship", pk=w.internship.pk, **site)
    add(A_PUBLIC, "public:place", slug=w.place.slug, **site)
    add(A_PUBLIC, "public:organiser_feed", slug=w.organiser.slug, **site)
    for name in ("propose_event", "propose_internship", "thanks"):
        add(A_PROPOSE, f"public:{name}", **site)
    add(A_PENDING, "public:event", pk=w.pending_event.pk, **site)
    add(A_PENDING, "public:internship", pk=w.pending_internship.pk, **site)
    add(A_QUEUE, "public:moderation")
    add(A_QUEUE_ITEM, "public:moderation", shows=PENDING_EVENT)
    civic = CivicPage.objects.filter(municipality="1082", is_published=True).first()
    add(C_PUBLIC, "civic:index", **site)
    add(C_PUBLIC, "civic:page", slug=civic.slug, **site)
    add(C_PUBLIC, "civic:print", slug=civic.slug, **site)
    add(C_PUBLIC, "civic:search", query="?q=svenska", **site)
    add(O_FORM, "offers:form", **site)
    add(O_FORM, "offers:thanks", **site)
    add(O_INBOX, "offers:inbox")
    add(O_INBOX_ITEM, "offers:inbox", shows=OFFER_BY)
    add(O_OFFER, "offers:detail", pk=w.offer.pk, shows=OFFER_EMAIL)

    # Integrationsgruppen's meetings (the demo's, plus a meeting not yet approved).
    add(MT_LIST, "meetings:list")
    add(MT_NEW, "meetings:group_create")
    add(MT_GROUP, "meetings:group", pk=w.group.pk)
    for name in ("meeting", "minutes_pdf", "minutes_docx"):
        add(MT_GROUP, f"meetings:{name}", pk=w.approved_meeting.pk)
    add(MT_DRAFT, "meetings:meeting", pk=w.draft_meeting.pk)
    add(MT_DRAFT, "meetings:minutes_pdf", pk=w.draft_meeting.pk)
    add(MT_FORMS, "meetings:group_edit", pk=w.group.pk)
    add(MT_FORMS, "meetings:meeting_create", pk=w.group.pk)
    add(MT_FORMS, "meetings:meeting_edit", pk=w.approved_meeting.pk)
    add(MT_FORMS, "meetings:agenda_edit", pk=w.agenda_item.pk)
    add(MT_FORMS, "meetings:point_edit", pk=w.action_point.pk)

    # Collaboration agreements.
    add(AG_LIST, "agreements:list")
    add(AG_NEW, "agreements:create")
    add(AG_DETAIL, "agreements:detail", pk=w.agreement.pk)
    add(AG_DETAIL, "agreements:document", pk=w.agreement_document.pk)
    add(AG_EDIT, "agreements:edit", pk=w.agreement.pk)

    # The JSON API.
    add(API_PUBLIC, "api:policies")
    add(API_PUBLIC, "api:openapi-json")
    # One indicator is enough to see who gets an answer (all of them take a second each).
    one = "?indicator=sysselsattning-20-64"
    add(API_PUBLIC, "api:statistics", query=one, kommun=k)
    add(API_PUBLIC, "api:gaps", query=one, kommun=k)
    add(API_PUBLISHED_PLAN, "api:activities", plan_id=plan)
    add(API_HIDDEN_PLAN, "api:activities", plan_id=hidden)

    # Accounts (the demo's läsare of Karlshamn is the user shown and changed).
    lasare = w.users["1082"][Role.READER]
    for name in ("accounts:users", "accounts:invite", "accounts:departments"):
        add(K_LISTS, name)
    add(K_LIST_USER, "accounts:users", shows=lasare.email)
    add(K_EDIT, "accounts:user_edit", pk=lasare.pk)
    add(K_EDIT, "accounts:department_edit", pk=w.own_experience.department_id)
    add(K_PASSWORD, "accounts:password_change")
    add(K_PASSWORD, "accounts:password_change_done")
    for name in ("password_reset", "password_reset_done", "password_reset_complete"):
        add(K_RESET, f"accounts:{name}")
    for name in ("accounts:password_reset_confirm", "accounts:activate"):
        add(K_RESET, name, uidb64="MQ", token="ogiltig-lank")
    add(NO_PAGE, "accounts:user_resend", pk=lasare.pk)

    # URLs that answer GET with no page: a redirect, 404 or 405 for everyone.
    for name in (
        "accounts:logout",
        "set_language",
        "oidc_authentication_init",
        "oidc_authentication_callback",
        "oidc_logout",
        "api:api-root",
        "stats:refresh",
        "stats:upload_confirm",
        "stats:example_load",
    ):
        add(NO_PAGE, name)
    add(NO_PAGE, "api:change_activity", activity_id=w.own_activity.pk)
    for name in ("plan:activity_delete", "plan:timeline_add"):
        add(NO_PAGE, name, pk=w.own_activity.pk)
    add(NO_PAGE, "plan:proposal_review", pk=w.proposal.pk)
    for name in ("plan:round_close", "plan:round_assessment", "plan:partner_ask"):
        add(NO_PAGE, name, pk=w.open_round.pk)
    add(NO_PAGE, "public:moderate", kind="evenemang", pk=w.pending_event.pk)
    add(NO_PAGE, "offers:answer", pk=w.offer.pk)
    add(NO_PAGE, "offers:reject", pk=w.offer.pk)
    add(NO_PAGE, "offers:accept", pk=w.offer.pk, as_what="praktikplats")
    for name in ("invite", "attendance", "minutes", "approve", "agenda_add", "point_add"):
        add(NO_PAGE, f"meetings:{name}", pk=w.approved_meeting.pk)
    add(NO_PAGE, "meetings:point_done", pk=w.action_point.pk)
    add(NO_PAGE, "agreements:upload", pk=w.agreement.pk)
    return out


def read(client, url):
    if client.user is not None:  # a request before may have ended the session
        client.force_login(client.user)
    return client.get(url)


@pytest.mark.slow
def test_every_page_is_read_only_by_the_roles_the_role_table_allows(world):
    walked = {name for name, _ in walk() if name.split(":")[0] not in SKIP_NAMESPACES}
    all_probes = probes(world)
    # A pattern the walk does not know how to fill would slip past: it fails here instead.
    assert walked - {p.name for p in all_probes} == set(), "URL patterns without a probe"
    assert {p.kind for p in all_probes} == set(READS), "table rows without a probe"
    # The table in docs/roles.md names the URL patterns of each row; they are these.
    documented = {kind: names for kind, (names, _allowed) in doc_table().items()}
    probed = {kind: frozenset(p.name for p in all_probes if p.kind == kind) for kind in READS}
    assert documented == probed

    problems = []
    checked = 0
    for probe in all_probes:
        url, allowed = probe.url, dict(zip(ROLES, READS[probe.kind], strict=True))
        if not allowed["other-coordinator"]:
            allowed.update(dict.fromkeys(OTHER_STAFF, False))
        for role, may in allowed.items():
            response = read(world.clients[probe.municipality][role], url)
            checked += 1
            got = response.status_code == 200 and (
                probe.shows is None or probe.shows in response.content.decode(errors="replace")
            )
            what = f" showing {probe.shows!r}" if probe.shows else ""
            if response.status_code >= 500:
                problems.append(f"GET {url} as {role}: {response.status_code}")
            elif got and not may:
                problems.append(f"GET {url} as {role}: 200{what}, not allowed ({probe.kind})")
            elif may and not got:
                problems.append(
                    f"GET {url} as {role}: {response.status_code}, allowed{what} ({probe.kind})"
                )
    assert checked > len(walked) * len(ROLES)
    assert problems == [], "\n".join(problems)
