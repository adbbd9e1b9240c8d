"""Sessions end after SESSION_COOKIE_AGE seconds without a request. Saving the session on every request would
keep that promise to the second at the cost of a database write for every page an officer opens; instead a
signed-in session is saved again (and so extended) once SIGAP_SESSION_REFRESH_SECONDS have passed since it was
last extended. A session then ends between SESSION_COOKIE_AGE - SIGAP_SESSION_REFRESH_SECONDS and
SESSION_COOKIE_AGE seconds after the last request."""

import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

EXTENDED_AT = "_extended_at"


@receiver(user_logged_in)
def _signing_in_extends_the_session(sender, request, user, **kwargs):
    """Signing in saves the session anyway: it counts as its first extension."""
    request.session[EXTENDED_AT] = int(time.time())


class SessionRefreshMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty() and response.status_code < 500:
            now = int(time.time())
            if now - session.get(EXTENDED_AT, 0) >= settings.SIGAP_SESSION_REFRESH_SECONDS:
                session[EXTENDED_AT] = now  # modified, so SessionMiddleware saves it with a new expiry
        return response
