import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def password_binding(password_hash: str) -> str:
    """What ties a token to its owner's password as it was when the token was made: a digest of the stored
    password hash (``user.password``). Any new password, by whatever path it is set (the password page, the
    Django admin, ``manage.py changepassword``, a reset, ``set_unusable_password()``, even an UPDATE in SQL),
    changes the hash and so ends the tokens, with no signal or hook to forget; Django ties sessions to the
    password the same way (``get_session_auth_hash``). A stronger hasher re-hashing the same password is not a
    new password: ``User.check_password`` moves the tokens to the new hash.

    A plain digest, not an HMAC keyed with SECRET_KEY: it sits in the same database as the password hash, so a
    key would hide nothing more, and it would end every token when the key is rotated. The digest of a salted
    password hash tells nothing about the password."""
    return hashlib.sha256(f"sigap.api.token:{password_hash}".encode()).hexdigest()


class RevokedReason(models.TextChoices):
    OWNER = "owner", _("revoked by its owner")
    ADMINISTRATOR = "administrator", _("revoked by an administrator")
    PASSWORD_CHANGED = "password_changed", _("password changed")
    DEACTIVATED = "deactivated", _("user deactivated")


class TokenState(models.TextChoices):
    ACTIVE = "active", _("active")
    REVOKED = "revoked", _("revoked")
    EXPIRED = "expired", _("expired")
    PASSWORD_CHANGED = "password_changed", _("password changed since")
    OWNER_INACTIVE = "owner_inactive", _("owner deactivated")


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        """Tokens that are neither revoked nor expired. A token opens the API only if, as well, its owner is
        active and still has the password the token was made under (``ApiToken.state``)."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())

    def visible_to(self, user):
        """An administrator sees every token; anyone else only their own."""
        if user.is_admin:
            return self
        return self.filter(user=user)


class ApiToken(models.Model):
    """A personal token a machine uses for the API in its owner's name. Only its SHA-256 is kept: the token
    itself is shown once, when it is made."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("begins with"), max_length=8, editable=False)
    password_binding = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("revoked by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+")
    revoked_reason = models.CharField(_("why revoked"), max_length=20, choices=RevokedReason.choices, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.prefix}… ({self.user})"

    @property
    def state(self) -> str:
        """Whether the token opens the API now, or why not (reads ``user``: select it with the token)."""
        if self.revoked_at is not None:
            return TokenState.REVOKED
        if not self.user.is_active:
            return TokenState.OWNER_INACTIVE
        if self.password_binding != password_binding(self.user.password):
            return TokenState.PASSWORD_CHANGED
        if self.expires_at <= timezone.now():
            return TokenState.EXPIRED
        return TokenState.ACTIVE

    def get_state_display(self) -> str:
        return TokenState(self.state).label
