"""Schemathesis generates requests from the OpenAPI schema for every operation and checks that SIGAP never
answers with a server error nor with a body its own schema does not describe.

``make test`` runs a bounded number of examples per operation (SIGAP_API_EXAMPLES, default 10);
``make api-fuzz`` runs at least 100 per operation.
"""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

EXAMPLES = int(os.environ.get("SIGAP_API_EXAMPLES", "10"))


@pytest.fixture
def api_schema(db):
    """The schema, called in-process through SIGAP's WSGI application. As Django's test client does, the
    request signals must not close the database connection: the test's transaction lives on it."""
    from django.core import signals
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    from sigap.api.api import api

    loaded = schemathesis.openapi.from_dict(api.get_openapi_schema())
    loaded.app = get_wsgi_application()
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield loaded
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def caller(world):
    """A provincial officer's token: the role that reaches most operations and records of the test world."""
    from sigap.api.services import token_issue

    token, _record = token_issue(username="province_officer", password="sandi-rahasia-1", address="10.7.7.7")
    return {"Authorization": f"Bearer {token}"}


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_no_operation_answers_a_server_error_or_breaks_its_schema(case, caller):
    case.call_and_validate(headers=caller, checks=[not_a_server_error, response_schema_conformance])
