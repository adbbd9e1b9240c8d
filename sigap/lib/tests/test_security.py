from django.test import Client


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
