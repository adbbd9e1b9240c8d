import datetime

from django.conf import settings
from django.shortcuts import get_object_or_404
from ninja import Router, Status
from ninja.throttling import AnonRateThrottle

from sigap.accounts.throttle import LoginThrottled
from sigap.api.errors import HttpErrorWithMessage
from sigap.api.models import ApiToken
from sigap.api.schemas import ERRORS, Input
from sigap.api.services import token_issue, token_revoke
from sigap.lib.client import client_address

router = Router(tags=["auth"])


class TokenRequest(Input):
    username: str
    password: str
    name: str = ""


class NewToken(Input):
    token: str
    id: int
    expires_at: datetime.datetime


class TokenOut(Input):
    id: int
    name: str
    prefix: str
    created_at: datetime.datetime
    expires_at: datetime.datetime
    last_used_at: datetime.datetime | None
    revoked_at: datetime.datetime | None


def _address(request) -> str:
    return client_address(request)


@router.post("/token", auth=None, throttle=[AnonRateThrottle(settings.SIGAP_API_TOKEN_RATE)],
             response={201: NewToken, **ERRORS})
def token_create(request, payload: TokenRequest):
    """A personal token for a machine, from a username and password (throttled like the login page).
    The token is shown this once; SIGAP keeps only its hash."""
    try:
        token, record = token_issue(username=payload.username, password=payload.password,
                                    address=_address(request), name=payload.name)
    except LoginThrottled as refusal:
        raise HttpErrorWithMessage(429, refusal.message) from None
    return Status(201, {"token": token, "id": record.pk, "expires_at": record.expires_at})


@router.get("/tokens", response={200: list[TokenOut], **ERRORS})
def token_list(request):
    """The caller's own tokens (never the tokens themselves, only how they begin)."""
    return ApiToken.objects.filter(user=request.user)


@router.delete("/tokens/{token_id}", response={204: None, **ERRORS})
def token_delete(request, token_id: int):
    """Revoke one of the caller's tokens; it stops working at once."""
    token = get_object_or_404(ApiToken.objects.filter(user=request.user), pk=token_id)
    token_revoke(token=token, by=request.user)
    return Status(204, None)
