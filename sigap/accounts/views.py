from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache

from sigap.accounts.forms import ThrottledAuthenticationForm, ThrottledPasswordResetForm
from sigap.accounts.throttle import ResetLinkThrottled, reset_link_attempt, reset_link_failed
from sigap.api.models import RevokedReason
from sigap.api.services import tokens_revoke_for_user
from sigap.lib.client import client_address
from sigap.twofactor.services import has_two_factor
from sigap.twofactor.views import sign_in_pending


class LoginView(auth_views.LoginView):
    form_class = ThrottledAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        """The right password signs in, unless the user has two-factor sign-in: then a code is owed first
        (sigap.twofactor), and until it is given the user is not signed in."""
        user = form.get_user()
        if has_two_factor(user):
            sign_in_pending(self.request, user=user, next_url=self.get_redirect_url())
            return redirect("twofactor:code")
        return super().form_valid(form)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's page (which keeps this browser signed in and signs the user's other sessions out); a new
    password also ends the user's API tokens, with the reason kept on each."""

    success_url = reverse_lazy("password_change_done")

    @transaction.atomic
    def form_valid(self, form):
        response = super().form_valid(form)
        _tell_tokens_revoked(self.request, tokens_revoke_for_user(
            user=form.user, by=self.request.user, reason=RevokedReason.PASSWORD_CHANGED))
        return response


@login_required
def profile(request):
    return render(request, "accounts/profile.html")


class PasswordResetView(auth_views.PasswordResetView):
    """A forgotten password: a link by e-mail, valid for PASSWORD_RESET_TIMEOUT and only until the password or
    the last sign-in changes (Django's token). Every address gets the same answer and the same next page."""

    form_class = ThrottledPasswordResetForm
    subject_template_name = "registration/password_reset_subject.txt"
    email_template_name = "registration/password_reset_email.txt"
    html_email_template_name = "registration/password_reset_email.html"

    @property
    def extra_email_context(self):
        return {"valid_hours": max(1, settings.PASSWORD_RESET_TIMEOUT // 3600)}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's page (the token leaves the address bar for the session before the form is shown); links that
    cannot be used are counted per address like failed sign-ins. A new password ends the user's API tokens
    and, through Django's session hash, every session signed in with the old one."""

    @method_decorator(never_cache)
    def dispatch(self, request, *args, **kwargs):
        address = client_address(request)
        try:
            reset_link_attempt(address=address)
        except ResetLinkThrottled as refusal:
            return render(request, self.template_name, {"validlink": False, "refusal": refusal.message})
        response = super().dispatch(request, *args, **kwargs)
        if not self.validlink and response.status_code == 200:
            reset_link_failed(address=address)
        return response

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None  # deactivated since the link was sent

    @transaction.atomic
    def form_valid(self, form):
        response = super().form_valid(form)
        _tell_tokens_revoked(self.request, tokens_revoke_for_user(
            user=form.user, by=form.user, reason=RevokedReason.PASSWORD_CHANGED))
        return response


def _tell_tokens_revoked(request, revoked: int) -> None:
    if revoked:
        messages.info(request, ngettext(
            "Your API token was revoked: ask for a new one for the machines that used it.",
            "Your %(count)d API tokens were revoked: ask for new ones for the machines that used them.",
            revoked) % {"count": revoked})
