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
