import pytest
from django.test import Client

from conftest import client_for


def test_pages_carry_a_content_security_policy_without_unsafe_inline(db):
    response = Client().get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_public_pages_carry_it_too(db):
    assert "default-src 'self'" in Client().get("/katalog/")["Content-Security-Policy"]


@pytest.mark.parametrize("path", ["/partners/?q=a%00b", "/katalog/?q=%00", "/api/v1/partners?q=%00",
                                  "/api/v1/regions/63%00"])
def test_a_nul_character_in_a_url_is_a_400_not_a_server_error(world, path):
    response = client_for(world.tala_officer).get(path)
    assert response.status_code == 400
    if path.startswith("/api/"):
        assert set(response.json()) == {"detail", "errors"}


def test_a_nul_character_in_a_form_or_a_json_body_is_a_400(world):
    client = client_for(world.tala_officer)
    assert client.post("/partners/new/", {"name": "a\x00b"}).status_code == 400
    response = client.post("/api/v1/partners", '{"name": "a\\u0000b"}', content_type="application/json")
    assert response.status_code == 400 and response.json()["errors"] == {}


# A lone surrogate (half of a UTF-16 pair) is text neither SQLite nor PostgreSQL can store or compare. The API
# refuses one in a JSON body (sigap/api/tests/test_request_values.py); a page's form or query cannot carry one.

LONE_SURROGATE = "%ED%A0%80"  # what "\ud800" would be in UTF-8, which has no such character


@pytest.mark.security
@pytest.mark.parametrize("path", ["/partners/", "/katalog/", "/api/v1/partners", "/api/v1/market/catalogue"])
def test_a_lone_surrogate_in_a_query_is_not_a_server_error(world, path):
    response = client_for(world.tala_officer).get(path, QUERY_STRING=f"q=a{LONE_SURROGATE}b")
    assert response.status_code == 200  # Django reads bytes that are not UTF-8 as the replacement character


@pytest.mark.security
def test_a_lone_surrogate_in_a_page_form_is_stored_as_the_replacement_character_never_a_server_error(world):
    from urllib.parse import urlencode

    from sigap.partners.models import Partner

    data = {"name": "Konveksi X", "nib": "9120001239999", "owner_name": "Ibu Ani", "address": "Jl. Baru 1",
            "district": "63.01.03", "village": "63.01.03.1004", "phone": "0812 5123 9999", "sector": "garment",
            "joined_on": "2020-06-01", "status": "active", "assisting_office": world.tala_office.pk,
            "products-TOTAL_FORMS": "0", "products-INITIAL_FORMS": "0", "products-MIN_NUM_FORMS": "0",
            "products-MAX_NUM_FORMS": "20"}
    body = urlencode(data).replace("Konveksi+X", f"Konveksi+{LONE_SURROGATE}X")
    client = client_for(world.tala_officer)
    response = client.generic("POST", "/partners/new/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302
    assert Partner.objects.get(nib="9120001239999").name == "Konveksi \ufffd\ufffd\ufffdX"
    # The same bytes in a multipart form (as a form with a file is sent).
    boundary = "sigapboundary"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
             + (b"\xed\xa0\x80" if name == "owner_name" else str(value).encode()) + b"\r\n"
             for name, value in (data | {"nib": "9120001239998", "name": "Konveksi Y"}).items()]
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    response = client.generic("POST", "/partners/new/", body, content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 302
    assert Partner.objects.get(nib="9120001239998").owner_name == "\ufffd\ufffd\ufffd"
