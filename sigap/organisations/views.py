from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sigap.accounts.access import require_officer, require_region_scope
from sigap.lib.errors import DomainError, show_on_form
from sigap.lib.history import history_entries
from sigap.organisations.forms import OrganisationForm
from sigap.organisations.models import Organisation
from sigap.organisations.services import organisation_create, organisation_update


@login_required
def organisation_list(request):
    require_region_scope(request.user)
    organisations = Organisation.objects.visible_to(request.user).select_related("region")
    return render(request, "organisations/organisation_list.html", {
        "organisations": organisations, "can_create": request.user.is_officer,
    })


@login_required
def organisation_detail(request, pk):
    organisation = get_object_or_404(Organisation.objects.visible_to(request.user).select_related("region"), pk=pk)
    return render(request, "organisations/organisation_detail.html", {
        "organisation": organisation,
        "can_edit": Organisation.objects.editable_by(request.user).filter(pk=pk).exists(),
        "entries": history_entries(organisation),
    })


def _save(request, form, organisation=None):
    try:
        if organisation is None:
            return organisation_create(by=request.user, **form.cleaned_data)
        return organisation_update(organisation=organisation, by=request.user, **form.cleaned_data)
    except DomainError as error:
        show_on_form(form, error)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create_view(request):
    require_officer(request.user)
    form = OrganisationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        organisation = _save(request, form)
        if organisation is not None:
            messages.success(request, _("%(name)s registered.") % {"name": organisation.name})
            return redirect("organisations:detail", pk=organisation.pk)
    return render(request, "organisations/organisation_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request, pk):
    organisation = get_object_or_404(Organisation.objects.editable_by(request.user), pk=pk)
    form = OrganisationForm(request.POST or None, instance=organisation, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, organisation=Organisation.objects.get(pk=pk))
        if saved is not None:
            messages.success(request, _("%(name)s saved.") % {"name": saved.name})
            return redirect("organisations:detail", pk=saved.pk)
    return render(request, "organisations/organisation_form.html", {"form": form, "organisation": organisation})
