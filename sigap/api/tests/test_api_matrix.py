"""Who may call each API operation, for every role, with records of two districts (as the page matrix does).

Every operation in the OpenAPI schema must have a row: ``test_every_operation_is_in_the_matrix`` fails
otherwise. Writes send a valid body; each call runs in a savepoint that is rolled back, so one role's write does
not change what the next one sees. Callers use their session (tokens are tested in test_tokens.py).
"""

import json

import pytest
from django.db import transaction

from conftest import client_for
from sigap.api.api import api
from sigap.stock.services import location_for_office, location_for_partner
from sigap.tests.test_access_matrix import USERS, matrix_world, row  # noqa: F401  (matrix_world is a fixture)
from sigap.tests.test_access_matrix import _tala_login as _login_of_a_tala_partner

OPEN = row(*[401] * 1, *[200] * 9)
ANY_SIGNED_IN = OPEN
REGIONAL = row(401, 200, 200, 200, 403, 200, 200, 200, 403, 200)
OFFICERS_WRITE = row(401, 201, 201, 201, 403, 201, 403, 403, 403, 201)
PARTNER_READERS = row(401, 200, 200, 200, 200, 200, 200, 200, 403, 200)
TALA_PARTNER_READERS = row(401, 200, 404, 200, 200, 404, 404, 200, 403, 200)
MASTER_DATA_KEEPERS = row(401, 403, 403, 200, 403, 403, 403, 403, 403, 200)


LOGIN_KEEPERS = row(401, 200, 404, 200, 403, 404, 403, 403, 403, 200)


def _tala_login(w, *, active=True):
    login = _login_of_a_tala_partner(w)
    if not active:
        login.is_active = False
        login.save(update_fields=["is_active"])
    return login


def _tala_invited(w):
    from sigap.accounts.services import user_invite

    return user_invite(by=w.tala_officer, username="mitra_undangan", role="partner", partner=w.tala_partner)


def _partner_body(w):
    return {"name": "Konveksi Baru", "nib": "9120001239991", "owner_name": "Pemilik", "address": "Jl. Baru",
            "region_code": w.tala_partner.region_id if w.current_user != "hsu_officer" else "63.08.05.1001",
            "sector": "garment", "assisting_office_id": w.current_office_id, "joined_on": "2020-06-01",
            "products": [{"product": w.suit.code, "weekly_capacity": 10}]}


# "METHOD path" -> (path parameters, body, expected status per user)
API = {
    "POST /api/v1/auth/token": (None, lambda w: {"username": f"nobody-{w.current_user}", "password": "x"},
                                row(*[400] * 10)),
    "GET /api/v1/auth/tokens": (None, None, ANY_SIGNED_IN),
    # a caller's own tokens, or anyone's for an administrator (?user= naming someone else answers 403 to anyone
    # else: test_tokens.py)
    "DELETE /api/v1/auth/tokens/{token_id}": (lambda w: {"token_id": w.tala_token.pk}, None,
                                              row(401, 204, 404, 404, 404, 404, 404, 404, 404, 204)),
    "GET /api/v1/partners": (None, None, PARTNER_READERS),
    "GET /api/v1/partners/{partner_id}": (lambda w: {"partner_id": w.tala_partner.pk}, None, TALA_PARTNER_READERS),
    "POST /api/v1/partners": (None, _partner_body, row(401, 201, 201, 201, 403, 422, 403, 403, 403, 201)),
    "PATCH /api/v1/partners/{partner_id}": (lambda w: {"partner_id": w.tala_partner.pk},
                                            lambda w: {"owner_name": "Pemilik Baru"},
                                            row(401, 200, 404, 200, 404, 404, 404, 404, 404, 200)),
    # --- registry and trainings: organisations, people, programmes, trainings, enrolments, attendance ---
    "GET /api/v1/organisations": (None, None, REGIONAL),
    "GET /api/v1/organisations/{organisation_id}": (lambda w: {"organisation_id": w.tala_office.pk}, None,
                                                    row(401, 200, 404, 200, 404, 404, 404, 200, 404, 200)),
    "POST /api/v1/organisations": (None, lambda w: {
        "name": "Puskesmas Baru", "code": "PUSKESMAS-BARU", "kind": "health_facility",
        "region_code": {"hsu_officer": "63.08", "outsider": "64.01"}.get(w.current_user, "63.01")}, OFFICERS_WRITE),
    "PATCH /api/v1/organisations/{organisation_id}": (lambda w: {"organisation_id": w.gtpp_tala.pk},
                                                      lambda w: {"head_name": "Kepala Baru"},
                                                      row(401, 200, 404, 200, 403, 404, 403, 403, 403, 200)),
    "GET /api/v1/people": (None, None, REGIONAL),
    "GET /api/v1/people/{person_id}": (lambda w: {"person_id": w.tala_person.pk}, None,
                                       row(401, 200, 404, 200, 404, 404, 404, 200, 404, 200)),
    "POST /api/v1/people": (None, lambda w: {
        "name": "Peserta Baru", "nik": "6301034502010002", "sex": "P", "birth_date": "2001-02-05",
        "address": "Jl. Baru", "region_code": {"hsu_officer": "63.08.05", "outsider": "64.01.01"}.get(
            w.current_user, "63.01.03")}, OFFICERS_WRITE),
    "PATCH /api/v1/people/{person_id}": (lambda w: {"person_id": w.tala_person.pk},
                                         lambda w: {"address": "Jl. Pindah"},
                                         row(401, 200, 404, 200, 404, 404, 404, 404, 404, 200)),
    "GET /api/v1/trainings/programmes": (None, None, REGIONAL),
    "GET /api/v1/trainings/programmes/{programme_id}": (
        lambda w: {"programme_id": w.tala_office.programmes.create(
            name="Pemberdayaan IKM APD 2020", year=2020, starts_on="2020-05-01", ends_on="2020-12-31").pk},
        None, row(401, 200, 404, 200, 404, 404, 404, 200, 404, 200)),
    "POST /api/v1/trainings/programmes": (None, lambda w: {
        "name": "Program APD", "year": 2020, "office_id": w.current_office_id, "starts_on": "2020-05-01",
        "ends_on": "2020-12-31", "targets": [{"product": w.suit.code, "quantity": 100}]}, OFFICERS_WRITE),
    "GET /api/v1/trainings": (None, None, REGIONAL),
    "GET /api/v1/trainings/{training_id}": (lambda w: {"training_id": w.tala_training.pk}, None,
                                            row(401, 200, 404, 200, 404, 404, 404, 200, 404, 200)),
    "POST /api/v1/trainings": (None, lambda w: {
        "title": "Bimtek masker", "office_id": w.current_office_id, "mode": "offline", "starts_on": "2020-07-01",
        "ends_on": "2020-07-03", "product": w.suit.code, "quota": 5}, OFFICERS_WRITE),
    "PATCH /api/v1/trainings/{training_id}": (lambda w: {"training_id": w.tala_training.pk},
                                              lambda w: {"place": "Aula Pelaihari"},
                                              row(401, 200, 404, 200, 404, 404, 404, 404, 404, 200)),
    "GET /api/v1/trainings/{training_id}/enrolments": (lambda w: {"training_id": w.tala_training.pk}, None,
                                                       row(401, 200, 404, 200, 404, 404, 404, 200, 404, 200)),
    "POST /api/v1/trainings/{training_id}/enrolments": (
        lambda w: {"training_id": w.tala_training.pk},
        lambda w: {"person_id": w.tala_person.region.people.get_or_create(nik="6301034502010003", defaults={
            "name": "Peserta Kedua", "sex": "P", "birth_date": "2001-02-05", "address": "Jl. Demo"})[0].pk},
        row(401, 201, 404, 201, 404, 404, 404, 404, 404, 201)),
    "PUT /api/v1/trainings/{training_id}/targets": (
        lambda w: {"training_id": w.tala_training.pk},
        lambda w: {"targets": [{"enrolment_id": w.tala_enrolment.pk, "target": 10}]},
        row(401, 200, 404, 200, 404, 404, 404, 404, 404, 200)),
    "POST /api/v1/trainings/{training_id}/targets/split": (lambda w: {"training_id": w.tala_training.pk}, None,
                                                           row(401, 200, 404, 200, 404, 404, 404, 404, 404, 200)),
    "GET /api/v1/trainings/{training_id}/attendance": (lambda w: {"training_id": w.tala_training.pk}, None,
                                                       row(401, 200, 404, 200, 404, 404, 404, 403, 404, 200)),
    "POST /api/v1/trainings/{training_id}/attendance": (
        lambda w: {"training_id": w.tala_training.pk},
        lambda w: {"day": "2020-06-01", "marks": [{"enrolment_id": w.tala_enrolment.pk, "mode": "in_person"}]},
        row(401, 200, 404, 200, 404, 404, 404, 403, 404, 200)),
    # a participant without a target gets no kit (400); the kit itself: trainings/tests/test_no_dead_ends.py
    "POST /api/v1/trainings/{training_id}/kits": (
        lambda w: {"training_id": w.tala_training.pk},
        lambda w: {"enrolment_id": w.tala_enrolment.pk, "office_id": w.tala_office.pk, "date": "2020-07-01"},
        row(401, 400, 404, 400, 404, 404, 404, 404, 404, 400)),
    "POST /api/v1/trainings/{training_id}/output": (
        lambda w: {"training_id": w.tala_training.pk},
        lambda w: {"enrolment_id": w.tala_enrolment.pk, "quantity": 5, "produced_on": "2020-06-01"},
        row(401, 201, 404, 201, 404, 404, 404, 403, 404, 201)),
    # --- stock, production, inspections, handovers, requests and allocations ---
    # Office staff and partner users read stock and production (READERS); Tala's records answer 404 elsewhere.
    "GET /api/v1/stock/balances": (None, None, row(401, 200, 200, 200, 200, 200, 200, 200, 403, 200)),
    "GET /api/v1/stock/movements": (None, None, row(401, 200, 200, 200, 200, 200, 200, 200, 403, 200)),
    "GET /api/v1/stock/documents": (None, None, row(401, 200, 200, 200, 200, 200, 200, 200, 403, 200)),
    "GET /api/v1/stock/documents/{document_id}": (lambda w: {"document_id": w.tala_receipt.pk}, None,
                                                  row(401, 200, 404, 200, 404, 404, 404, 200, 404, 200)),
    # into each officer's own store
    "POST /api/v1/stock/receipts": (None, lambda w: {"office_id": w.current_office_id, "date": "2020-06-01",
                                                     "lines": [{"item": w.fabric.code, "quantity": 10.5}]},
                                    OFFICERS_WRITE),
    # from Tala's store, which other districts' officers cannot choose
    "POST /api/v1/stock/issues": (None, lambda w: {"office_id": w.tala_office.pk, "partner_id": w.tala_partner.pk,
                                                   "date": "2020-06-01",
                                                   "lines": [{"item": w.fabric.code, "quantity": 10}]},
                                  row(401, 201, 422, 201, 403, 422, 403, 403, 403, 201)),
    "GET /api/v1/stock/locations": (None, None, row(401, 200, 200, 200, 200, 200, 200, 200, 403, 200)),
    "POST /api/v1/stock/transfers": (None, lambda w: {
        "office_id": w.tala_office.pk, "date": "2020-06-02", "lines": [{"item": w.suit.code, "quantity": 5}],
        "source_id": location_for_partner(w.tala_partner).pk, "destination_id": location_for_office(w.tala_office).pk},
        row(401, 201, 422, 201, 403, 422, 403, 403, 403, 201)),
    "GET /api/v1/production/batches": (None, None, row(401, 200, 200, 200, 200, 200, 200, 200, 403, 200)),
    "GET /api/v1/production/batches/{batch_id}": (lambda w: {"batch_id": w.tala_batch.pk}, None,
                                                  row(401, 200, 404, 200, 200, 404, 404, 200, 404, 200)),
    # each reporter for a producer of its own region
    "POST /api/v1/production/batches": (None, lambda w: {
        "partner_id": {"hsu_officer": w.hsu_partner.pk, "instructor": w.hsu_partner.pk,
                       "outsider": w.kaltim_partner.pk}.get(w.current_user, w.tala_partner.pk),
        "product": w.suit.code, "quantity": 10, "produced_on": "2020-06-01"},
        row(401, 201, 201, 201, 201, 201, 201, 403, 403, 201)),
    "GET /api/v1/inspections": (None, None, REGIONAL),
    "GET /api/v1/inspections/checklists/{product}": (lambda w: {"product": w.suit.code}, None, REGIONAL),
    "GET /api/v1/inspections/{inspection_id}": (lambda w: {"inspection_id": w.tala_inspection.pk}, None,
                                                row(401, 200, 404, 200, 200, 404, 404, 200, 404, 200)),
    # as the inspection page: another region's batch is 404 before the role is 403
    "POST /api/v1/inspections": (None, lambda w: {"batch_id": w.tala_batch.pk, "inspected_on": "2020-06-01",
                                                  "sample_size": 2, "accepted": 10, "rejected": 0},
                                 row(401, 403, 404, 403, 403, 404, 404, 201, 404, 403)),
    # Office staff and agency users read handovers and requests (an agency its own).
    "GET /api/v1/handovers": (None, None, row(401, 200, 200, 200, 403, 200, 200, 200, 200, 200)),
    "POST /api/v1/handovers": (None, lambda w: {
        "office_id": w.tala_office.pk, "giver_name": "Masturi", "giver_position": "Kepala Dinas",
        "receiver_id": w.gtpp_tala.pk, "receiver_name": "Sekda", "receiver_position": "Sekretaris Daerah",
        "purpose": "use", "handed_over_on": "2020-06-01", "place": "Pelaihari",
        "lines": [{"product": w.suit.code, "quantity": 1}]},
        row(401, 201, 422, 201, 403, 422, 403, 403, 403, 201)),
    "GET /api/v1/handovers/{handover_id}": (lambda w: {"handover_id": w.tala_handover.pk}, None,
                                            row(401, 200, 404, 200, 404, 404, 404, 200, 200, 200)),
    "GET /api/v1/handovers/{handover_id}/certificate.pdf": (lambda w: {"handover_id": w.tala_handover.pk}, None,
                                                            row(401, 200, 404, 200, 404, 404, 404, 200, 200, 200)),
    "POST /api/v1/handovers/{handover_id}/void": (lambda w: {"handover_id": w.tala_handover.pk},
                                                  lambda w: {"reason": "Salah penerima"},
                                                  row(401, 200, 404, 200, 404, 404, 404, 403, 403, 200)),
    "POST /api/v1/handovers/{handover_id}/receipt": (
        lambda w: {"handover_id": w.tala_handover.pk},
        lambda w: {"lines": [{"line_id": w.tala_handover.lines.get().pk, "quantity": 5}]},
        row(401, 403, 404, 403, 404, 404, 404, 403, 200, 403)),
    "GET /api/v1/handovers/requests": (None, None, row(401, 200, 200, 200, 403, 200, 200, 200, 200, 200)),
    "POST /api/v1/handovers/requests": (None, lambda w: {
        "agency_id": w.gtpp_tala.pk, "office_id": w.tala_office.pk, "needed_by": w.tala_request.needed_by.isoformat(),
        "lines": [{"product": w.suit.code, "quantity": 50}]},
        row(401, 201, 422, 201, 403, 422, 403, 403, 201, 201)),
    "GET /api/v1/handovers/requests/{request_id}": (lambda w: {"request_id": w.tala_request.pk}, None,
                                                    row(401, 200, 404, 200, 404, 404, 404, 200, 200, 200)),
    "GET /api/v1/handovers/requests/{request_id}/allocation/{product}": (
        lambda w: {"request_id": w.tala_request.pk, "product": w.suit.code}, None,
        row(401, 200, 404, 200, 404, 404, 404, 403, 403, 200)),
    "POST /api/v1/handovers/requests/{request_id}/allocation/{product}": (
        lambda w: {"request_id": w.tala_request.pk, "product": w.suit.code},
        lambda w: {"due_on": w.tala_request.needed_by.isoformat(),
                   "quantities": [{"partner_id": w.tala_partner.pk, "quantity": 10}]},
        row(401, 201, 404, 201, 404, 404, 404, 403, 403, 201)),
    "GET /api/v1/handovers/orders": (None, None, row(401, 200, 200, 200, 200, 200, 200, 200, 403, 200)),
    # --- regions, items and bills of materials, market, dashboard ---
    "GET /api/v1/regions": (None, None, ANY_SIGNED_IN),
    "GET /api/v1/regions/{code}": (lambda w: {"code": "63.01.03.1004"}, None, ANY_SIGNED_IN),
    "GET /api/v1/regions/{code}/children": (lambda w: {"code": "63.01.03"}, None, ANY_SIGNED_IN),
    "GET /api/v1/items": (None, None, REGIONAL),
    "GET /api/v1/items/{item_id}": (lambda w: {"item_id": w.suit.pk}, None, REGIONAL),
    # master data every district shares: provincial officers and administrators keep it
    "POST /api/v1/items": (None, lambda w: {"code": "masker-n95", "name": "Masker N95", "kind": "product",
                                            "unit": "pcs"}, row(401, 403, 403, 201, 403, 403, 403, 403, 403, 201)),
    "PATCH /api/v1/items/{item_id}": (lambda w: {"item_id": w.suit.pk}, lambda w: {"description": "Baju APD"},
                                      MASTER_DATA_KEEPERS),
    "PUT /api/v1/items/{item_id}/components": (
        lambda w: {"item_id": w.suit.pk}, lambda w: {"components": [{"material": w.fabric.code, "quantity": 2.5}]},
        MASTER_DATA_KEEPERS),
    "GET /api/v1/market/catalogue": (None, None, row(*[200] * 10)),
    "GET /api/v1/market/catalogue/{listing_id}": (lambda w: {"listing_id": w.tala_listing.pk}, None,
                                                  row(*[200] * 10)),
    # signed-in callers only through the API (anonymous buyers use the listing page), five an hour per account
    "POST /api/v1/market/catalogue/{listing_id}/inquiries": (
        lambda w: {"listing_id": w.tala_listing.pk},
        lambda w: {"name": "Pembeli", "phone": "081234567890", "quantity": 10}, row(401, *[201] * 9)),
    "GET /api/v1/market/listings": (None, None, PARTNER_READERS),
    "GET /api/v1/market/listings/{listing_id}": (lambda w: {"listing_id": w.tala_listing.pk}, None,
                                                 TALA_PARTNER_READERS),
    "POST /api/v1/market/listings": (
        None, lambda w: {"partner_id": {"hsu_officer": w.hsu_partner.pk, "outsider": w.kaltim_partner.pk}.get(
            w.current_user, w.tala_partner.pk), "product": w.suit.code, "title": "Baju hazmat", "price": 185000,
            "min_order": 5, "whatsapp": "081251230001"},
        row(401, 201, 201, 201, 201, 201, 403, 403, 403, 201)),
    "PATCH /api/v1/market/listings/{listing_id}": (lambda w: {"listing_id": w.tala_listing.pk},
                                                   lambda w: {"price": 190000},
                                                   row(401, 200, 404, 200, 200, 404, 404, 403, 403, 200)),
    "POST /api/v1/market/listings/{listing_id}/take-down": (
        lambda w: {"listing_id": w.tala_listing.pk}, lambda w: {"reason": "Foto bukan produk sendiri"},
        row(401, 200, 404, 200, 403, 404, 404, 403, 404, 200)),
    "POST /api/v1/market/listings/{listing_id}/restore": (lambda w: {"listing_id": w.tala_listing.pk}, None,
                                                          row(401, 200, 404, 200, 403, 404, 404, 403, 404, 200)),
    "GET /api/v1/market/inquiries": (None, None, row(401, 200, 200, 200, 200, 200, 403, 403, 403, 200)),
    "POST /api/v1/market/inquiries/{inquiry_id}/answered": (lambda w: {"inquiry_id": w.tala_inquiry.pk}, None,
                                                            row(401, 200, 404, 200, 200, 404, 404, 404, 404, 200)),
    "GET /api/v1/market/sales": (None, None, PARTNER_READERS),
    "GET /api/v1/market/sales/revenue": (None, None, PARTNER_READERS),
    # the Tala partner holds five accepted suits; the HSU and Paser partners hold none: an overdraw
    "POST /api/v1/market/sales": (
        None, lambda w: {"partner_id": {"hsu_officer": w.hsu_partner.pk, "outsider": w.kaltim_partner.pk}.get(
            w.current_user, w.tala_partner.pk), "product": w.suit.code, "sold_on": "2020-06-02", "quantity": 1,
            "unit_price": 185000, "channel": "offline", "buyer_type": "individual"},
        row(401, 201, 409, 201, 201, 409, 403, 403, 403, 201)),
    "GET /api/v1/dashboard": (None, None, REGIONAL),
    # --- logins: each office's officers manage a Tala partner's login (Tala's and the province's) ---
    "GET /api/v1/users": (None, None, row(401, 200, 200, 200, 403, 200, 403, 403, 403, 200)),
    "GET /api/v1/users/{user_id}": (lambda w: {"user_id": _tala_login(w).pk}, None, LOGIN_KEEPERS),
    # each officer invites a partner user of a partner of their own region
    "POST /api/v1/users": (None, lambda w: {
        "username": f"baru-{w.current_user}", "role": "partner", "first_name": "Baru", "phone": "081251230099",
        "partner_id": {"hsu_officer": w.hsu_partner.pk, "outsider": w.kaltim_partner.pk}.get(
            w.current_user, w.tala_partner.pk)}, row(401, 201, 201, 201, 403, 201, 403, 403, 403, 201)),
    "PATCH /api/v1/users/{user_id}": (lambda w: {"user_id": _tala_login(w).pk}, lambda w: {"position": "Pemilik"},
                                      LOGIN_KEEPERS),
    "POST /api/v1/users/{user_id}/deactivate": (lambda w: {"user_id": _tala_login(w).pk}, None, LOGIN_KEEPERS),
    "POST /api/v1/users/{user_id}/reactivate": (lambda w: {"user_id": _tala_login(w, active=False).pk}, None,
                                                LOGIN_KEEPERS),
    "POST /api/v1/users/{user_id}/invitation": (lambda w: {"user_id": _tala_invited(w).pk}, None,
                                                row(401, 201, 404, 201, 403, 404, 403, 403, 403, 201)),
    "POST /api/v1/users/{user_id}/reset-link": (lambda w: {"user_id": _tala_login(w).pk}, None,
                                                row(401, 201, 404, 201, 403, 404, 403, 403, 403, 201)),
}


def _operations():
    schema = api.get_openapi_schema()
    return {f"{method.upper()} {path}" for path, methods in schema["paths"].items() for method in methods}


def test_every_operation_is_in_the_matrix():
    assert _operations() - set(API) == set(), "operations without a row in the API matrix"
    assert set(API) - _operations() == set(), "rows for operations that do not exist"


@pytest.fixture
def api_world(matrix_world):
    from sigap.api.services import token_issue

    _token, matrix_world.tala_token = token_issue(username="tala_officer", password="sandi-rahasia-1",
                                                  address="10.0.0.1")
    return matrix_world


@pytest.mark.parametrize("operation", sorted(API))
def test_who_may_call_each_operation(api_world, operation):
    method, path = operation.split(" ", 1)
    params, body, expected = API[operation]
    if params:
        path = path.format(**params(api_world))
    answers = {}
    for username in USERS:
        user = None if username == "anonymous" else getattr(api_world, username)
        api_world.current_user = username
        api_world.current_office_id = (user.organisation_id if user is not None and user.organisation_id
                                       else api_world.tala_office.pk)
        client = client_for(user)
        data = json.dumps(body(api_world)) if body else None
        savepoint = transaction.savepoint()
        try:
            response = getattr(client, method.lower())(path, data=data, content_type="application/json")
        finally:
            transaction.savepoint_rollback(savepoint)
        answers[username] = response.status_code
        assert response["Content-Type"].startswith("application/json") or response.status_code in (204,) or \
            response["Content-Type"] == "application/pdf", (username, response["Content-Type"])
    assert answers == expected
