from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
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
    organisations = list(Organisation.objects.visible_to(request.user).select_related("region")
                         .annotate(user_count=Count("users")))
    return render(request, "organisations/organisation_list.html", {
        "organisations": organisations, "can_create": request.user.is_officer,
    })


@login_required
def organisation_detail(request, pk):
    organisation = get_object_or_404(Organisation.objects.visible_to(request.user).select_related("region")
                                     .annotate(user_count=Count("users")), pk=pk)
    return render(request, "organisations/organisation_detail.html", {
        "organisation": organisation,
        "can_edit": Organisation.objects.manageable_by(request.user).filter(pk=pk).exists(),
        "can_manage_users": request.user.can_manage_users,
    })


@login_required
def organisation_history(request, pk):
    organisation = get_object_or_404(Organisation.objects.visible_to(request.user), pk=pk)
    return render(request, "organisations/organisation_history.html", {
        "organisation": organisation, "entries": history_entries(organisation),
    })


def _save(request, form, organisation=None):
    try:
        if organisation is None:
            return organisation_create(by=request.user, **form.cleaned_data)
        return organisation_update(organisation=organisation, by=request.user, **form.cleaned_data)
    except DomainError as error:
        show_on_form(form, error, aliases={"region": "province"})
        return None


def _bound_form(request, organisation=None):
    """The posted form; or, when only the region's next level was asked for (no JavaScript), the same values
    unbound, so the page comes back with what was typed and no error yet."""
    if request.method != "POST":
        return OrganisationForm(instance=organisation, user=request.user)
    if OrganisationForm.PICK_BUTTON in request.POST:
        initial = {key: value for key, value in request.POST.items() if key != "csrfmiddlewaretoken"}
        return OrganisationForm(instance=organisation, initial=initial, user=request.user)
    return OrganisationForm(request.POST, instance=organisation, user=request.user)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create_view(request):
    require_officer(request.user)
    form = _bound_form(request)
    if form.is_bound and form.is_valid():
        organisation = _save(request, form)
        if organisation is not None:
            messages.success(request, _("%(name)s registered.") % {"name": organisation.name})
            return redirect("organisations:detail", pk=organisation.pk)
    return render(request, "organisations/organisation_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request, pk):
    require_officer(request.user)
    organisation = get_object_or_404(Organisation.objects.manageable_by(request.user), pk=pk)
    form = _bound_form(request, organisation)
    if form.is_bound and form.is_valid():
        saved = _save(request, form, organisation=Organisation.objects.get(pk=pk))
        if saved is not None:
            messages.success(request, _("%(name)s saved.") % {"name": saved.name})
            return redirect("organisations:detail", pk=saved.pk)
    return render(request, "organisations/organisation_form.html", {"form": form, "organisation": organisation})
