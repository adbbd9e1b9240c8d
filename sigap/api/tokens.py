import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.throttling import AnonRateThrottle

from sigap.accounts.throttle import LoginThrottled
from sigap.api.errors import HttpErrorWithMessage
from sigap.api.forms import FormInvalid
from sigap.api.models import ApiToken
from sigap.api.schemas import ERRORS, TEXT, Input
from sigap.api.services import token_issue, token_revoke
from sigap.lib.client import client_address

router = Router(tags=["auth"])


class TokenRequest(Input):
    username: str
    password: str
    name: str = ""
    otp: str = Field("", max_length=32, description="For a user with two-factor sign-in: the code their "
                                                    "authenticator app shows now, or a recovery code.")


class NewToken(Input):
    token: str
    id: int
    expires_at: datetime.datetime


class TokenOut(Schema):
    id: int
    user_id: int
    username: str = Field(..., alias="user.username")
    name: str
    prefix: str
    created_at: datetime.datetime
    expires_at: datetime.datetime
    last_used_at: datetime.datetime | None
    revoked_at: datetime.datetime | None
    revoked_by: str | None = Field(None, alias="revoked_by.username",
                                   description="Who revoked the token (its owner or an administrator); none when "
                                               "SIGAP ended it or it is not revoked.")
    revoked_reason: str = Field(..., description="owner, administrator, password_changed or deactivated")
    state: str = Field(..., description="active, revoked, expired, password_changed (since the token was made) "
                                        "or owner_inactive: only an active token opens the API")


class TokenFilters(Schema):
    user: str | None = Field(None, max_length=150, pattern=TEXT,
                             description="A username: administrators list anyone's tokens, others only their own.")


def _address(request) -> str:
    return client_address(request)


@router.post("/token", auth=None, throttle=[AnonRateThrottle(settings.SIGAP_API_TOKEN_RATE)],
             response={201: NewToken, **ERRORS})
def token_create(request, payload: TokenRequest):
    """A personal token for a machine, from a username and password (throttled like the login page).
    The token is shown this once; SIGAP keeps only its hash."""
    try:
        token, record = token_issue(username=payload.username, password=payload.password,
                                    address=_address(request), name=payload.name, otp=payload.otp)
    except LoginThrottled as refusal:
        raise HttpErrorWithMessage(429, refusal.message) from None
    return Status(201, {"token": token, "id": record.pk, "expires_at": record.expires_at})


@router.get("/tokens", response={200: list[TokenOut], **ERRORS})
def token_list(request, filters: Query[TokenFilters]):
    """The caller's own tokens, or for an administrator everyone's (``?user=`` narrows to one user). Never the
    tokens themselves, only how they begin."""
    tokens = ApiToken.objects.visible_to(request.user).select_related("user", "revoked_by")
    if filters.user:
        if not request.user.is_admin and filters.user != request.user.username:
            raise PermissionDenied  # before any lookup: whether a username exists is not told
        owner = get_user_model().objects.filter(username=filters.user).first()
        if owner is None:
            raise FormInvalid({"user": [_("No user has this username.")]})
        tokens = tokens.filter(user=owner)
    return tokens


@router.delete("/tokens/{token_id}", response={204: None, **ERRORS})
def token_delete(request, token_id: int):
    """Revoke a token: one of the caller's own, or anyone's for an administrator (who is recorded). It stops
    working at once."""
    token = get_object_or_404(ApiToken.objects.visible_to(request.user), pk=token_id)
    token_revoke(token=token, by=request.user)
    return Status(204, None)
