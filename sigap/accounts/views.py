from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import ngettext

from sigap.accounts.forms import ThrottledAuthenticationForm
from sigap.api.models import RevokedReason
from sigap.api.services import tokens_revoke_for_user
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
        revoked = tokens_revoke_for_user(user=form.user, by=self.request.user, reason=RevokedReason.PASSWORD_CHANGED)
        if revoked:
            messages.info(self.request, ngettext(
                "Your API token was revoked: ask for a new one for the machines that used it.",
                "Your %(count)d API tokens were revoked: ask for new ones for the machines that used them.",
                revoked) % {"count": revoked})
        return response


@login_required
def profile(request):
    return render(request, "accounts/profile.html")
