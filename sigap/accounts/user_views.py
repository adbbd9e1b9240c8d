"""The login pages: an office's staff give the people of their region a login by invitation and look after it;
the invited person (or one given a reset link) sets their own password on a page that fits a phone."""

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sigap.accounts.access import require_user_manager
from sigap.accounts.links import LinkState, LinkThrottled, invitation_tokens, link_attempt, link_failed, reset_link_tokens
from sigap.accounts.models import User
from sigap.accounts.services import (
    contact_for,
    invitation_link,
    invitation_send,
    link_password_set,
    reset_link,
    user_deactivate,
    user_invite,
    user_reactivate,
    user_update,
)
from sigap.accounts.user_forms import UserFilterForm, UserForm, UserInviteForm
from sigap.api.models import RevokedReason
from sigap.lib.client import client_address
from sigap.lib.errors import DomainError, show_on_form
from sigap.lib.history import history_entries

PAGE_SIZE = 50


def _managed_user(request, pk) -> User:
    """A login the signed-in officer looks after: 403 for anyone who manages none, 404 outside their scope."""
    require_user_manager(request.user)
    return get_object_or_404(
        User.objects.manageable_by(request.user).select_related("organisation", "partner", "invited_by"), pk=pk)


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


@login_required
def user_list(request):
    require_user_manager(request.user)
    users = User.objects.manageable_by(request.user).select_related("organisation", "partner")
    filters = UserFilterForm(request.GET or None)
    if filters.is_valid():
        text = filters.cleaned_data["q"].strip()
        if text:
            users = users.filter(Q(username__icontains=text) | Q(first_name__icontains=text)
                                 | Q(last_name__icontains=text) | Q(organisation__name__icontains=text)
                                 | Q(partner__name__icontains=text))
        if filters.cleaned_data["role"]:
            users = users.filter(role=filters.cleaned_data["role"])
        status = filters.cleaned_data["status"]
        if status == "active":
            users = users.filter(is_active=True).exclude(pk__in=User.objects.invited())
        elif status == "invited":
            users = users.filter(is_active=True, pk__in=User.objects.invited())
        elif status == "inactive":
            users = users.filter(is_active=False)
    page = Paginator(users.order_by("username", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"page": page, "filters": filters})


@login_required
def user_detail(request, pk):
    managed = _managed_user(request, pk)
    return render(request, "accounts/user_detail.html", {"managed": managed})


def _share(request, *, managed, link, emailed: bool, title: str):
    """The link, shown once, with what to share it by; never cached."""
    response = render(request, "accounts/user_link.html", {
        "managed": managed, "link": link, "emailed": emailed, "title": title})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request):
    require_user_manager(request.user)
    form = UserInviteForm(request.POST or None, by=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            managed = user_invite(by=request.user, **form.cleaned_data)
            link = invitation_link(user=managed, by=request.user, base_url=_base_url(request))
        except DomainError as error:
            show_on_form(form, error)
        else:
            emailed = invitation_send(user=managed, link=link, by=request.user)
            return _share(request, managed=managed, link=link, emailed=emailed, title=_("Invitation made"))
    return render(request, "accounts/user_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def user_edit(request, pk):
    managed = _managed_user(request, pk)
    initial = {name: getattr(managed, name) for name in
               ["first_name", "last_name", "role", "organisation", "partner", "position", "phone", "email"]}
    form = UserForm(request.POST or None, initial=initial, by=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            user_update(user=managed, by=request.user, **form.cleaned_data)
        except DomainError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("Login %(username)s saved.") % {"username": managed.username})
            return redirect("users:detail", pk=managed.pk)
    return render(request, "accounts/user_form.html", {"form": form, "managed": managed})


def _act(request, pk, action, done: str):
    managed = _managed_user(request, pk)
    try:
        action(user=managed, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done % {"username": managed.username})
    return redirect("users:detail", pk=managed.pk)


@login_required
@require_POST
def user_deactivate_view(request, pk):
    return _act(request, pk, user_deactivate, _("Login %(username)s deactivated: its sessions and API tokens ended."))


@login_required
@require_POST
def user_reactivate_view(request, pk):
    return _act(request, pk, user_reactivate, _("Login %(username)s reactivated."))


@login_required
@require_POST
def user_invitation(request, pk):
    """A new invitation link (the earlier one stops working), e-mailed when the person has an address."""
    managed = _managed_user(request, pk)
    try:
        link = invitation_link(user=managed, by=request.user, base_url=_base_url(request))
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("users:detail", pk=managed.pk)
    emailed = invitation_send(user=managed, link=link, by=request.user)
    return _share(request, managed=managed, link=link, emailed=emailed, title=_("New invitation made"))


@login_required
@require_POST
def user_reset_link(request, pk):
    managed = _managed_user(request, pk)
    try:
        link = reset_link(user=managed, by=request.user, base_url=_base_url(request))
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("users:detail", pk=managed.pk)
    return _share(request, managed=managed, link=link, emailed=False, title=_("Password reset link made"))


@login_required
def user_history(request, pk):
    managed = _managed_user(request, pk)
    return render(request, "accounts/user_history.html", {"managed": managed, "entries": history_entries(managed)})


class _LinkView(auth_views.PasswordResetConfirmView):
    """Django's set-password page behind a one-time link (the token leaves the address bar for the session at
    once), with wrong links counted per address and a page saying whom to ask for a new one."""

    template_name = "accounts/link_set_password.html"
    reason = RevokedReason.PASSWORD_CHANGED

    def dispatch(self, request, *args, **kwargs):
        address = client_address(request)
        try:
            link_attempt(address=address)
        except LinkThrottled as refusal:
            return TemplateResponse(request, "accounts/link_refused.html", {"message": refusal.message}, status=429)
        response = super().dispatch(request, *args, **kwargs)
        if not self.validlink and response.status_code == 200:  # not the step that moves the token away
            link_failed(address=address)
            response.status_code = 404
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not self.validlink:
            token = self.kwargs.get("token")
            state = LinkState.INVALID
            if self.user is not None and token != self.reset_url_token:
                state = self.token_generator.state(self.user, token)
            context.update(expired=state is LinkState.EXPIRED, contact=contact_for(self.user))
        context["kind"] = self.kind
        return context

    def form_valid(self, form):
        user = link_password_set(user=form.user, password=form.cleaned_data["new_password1"], reason=self.reason)
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        if self.post_reset_login:
            auth_login(self.request, user, self.post_reset_login_backend)
        return redirect(self.get_success_url())


class InvitationView(_LinkView):
    """The invited person sets their password and is signed in."""

    token_generator = invitation_tokens
    post_reset_login = True
    kind = "invitation"

    def get_success_url(self):
        messages.success(self.request, _("Welcome to SIGAP: your password is set."))
        return reverse("home")


class ResetLinkView(_LinkView):
    """A person without e-mail sets a new password through the link an officer made; their other sessions and API
    tokens end. They then sign in as usual (with their second factor, if they have one)."""

    token_generator = reset_link_tokens
    kind = "reset"

    def get_success_url(self):
        messages.success(self.request, _("Your new password is set: sign in with it."))
        return reverse("login")


