"""The administrators' page of API tokens: every user's tokens, and revoking one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sigap.accounts.access import require_admin
from sigap.api import services
from sigap.api.forms import TokenFilterForm
from sigap.api.models import ApiToken

PAGE_SIZE = 50


@login_required
def token_list(request):
    require_admin(request.user)
    filters = TokenFilterForm(request.GET or None)
    tokens = filters.apply(ApiToken.objects.visible_to(request.user)).select_related("user", "revoked_by")
    page = Paginator(tokens, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "api/token_list.html", {"filters": filters, "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke(request, pk):
    """GET asks to confirm; POST revokes, recording the administrator."""
    require_admin(request.user)
    token = get_object_or_404(ApiToken.objects.visible_to(request.user).select_related("user"), pk=pk)
    if request.method == "GET":
        return render(request, "api/token_revoke.html", {"token": token})
    services.token_revoke(token=token, by=request.user)
    messages.success(request, _("Token %(prefix)s… of %(user)s is revoked: it no longer opens the API.")
                     % {"prefix": token.prefix, "user": token.user})
    return redirect(reverse("tokens:list") + "?" + urlencode({"user": token.user.username}))
