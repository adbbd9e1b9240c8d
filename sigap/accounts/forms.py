from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from sigap.accounts.throttle import LoginThrottled, login_attempt, login_failed, login_succeeded
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
