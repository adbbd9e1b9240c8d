"""Who may see and change what: every named route, for every role, with records of two districts.

Adding a URL route without a row here fails ``test_every_route_is_in_the_matrix``.
"""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from PIL import Image

from conftest import client_for
from sigap.people.models import Person
from sigap.trainings.models import Enrolment, Training

USERS = ["anonymous", "tala_officer", "hsu_officer", "province_officer", "partner_user", "outsider",
         "instructor", "health_expert", "agency_user", "admin"]


def row(anonymous, tala, hsu, province, partner, outsider, instructor, health, agency, admin):
    return dict(zip(USERS, [anonymous, tala, hsu, province, partner, outsider, instructor, health, agency, admin]))


EVERYONE_SIGNED_IN = row(302, 200, 200, 200, 200, 200, 200, 200, 200, 200)
REGIONAL = row(302, 200, 200, 200, 403, 200, 200, 200, 403, 200)
OFFICERS = row(302, 200, 200, 200, 403, 200, 403, 403, 403, 200)
TALA_READERS = row(302, 200, 404, 200, 404, 404, 404, 200, 404, 200)  # Tala office, province, admin
TALA_WRITERS = row(302, 200, 404, 200, 404, 404, 404, 404, 404, 200)
READERS = row(302, 200, 200, 200, 200, 200, 200, 200, 403, 200)  # office staff and partner users
TALA_AND_ITS_PARTNER = row(302, 200, 404, 200, 200, 404, 404, 200, 404, 200)
REPORTERS = row(302, 200, 200, 200, 200, 200, 200, 403, 403, 200)
HANDOVER_READERS = row(302, 200, 200, 200, 403, 200, 200, 200, 200, 200)  # office staff and agency users
TALA_AND_ITS_RECEIVER = row(302, 200, 404, 200, 404, 404, 404, 200, 200, 200)
POST_ONLY = row(302, *[405] * 9)
PUBLIC = row(*[200] * 10)
SELLERS = row(302, 200, 200, 200, 200, 200, 403, 403, 403, 200)  # officers and partner users
TALA_PARTNER_KEEPERS = row(302, 200, 404, 200, 200, 404, 404, 403, 403, 200)
TALA_RUNNERS = row(302, 200, 404, 200, 404, 404, 404, 403, 404, 200)  # officers and instructors of Tala
# Items, bills of materials and checklists are shared by every district: provincial officers and administrators.
MASTER_DATA_KEEPERS = row(302, 403, 403, 200, 403, 403, 403, 403, 403, 200)

ADMINS = row(302, *[403] * 8, 200)
# The Tala task force's entry in the registry: officers of Tala and the province change it; other roles may not.
TALA_AGENCY_KEEPERS = row(302, 200, 404, 200, 403, 404, 403, 403, 403, 200)


def _tala_token(w):
    """An API token of the Tala officer (the administrators' token pages act on anyone's)."""
    from sigap.api.services import token_issue

    return token_issue(username="tala_officer", password="sandi-rahasia-1", address="10.0.0.1")[1]


def _link(w, kind):
    """A right one-time link: an invitation to a new Tala partner user, or a reset link for the partner user (GET
    moves the token into the session and on to the set-password step, for anyone who has the link)."""
    from sigap.accounts.services import invitation_link, reset_link, user_invite

    if kind == "invitation":
        invited = user_invite(by=w.tala_officer, username="mitra_undangan", role="partner", partner=w.tala_partner)
        made = invitation_link(user=invited, by=w.tala_officer, base_url="http://testserver/")
    else:
        made = reset_link(user=_tala_login(w), by=w.tala_officer, base_url="http://testserver/")
    uidb64, token = made.url.rstrip("/").split("/")[-2:]
    return {"uidb64": uidb64, "token": token}


def _tala_login(w):
    """A second login of the Tala partner, with a password, that no caller of the matrix signs in as (signing in
    changes a login's links; deactivating one of the callers would change their answers)."""
    from sigap.accounts.models import User

    login = User.objects.filter(username="mitra_kedua").first()
    if login is None:
        login = User.objects.create_user(username="mitra_kedua", password="sandi-rahasia-1", role="partner",
                                         partner=w.tala_partner)
    return login


# Logins: the officers of an office manage a Tala partner's login (Tala's and the province's); other roles get 403.
TALA_LOGIN_KEEPERS = row(302, 200, 404, 200, 403, 404, 403, 403, 403, 200)


# route name -> (kwargs builder, expected status of a GET per user)
MATRIX = {
    "home": (None, PUBLIC),  # a visitor gets the public catalogue and the open data, with the way to sign in
    "healthz": (None, row(*[200] * 10)),
    "login": (None, row(200, *[302] * 9)),
    "logout": (None, row(*[405] * 10)),  # signing out is a POST
    "password_change": (None, EVERYONE_SIGNED_IN),
    "password_change_done": (None, EVERYONE_SIGNED_IN),
    # A forgotten password: open to everyone; a link that is not right gets the page saying so, with a way to ask again.
    "password_reset": (None, PUBLIC),
    "password_reset_done": (None, PUBLIC),
    "password_reset_confirm": (lambda w: {"uidb64": "MQ", "token": "cz4ri3-0123456789abcdef"}, PUBLIC),
    "password_reset_complete": (None, PUBLIC),
    "profile": (None, EVERYONE_SIGNED_IN),
    # Two-factor sign-in: the code step (without a password given first, back to the login page; signed in, on),
    # the user's own pages, and an administrator's reset of anyone's.
    "twofactor:code": (None, row(*[302] * 10)),
    "twofactor:overview": (None, EVERYONE_SIGNED_IN),
    "twofactor:setup": (None, EVERYONE_SIGNED_IN),
    "twofactor:codes": (None, row(*[302] * 10)),  # no new codes to show: back to the overview
    "twofactor:codes-renew": (None, POST_ONLY),
    "twofactor:off": (None, row(*[302] * 10)),  # two-factor is off: back to the overview
    "twofactor:reset": (lambda w: {"pk": w.tala_officer.pk}, ADMINS),  # GET asks to confirm
    "tokens:list": (None, ADMINS),
    "tokens:revoke": (lambda w: {"pk": _tala_token(w).pk}, ADMINS),  # GET asks to confirm
    "set_language": (None, row(*[302] * 10)),  # a GET just goes back
    "regions:villages": (None, EVERYONE_SIGNED_IN),
    "regions:options": (None, row(302, *[404] * 9)),  # without a region chosen there is no level below
    "dashboards:show": (None, REGIONAL),
    "opendata:index": (None, PUBLIC),
    "opendata:monthly-csv": (None, PUBLIC),
    "opendata:monthly-json": (None, PUBLIC),
    "opendata:handovers-csv": (None, PUBLIC),
    "dashboards:briefing": (None, REGIONAL),
    "dashboards:briefing-pdf": (None, REGIONAL),
    "organisations:list": (None, REGIONAL),
    "organisations:create": (None, OFFICERS),
    "organisations:detail": (lambda w: {"pk": w.tala_office.pk}, TALA_READERS),
    "organisations:edit": (lambda w: {"pk": w.gtpp_tala.pk}, TALA_AGENCY_KEEPERS),
    "organisations:history": (lambda w: {"pk": w.tala_office.pk}, TALA_READERS),
    "partners:list": (None, row(302, 200, 200, 200, 200, 200, 200, 200, 403, 200)),
    "partners:growth": (None, row(302, 200, 200, 200, 200, 200, 200, 200, 403, 200)),
    "partners:create": (None, OFFICERS),
    "partners:export": (None, row(302, 200, 200, 200, 200, 200, 200, 200, 403, 200)),
    "people:export": (None, REGIONAL),
    "partners:import": (None, OFFICERS),
    "partners:import-template": (None, OFFICERS),
    "people:import": (None, OFFICERS),
    "people:import-template": (None, OFFICERS),
    "production:import": (None, OFFICERS),
    "production:import-template": (None, OFFICERS),
    "partners:detail": (lambda w: {"pk": w.tala_partner.pk}, row(302, 200, 404, 200, 200, 404, 404, 200, 404, 200)),
    "partners:edit": (lambda w: {"pk": w.tala_partner.pk}, TALA_WRITERS),
    "partners:history": (lambda w: {"pk": w.tala_partner.pk}, row(302, 200, 404, 200, 200, 404, 404, 200, 404, 200)),
    "people:list": (None, REGIONAL),
    "people:create": (None, OFFICERS),
    "people:detail": (lambda w: {"pk": w.tala_person.pk}, TALA_READERS),
    "people:edit": (lambda w: {"pk": w.tala_person.pk}, TALA_WRITERS),
    "people:history": (lambda w: {"pk": w.tala_person.pk}, TALA_READERS),
    "items:list": (None, REGIONAL),
    "items:create": (None, MASTER_DATA_KEEPERS),
    "items:detail": (lambda w: {"pk": w.suit.pk}, REGIONAL),
    "items:edit": (lambda w: {"pk": w.suit.pk}, MASTER_DATA_KEEPERS),
    "items:bom": (lambda w: {"pk": w.suit.pk}, MASTER_DATA_KEEPERS),
    "stock:balances": (None, READERS),
    "stock:movements": (None, READERS),
    "stock:balance-export": (None, READERS),
    "stock:movement-export": (None, READERS),
    "stock:document-list": (None, READERS),
    "stock:document-detail": (lambda w: {"pk": w.tala_receipt.pk}, TALA_READERS),
    "stock:document-void": (lambda w: {"pk": w.tala_receipt.pk}, row(302, *[405] * 9)),
    "stock:receipt-create": (None, OFFICERS),
    "stock:issue-create": (None, OFFICERS),
    "stock:transfer-create": (None, OFFICERS),
    "stock:adjustment-create": (None, OFFICERS),
    "stock:yield": (None, REGIONAL),
    "production:list": (None, READERS),
    "production:export": (None, READERS),
    "production:create": (None, REPORTERS),
    "production:detail": (lambda w: {"pk": w.tala_batch.pk}, TALA_AND_ITS_PARTNER),
    "quality:worklist": (None, REGIONAL),
    "quality:export": (None, REGIONAL),
    "quality:inspect": (lambda w: {"batch_pk": w.tala_batch.pk}, row(302, 403, 404, 403, 403, 404, 404, 200, 404, 403)),
    "quality:detail": (lambda w: {"pk": w.tala_inspection.pk}, TALA_AND_ITS_PARTNER),
    "quality:photo": (lambda w: {"pk": w.tala_inspection.pk}, TALA_AND_ITS_PARTNER),
    "quality:criteria": (lambda w: {"item_pk": w.suit.pk}, MASTER_DATA_KEEPERS),
    "trainings:list": (None, REGIONAL),
    "trainings:export": (None, REGIONAL),
    "trainings:participant-export": (None, REGIONAL),
    "trainings:create": (None, OFFICERS),
    "trainings:programme-list": (None, REGIONAL),
    "trainings:programme-create": (None, OFFICERS),
    "trainings:detail": (lambda w: {"pk": w.tala_training.pk}, TALA_READERS),
    "trainings:edit": (lambda w: {"pk": w.tala_training.pk}, TALA_WRITERS),
    "trainings:enrol": (lambda w: {"pk": w.tala_training.pk}, TALA_WRITERS),
    "trainings:targets": (lambda w: {"pk": w.tala_training.pk}, TALA_WRITERS),
    "trainings:attendance": (lambda w: {"pk": w.tala_training.pk}, TALA_RUNNERS),
    "trainings:day": (lambda w: {"pk": w.tala_training.pk}, TALA_RUNNERS),
    "trainings:visit": (lambda w: {"pk": w.tala_training.pk}, TALA_RUNNERS),
    "trainings:output": (lambda w: {"pk": w.tala_training.pk}, TALA_RUNNERS),
    "trainings:material": (lambda w: {"pk": w.tala_training.pk}, TALA_RUNNERS),
    "trainings:material-file": (lambda w: {"pk": w.tala_training.pk, "material_pk": w.tala_material.pk},
                                TALA_READERS),
    "trainings:kit": (lambda w: {"pk": w.tala_training.pk, "enrolment_pk": w.tala_enrolment.pk}, TALA_WRITERS),
    "trainings:collect": (lambda w: {"pk": w.tala_training.pk}, TALA_WRITERS),
    # not enough attendance for a certificate: readers are sent back to the training with a message
    "trainings:certificate": (lambda w: {"pk": w.tala_training.pk, "enrolment_pk": w.tala_enrolment.pk},
                              row(302, 302, 404, 302, 404, 404, 404, 302, 404, 302)),
    "trainings:report": (lambda w: {"pk": w.tala_training.pk}, TALA_READERS),
    "handovers:list": (None, HANDOVER_READERS),
    "handovers:export": (None, HANDOVER_READERS),
    "handovers:create": (None, OFFICERS),
    "handovers:gather": (None, POST_ONLY),
    "handovers:detail": (lambda w: {"pk": w.tala_handover.pk}, TALA_AND_ITS_RECEIVER),
    "handovers:certificate": (lambda w: {"pk": w.tala_handover.pk}, TALA_AND_ITS_RECEIVER),
    "handovers:receipt": (lambda w: {"pk": w.tala_handover.pk}, POST_ONLY),
    "handovers:void": (lambda w: {"pk": w.tala_handover.pk}, POST_ONLY),
    "handovers:request-list": (None, HANDOVER_READERS),
    "handovers:request-export": (None, HANDOVER_READERS),
    "handovers:request-create": (None, row(302, 200, 200, 200, 403, 200, 403, 403, 200, 200)),
    "handovers:request-detail": (lambda w: {"pk": w.tala_request.pk}, TALA_AND_ITS_RECEIVER),
    "handovers:allocate": (lambda w: {"pk": w.tala_request.pk, "product_pk": w.suit.pk}, POST_ONLY),
    "handovers:orders": (None, READERS),
    "verify": (lambda w: {"code": w.tala_handover.verification_code}, PUBLIC),
    "media": (lambda w: {"path": "listings/none.jpg"}, row(*[404] * 10)),  # public folder, missing file
    "market:catalogue": (None, PUBLIC),
    "market:listing": (lambda w: {"pk": w.tala_listing.pk}, PUBLIC),
    "market:my-listings": (None, READERS),
    "market:listing-create": (None, SELLERS),
    "market:listing-edit": (lambda w: {"pk": w.tala_listing.pk}, TALA_PARTNER_KEEPERS),
    "market:listing-take-down": (lambda w: {"pk": w.tala_listing.pk}, POST_ONLY),
    "market:inquiries": (None, SELLERS),  # buyers' personal data
    "market:inquiry-answered": (lambda w: {"pk": w.tala_inquiry.pk}, POST_ONLY),
    "market:sales": (None, READERS),
    "market:sale-export": (None, READERS),
    "market:sale-create": (None, SELLERS),
    "users:list": (None, OFFICERS),
    "users:create": (None, OFFICERS),
    "users:detail": (lambda w: {"pk": _tala_login(w).pk}, TALA_LOGIN_KEEPERS),
    "users:edit": (lambda w: {"pk": _tala_login(w).pk}, TALA_LOGIN_KEEPERS),
    "users:history": (lambda w: {"pk": _tala_login(w).pk}, TALA_LOGIN_KEEPERS),
    "users:deactivate": (lambda w: {"pk": _tala_login(w).pk}, POST_ONLY),
    "users:reactivate": (lambda w: {"pk": _tala_login(w).pk}, POST_ONLY),
    "users:invitation": (lambda w: {"pk": _tala_login(w).pk}, POST_ONLY),
    "users:reset-link": (lambda w: {"pk": _tala_login(w).pk}, POST_ONLY),
    "invitation": (lambda w: _link(w, "invitation"), row(*[302] * 10)),
    "reset-link": (lambda w: _link(w, "reset"), row(*[302] * 10)),
}

# Routes that change data, with what an empty POST must answer: 200 re-shows the form with errors.
WRITES = {
    "password_reset": row(*[200] * 10),  # an empty form is refused on the page; nothing is mailed
    "tokens:revoke": row(302, *[403] * 8, 302),  # the administrator revokes, then back to the list
    "twofactor:reset": row(302, *[403] * 8, 302),
    "twofactor:codes-renew": row(302, *[302] * 9),  # two-factor is off: refused, back to the overview
    "twofactor:code": row(*[302] * 10),
    "organisations:create": OFFICERS,
    "organisations:edit": TALA_AGENCY_KEEPERS,
    "partners:create": OFFICERS,
    "partners:edit": TALA_WRITERS,
    "people:create": OFFICERS,
    "people:edit": TALA_WRITERS,
    "items:create": MASTER_DATA_KEEPERS,
    "items:edit": MASTER_DATA_KEEPERS,
    "items:bom": MASTER_DATA_KEEPERS,
    "stock:receipt-create": OFFICERS,
    "stock:issue-create": OFFICERS,
    "stock:transfer-create": OFFICERS,
    "stock:adjustment-create": OFFICERS,
    "stock:document-void": row(302, 302, 404, 302, 404, 404, 404, 403, 404, 302),  # an empty reason is refused
    "production:create": REPORTERS,
    "partners:import": OFFICERS,  # an empty upload is refused with the form
    "people:import": OFFICERS,
    "production:import": OFFICERS,
    "quality:inspect": row(302, 403, 404, 403, 403, 404, 404, 200, 404, 403),
    "quality:criteria": MASTER_DATA_KEEPERS,
    "trainings:create": OFFICERS,
    "trainings:programme-create": OFFICERS,
    "trainings:edit": TALA_WRITERS,
    "trainings:enrol": TALA_WRITERS,
    "trainings:targets": TALA_WRITERS,
    "trainings:kit": TALA_WRITERS,
    "trainings:attendance": TALA_RUNNERS,
    "trainings:day": TALA_RUNNERS,
    "trainings:visit": TALA_RUNNERS,
    "trainings:output": TALA_RUNNERS,
    "trainings:material": TALA_RUNNERS,
    "handovers:create": OFFICERS,
    "handovers:request-create": row(302, 200, 200, 200, 403, 200, 403, 403, 200, 200),
    # refused input goes back to the record with a message
    "handovers:receipt": row(302, 302, 404, 302, 404, 404, 404, 302, 302, 302),
    "handovers:void": row(302, 302, 404, 302, 404, 404, 404, 403, 403, 302),
    "handovers:allocate": row(302, 302, 404, 302, 404, 404, 404, 403, 403, 302),
    "market:listing": PUBLIC,  # an empty inquiry is refused with the form
    "market:listing-create": SELLERS,
    "market:listing-edit": TALA_PARTNER_KEEPERS,
    "market:listing-take-down": row(302, 302, 404, 302, 302, 404, 404, 302, 404, 302),
    "market:sale-create": SELLERS,
    "users:create": OFFICERS,  # an empty form is refused on the page
    "users:edit": TALA_LOGIN_KEEPERS,
    # refused or done, each goes back to the login's page with a message (the partner user has a password already,
    # so a new invitation is refused; a reset link is shown)
    "users:deactivate": row(302, 302, 404, 302, 403, 404, 403, 403, 403, 302),
    "users:reactivate": row(302, 302, 404, 302, 403, 404, 403, 403, 403, 302),
    "users:invitation": row(302, 302, 404, 302, 403, 404, 403, 403, 403, 302),
    "users:reset-link": TALA_LOGIN_KEEPERS,
}


def _route_names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _route_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_route_is_in_the_matrix():
    """Pages only: the admin is for administrators (tested below) and the API has its own matrix of operations
    (sigap/api/tests/test_api_matrix.py)."""
    routes = {name for name in _route_names(get_resolver().url_patterns) if not name.startswith(("admin:", "api:"))}
    assert routes - MATRIX.keys() == set(), "add these routes to the access matrix"
    assert MATRIX.keys() - routes == set(), "these matrix rows name routes that no longer exist"


def _photo():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, "PNG")
    return SimpleUploadedFile("foto.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def matrix_world(world):
    return matrix_world_build(world)


def matrix_world_build(world):
    """One record of each kind in Tala, for the routes that show a record (the phone and language sweeps of
    sigap/tests/test_every_page.py build it too)."""
    from sigap.production.services import production_record
    from sigap.quality.services import inspection_record
    from sigap.handovers.services import handover_create, request_create
    from sigap.market.models import Inquiry
    from sigap.market.services import listing_save
    from sigap.stock.services import receipt_record
    from sigap.trainings.services import material_add

    world.tala_person = Person.objects.create(
        name="Peserta Tala", nik="6301034502010001", sex="P", birth_date=datetime.date(2001, 2, 5),
        address="Jl. Demo", region_id="63.01.03.1004")
    day = datetime.date(2020, 6, 1)
    world.tala_receipt = receipt_record(office=world.tala_office, supplier=world.province_office, date=day,
                                        lines=[(world.fabric, 100)], by=world.tala_officer)
    world.tala_batch = production_record(producer=world.tala_partner, product=world.suit, quantity=10,
                                         produced_on=day, by=world.tala_officer)
    inspected = production_record(producer=world.tala_partner, product=world.suit, quantity=5, produced_on=day,
                                  by=world.tala_officer)
    world.tala_inspection = inspection_record(batch=inspected, by=world.health_expert, inspected_on=day,
                                              sample_size=2, accepted=5, rejected=0, results=[], photo=_photo())
    world.tala_training = Training.objects.create(
        office=world.tala_office, title="Bimtek baju hazmat", mode="offline", starts_on=day, ends_on=day,
        product=world.suit, target=10, quota=3)
    world.tala_enrolment = Enrolment.objects.create(training=world.tala_training, person=world.tala_person)
    world.tala_material = material_add(training=world.tala_training, title="Modul", by=world.tala_officer,
                                       file=SimpleUploadedFile("modul.pdf", b"%PDF-1.4 modul"))
    receipt_record(office=world.tala_office, supplier=None, date=day, lines=[(world.suit, 10)], by=world.tala_officer)
    world.tala_handover = handover_create(
        office=world.tala_office, receiver=world.gtpp_tala, giver_name="Masturi", giver_position="Kepala Dinas",
        receiver_name="Sekda", receiver_position="Sekretaris Daerah", purpose="use", handed_over_on=day,
        place="Pelaihari", lines=[(world.suit, 5, None)], by=world.tala_officer)
    world.tala_request = request_create(agency=world.gtpp_tala, office=world.tala_office,
                                        needed_by=timezone.localdate() + datetime.timedelta(days=14),
                                        lines=[(world.suit, 100)], by=world.tala_officer)
    world.tala_listing = listing_save(by=world.partner_user, partner=world.tala_partner, product=world.suit,
                                      title="Baju hazmat", price=185000, min_order=5, lead_time_days=7,
                                      whatsapp="081251230001", is_published=True)
    world.tala_inquiry = Inquiry.objects.create(listing=world.tala_listing, name="Pembeli", phone="+6281200000000",
                                                quantity=10)
    return world


def _counts():
    from sigap.items.models import Component, Item
    from sigap.organisations.models import Organisation
    from sigap.partners.models import Partner
    from sigap.production.models import Batch
    from sigap.quality.models import Criterion, Inspection
    from sigap.stock.models import Movement, StockDocument
    from sigap.handovers.models import Handover, ProductionOrder, SupplyRequest
    from sigap.market.models import Inquiry, Listing, Sale
    from sigap.trainings.models import Attendance, HomeVisit, LearningMaterial, Programme

    return [m.objects.count() for m in (Organisation, Partner, Person, Item, Component, StockDocument, Movement,
                                        Batch, Inspection, Criterion, Training, Enrolment, Attendance, HomeVisit,
                                        LearningMaterial, Programme, Handover, SupplyRequest, ProductionOrder)] + [
        Handover.objects.exclude(status="handed_over").count(), Listing.objects.count(),
        Listing.objects.filter(taken_down=True).count(), Inquiry.objects.count(), Sale.objects.count()]


@pytest.mark.parametrize("route", sorted(MATRIX))
def test_who_may_read_each_route(matrix_world, route):
    build, expected = MATRIX[route]
    url = reverse(route, kwargs=build(matrix_world) if build else None)
    answers = {}
    for name in USERS:
        user = None if name == "anonymous" else getattr(matrix_world, name)
        answers[name] = client_for(user).get(url).status_code
    assert answers == expected


@pytest.mark.parametrize("route", sorted(WRITES))
def test_who_may_change_through_each_route(matrix_world, route):
    build, _ = MATRIX[route]
    url = reverse(route, kwargs=build(matrix_world) if build else None)
    before = _counts()
    answers = {}
    for name in USERS:
        user = None if name == "anonymous" else getattr(matrix_world, name)
        answers[name] = client_for(user).post(url, {}).status_code
    assert answers == WRITES[route]
    assert _counts() == before


def test_the_admin_site_is_for_administrators_only(world):
    assert client_for(world.admin).get("/admin/").status_code == 200
    for name in ["tala_officer", "province_officer", "partner_user"]:
        response = client_for(getattr(world, name)).get("/admin/")
        assert response.status_code == 302 and "/admin/login/" in response.url
