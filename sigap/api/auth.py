"""Who is calling: a browser with its session (and CSRF token for writes), or a machine with a personal token."""

from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.security import APIKeyCookie, HttpBearer

from sigap.api.services import token_user


class TokenAuth(HttpBearer):
    """``Authorization: Bearer sgp_…``; a revoked, expired or unknown token is a 401."""

    def authenticate(self, request, token):
        user = token_user(token)
        if user is None:
            raise AuthenticationError(401, _("This token is unknown, expired or revoked."))
        request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The signed-in browser's session; unsafe methods need the CSRF token as on the pages."""

    param_name = "sessionid"

    def __init__(self):
        super().__init__(csrf=True)

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        return user if user is not None and user.is_authenticated else None


AUTH = [TokenAuth(), SessionAuth()]
