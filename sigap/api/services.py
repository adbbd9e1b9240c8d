import datetime
import secrets

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sigap.accounts.throttle import login_attempt, login_failed, login_succeeded
from sigap.api.models import ApiToken, token_hash
from sigap.lib.errors import DomainError


class LoginRefused(DomainError):
    pass


@transaction.atomic
def token_issue(*, username: str, password: str, address: str, name: str = "") -> tuple[str, ApiToken]:
    """Check a username and password as the login page does (same throttle), and make a personal token.

    Returns the token, shown this once, and its record."""
    login_attempt(username=username, address=address)  # raises LoginThrottled while the pair or address waits
    user = authenticate(username=username, password=password)
    if user is None or not user.is_active:
        login_failed(username=username, address=address)
        raise LoginRefused(_("The username or password is not right."))
    login_succeeded(username=username, address=address)
    token = "sgp_" + secrets.token_urlsafe(32)
    record = ApiToken.objects.create(
        user=user, name=name.strip()[:100], key_hash=token_hash(token), prefix=token[:8],
        expires_at=timezone.now() + datetime.timedelta(days=settings.SIGAP_API_TOKEN_DAYS),
    )
    return token, record


def token_user(token: str):
    """The active user a token belongs to, if the token is still usable; marks it as used."""
    record = (ApiToken.objects.usable().select_related("user__organisation")
              .filter(key_hash=token_hash(token)).first())
    if record is None or not record.user.is_active:
        return None
    now = timezone.now()
    if record.last_used_at is None or now - record.last_used_at > datetime.timedelta(minutes=5):
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
    return record.user


def token_revoke(*, token: ApiToken, by) -> ApiToken:
    if token.user_id != by.pk:
        raise DomainError(_("Only the owner revokes a token."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
