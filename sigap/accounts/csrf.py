"""SIGAP's page for a form refused by the CSRF check: in the user's language, styled like every other page,
with the way back to the page the form was on, and, when the session ended, the way to sign in again with what
was typed kept (sigap.accounts.drafts)."""

from urllib.parse import urlsplit

from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from sigap.accounts.drafts import draft_cookie_set, login_address_keeping, session_ended


def csrf_failure(request, reason=""):
    referer = request.META.get("HTTP_REFERER", "")
    same_site = url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()},
                                                require_https=request.is_secure())
    back = urlsplit(referer)._replace(scheme="", netloc="").geturl() if same_site and referer else "/"
    sign_in, draft_id = login_address_keeping(request) if session_ended(request) else (None, None)
    response = render(request, "403_csrf.html", {"back": back, "sign_in": sign_in}, status=403)
    draft_cookie_set(response, draft_id)
    return response
