"""What a person typed into a form is not lost when their session ended while the form was open.

A form posted without a signed-in session is refused with a redirect to the login page, as before; but its
fields (no files, no passwords, no CSRF token) are kept for DRAFT_SECONDS in the cache under a random one-time
id, which travels in the login page's ``next`` address and, to tie it to this browser, in a signed cookie. After
signing in, that address shows the form again filled in (bound to the kept fields, not saved) with a notice to
check and save it again. The login page says that the session ended, rather than leaving the person to guess.
"""

import secrets
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.http import QueryDict
from django.shortcuts import resolve_url
from django.utils.translation import gettext as _

DRAFT_SECONDS = 30 * 60
DRAFT_COOKIE = "sigap_draft"
DRAFT_PARAMETER = "draft"
ENDED_PARAMETER = "ended"
_NOT_KEPT = ("password", "csrfmiddlewaretoken")


def draft_key(draft_id: str) -> str:
    return f"sigap:draft:{draft_id}"


def session_ended(request) -> bool:
    """The browser still sends a session cookie, but no signed-in session answers to it any more: it ended
    (SIGAP_SESSION_IDLE_SECONDS without a request). Signing out deletes the cookie, so it does not count."""
    if not request.COOKIES.get(settings.SESSION_COOKIE_NAME) or request.user.is_authenticated:
        return False
    return not dict(request.session.items())


def ended_session_user_id(request) -> str | None:
    """Whose session ended: an expired session's row stays until ``clearsessions`` runs, and its data names the
    user. None when that cannot be told (the row is gone, or sessions are not kept in the database)."""
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    model_class = getattr(request.session, "get_model_class", None)
    if not key or model_class is None:
        return None
    row = model_class().objects.filter(session_key=key).only("session_data").first()
    if row is None:
        return None
    user_id = request.session.decode(row.session_data).get(SESSION_KEY)
    return str(user_id) if user_id is not None else None


def draft_keep(request) -> str | None:
    """Keeps the fields the request posted, for the user whose session ended; returns the one-time id they are
    kept under, or None when that user cannot be told (then nothing is kept: a form may hold personal data, and
    someone else may sign in on the same browser)."""
    user_id = ended_session_user_id(request)
    if user_id is None:
        return None
    data = {key: values for key, values in request.POST.lists()
            if not any(word in key.lower() for word in _NOT_KEPT)}
    draft_id = secrets.token_urlsafe(24)
    cache.set(draft_key(draft_id), {"path": request.path, "user": user_id, "data": data}, DRAFT_SECONDS)
    return draft_id


def _with_parameters(url: str, **parameters) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in parameters]
    return urlunsplit(parts._replace(query=urlencode(query + list(parameters.items()))))


def login_address_keeping(request) -> tuple[str, str | None]:
    """The login page's address for a request that found its session ended, back to the same page after signing
    in, with the posted fields kept; and the id they are kept under (None for a GET), for draft_cookie_set()."""
    back, draft_id = request.get_full_path(), None
    if request.method == "POST" and request.POST:
        draft_id = draft_keep(request)
        if draft_id:
            back = _with_parameters(back, **{DRAFT_PARAMETER: draft_id})
    return _with_parameters(resolve_url(settings.LOGIN_URL), next=back, **{ENDED_PARAMETER: "1"}), draft_id


def draft_cookie_set(response, draft_id: str | None) -> None:
    """Ties the kept fields to this browser: the id in the address alone does not give them back."""
    if draft_id:
        response.set_signed_cookie(DRAFT_COOKIE, draft_id, salt=DRAFT_COOKIE, max_age=DRAFT_SECONDS,
                                   httponly=True, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)


def _draft_taken(request):
    """The fields kept for this page, this browser and this user, once."""
    draft_id = request.GET.get(DRAFT_PARAMETER)
    if not draft_id or request.method != "GET" or not request.user.is_authenticated:
        return None
    if request.get_signed_cookie(DRAFT_COOKIE, default=None, salt=DRAFT_COOKIE, max_age=DRAFT_SECONDS) != draft_id:
        return None
    stored = cache.get(draft_key(draft_id))
    if not stored or stored["path"] != request.path or stored.get("user") != str(request.user.pk):
        return None
    cache.delete(draft_key(draft_id))
    data = QueryDict(mutable=True)
    for key, values in stored["data"].items():
        data.setlist(key, values)
    return data


class ExpiredSessionMiddleware:
    """After the authentication middleware: keeps the form of a request whose session ended on its way to the
    login page, and gives it back to the same page after signing in. Views build their forms from
    ``request.POST or None`` and save only ``if request.method == "POST"``, so a GET carrying the kept fields
    shows them in the form, with its messages, and saves nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        draft = _draft_taken(request)
        if draft is not None:
            request.POST = draft
            messages.info(request, _("Your session ended; check the entries and save them again."))
        response = self.get_response(request)
        if draft is not None:
            response.delete_cookie(DRAFT_COOKIE, samesite="Lax")
        elif response.status_code == 302 and self._to_login(response) and session_ended(request):
            response["Location"], draft_id = login_address_keeping(request)
            draft_cookie_set(response, draft_id)
        return response

    @staticmethod
    def _to_login(response) -> bool:
        return urlsplit(response["Location"]).path == resolve_url(settings.LOGIN_URL)
