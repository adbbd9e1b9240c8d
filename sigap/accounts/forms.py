from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError

from sigap.accounts.throttle import (
    LoginThrottled,
    PasswordResetThrottled,
    login_attempt,
    login_failed,
    login_succeeded,
    password_reset_request,
)
from sigap.lib.client import client_address


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's login form, making a (username, address) pair, or an address, wait after repeated failures
    (sigap.accounts.throttle)."""

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not (username and password):
            return super().clean()  # the missing field is reported; no password is checked, nothing is counted
        address = client_address(self.request) if self.request else ""
        try:
            login_attempt(username=username, address=address)
        except LoginThrottled as refusal:
            raise ValidationError(refusal.message, code="throttled") from None
        try:
            cleaned = super().clean()
        except ValidationError:
            login_failed(username=username, address=address)
            raise
        login_succeeded(username=username, address=address)
        return cleaned


class ThrottledPasswordResetForm(PasswordResetForm):
    """Django's form, which mails a link only to an active user with a usable password (an invited user who has
    not accepted yet gets none: the invitation is the way in) and answers every address alike; asking is limited
    per e-mail address and per client address (sigap.accounts.throttle), known and unknown addresses alike."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("email"):
            try:
                password_reset_request(email=cleaned["email"], address=client_address(self.request))
            except PasswordResetThrottled as refusal:
                raise ValidationError(refusal.message, code="throttled") from None
        return cleaned
