import datetime
import hmac
import secrets

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sigap.accounts.throttle import login_attempt, login_failed, login_succeeded
from sigap.api.models import ApiToken, RevokedReason, password_binding, token_hash
from sigap.lib.errors import DomainError
from sigap.twofactor.services import has_two_factor, two_factor_check, two_factor_required


class LoginRefused(DomainError):
    pass


def token_issue(*, username: str, password: str, address: str, name: str = "", otp: str = "") -> tuple[str, ApiToken]:
    """Check a username and password as the login page does (same throttle) and, for a user with two-factor
    sign-in, a current code (``otp``, throttled like the login page's code step); make a personal token. With
    SIGAP_REQUIRE_2FA a user who must use two-factor sign-in and has not set it up gets none.

    Returns the token, shown this once, and its record."""
    login_attempt(username=username, address=address)  # raises LoginThrottled while the pair or address waits
    with transaction.atomic():
        user = authenticate(username=username, password=password)
    if user is None or not user.is_active:
        login_failed(username=username, address=address)
        raise LoginRefused(_("The username or password is not right."))
    login_succeeded(username=username, address=address)
    if has_two_factor(user):
        if not otp.strip():
            raise LoginRefused(_("Send a current code from your authenticator app in the otp field."), field="otp")
        two_factor_check(user=user, code=otp, address=address, field="otp")  # raises CodeRefused, LoginThrottled
    elif two_factor_required(user):
        raise LoginRefused(_("Your role must use two-factor sign-in: set it up on SIGAP's pages (Account security) "
                             "before asking for a token."))
    token = "sgp_" + secrets.token_urlsafe(32)
    record = ApiToken.objects.create(
        user=user, name=name.strip()[:100], key_hash=token_hash(token), prefix=token[:8],
        password_binding=password_binding(user.password),
        expires_at=timezone.now() + datetime.timedelta(days=settings.SIGAP_API_TOKEN_DAYS),
    )
    return token, record


def token_user(token: str):
    """The user a token belongs to, if the token is neither revoked nor expired, its owner is active and still has
    the password the token was made under; marks it as used."""
    record = (ApiToken.objects.usable().select_related("user__organisation")
              .filter(key_hash=token_hash(token)).first())
    if record is None or not record.user.is_active:
        return None
    if not hmac.compare_digest(record.password_binding, password_binding(record.user.password)):
        return None
    now = timezone.now()
    if record.last_used_at is None or now - record.last_used_at > datetime.timedelta(minutes=5):
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
    return record.user


def token_revoke(*, token: ApiToken, by) -> ApiToken:
    """Its owner or an administrator ends a token at once. A token revoked already keeps who revoked it first."""
    if token.user_id != by.pk and not by.is_admin:
        raise DomainError(_("Only the owner or an administrator revokes a token."))
    reason = RevokedReason.OWNER if token.user_id == by.pk else RevokedReason.ADMINISTRATOR
    _revoke(ApiToken.objects.filter(pk=token.pk), by=by, reason=reason)
    token.refresh_from_db(fields=["revoked_at", "revoked_by", "revoked_reason"])
    return token


def tokens_revoke_for_user(*, user, by, reason: RevokedReason) -> int:
    """End every token of a user whose password changed or who was deactivated, recording who did it and why.
    Returns how many were still unrevoked.

    Called where SIGAP changes a password or deactivates a user; a password set by any other path (the Django
    admin's form, ``manage.py changepassword``, ``set_password()``) ends the tokens too, through their password
    binding (``sigap.api.models.password_binding``), and an inactive user's tokens are refused in any case."""
    return _revoke(ApiToken.objects.filter(user=user), by=by, reason=reason)


def tokens_rebind(*, user, old_password_hash: str) -> int:
    """Django stores a new hash of an unchanged password when its hasher grew stronger (after a Django upgrade, at
    the owner's next sign-in). That is not a new password: the tokens made under the old hash follow the new one
    instead of ending. Called only once the password was checked right."""
    return (ApiToken.objects.filter(user=user, password_binding=password_binding(old_password_hash))
            .update(password_binding=password_binding(user.password)))


def _revoke(tokens, *, by, reason) -> int:
    # Only tokens not revoked yet: the first revocation's time, person and reason are the ones kept.
    return tokens.filter(revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=by, revoked_reason=reason)
