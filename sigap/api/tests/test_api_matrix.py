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
from sigap.tests.test_access_matrix import USERS, matrix_world, row  # noqa: F401  (matrix_world is a fixture)

OPEN = row(*[401] * 1, *[200] * 9)
ANY_SIGNED_IN = OPEN
REGIONAL = row(401, 200, 200, 200, 403, 200, 200, 200, 403, 200)
OFFICERS_WRITE = row(401, 201, 201, 201, 403, 201, 403, 403, 403, 201)
PARTNER_READERS = row(401, 200, 200, 200, 200, 200, 200, 200, 403, 200)
TALA_PARTNER_READERS = row(401, 200, 404, 200, 200, 404, 404, 200, 403, 200)


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
    "DELETE /api/v1/auth/tokens/{token_id}": (lambda w: {"token_id": w.tala_token.pk}, None,
                                              row(401, 204, 404, 404, 404, 404, 404, 404, 404, 404)),
    "GET /api/v1/partners": (None, None, PARTNER_READERS),
    "GET /api/v1/partners/{partner_id}": (lambda w: {"partner_id": w.tala_partner.pk}, None, TALA_PARTNER_READERS),
    "POST /api/v1/partners": (None, _partner_body, row(401, 201, 201, 201, 403, 422, 403, 403, 403, 201)),
    "PATCH /api/v1/partners/{partner_id}": (lambda w: {"partner_id": w.tala_partner.pk},
                                            lambda w: {"owner_name": "Pemilik Baru"},
                                            row(401, 200, 404, 200, 404, 404, 404, 404, 404, 200)),
    # --- registry and trainings: organisations, people, programmes, trainings, enrolments, attendance ---
    # --- stock, production, inspections, handovers, requests and allocations ---
    # --- regions, items and bills of materials, market, dashboard ---
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
