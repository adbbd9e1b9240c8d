from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _, ngettext
from django.views.decorators.http import require_http_methods

from sigap.accounts.access import require_officer, require_region_scope
from sigap.lib.errors import DomainError, show_on_form
from sigap.lib.export import export_response, requested_format
from sigap.lib.history import history_entries
from sigap.lib.phone import display_phone
from sigap.lib.spreadsheet import import_page, read_only_label, region_code_lists, template_response
from sigap.people.forms import PERSON_IMPORT_COLUMNS, PersonFilterForm, PersonForm
from sigap.people.models import Person
from sigap.people.services import people_import, person_create, person_update
from sigap.people.templatetags.personal_data import person_value_for

PAGE_SIZE = 25


@login_required
def person_list(request):
    require_region_scope(request.user)
    filters = PersonFilterForm(request.GET or None, user=request.user)
    people = Person.objects.visible_to(request.user)
    if filters.is_bound:
        people = filters.apply(people)
    page = Paginator(people.select_related("region__parent").order_by("name", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"filters": filters, "page": page, "can_create": request.user.is_officer}
    if request.headers.get("HX-Request"):
        return render(request, "people/_person_table.html", context)
    return render(request, "people/person_list.html", context)


@login_required
def person_export(request):
    """The people list with the current filters; NIK and phone only for the roles that may see them."""
    require_region_scope(request.user)
    fmt = requested_format(request)
    filters = PersonFilterForm(request.GET or None, user=request.user)
    people = Person.objects.visible_to(request.user)
    if filters.is_bound:
        people = filters.apply(people)
    people = people.select_related("region__parent").order_by("name", "pk")
    user = request.user
    # The NIK and the whole birth date (digits 7 to 12 of the NIK) for the roles that see the NIK only.
    shown = [column for column in PERSON_IMPORT_COLUMNS
             if (column.key not in {"nik", "birth_date"} or user.can_see_nik)
             and (column.key != "phone" or user.can_see_phone)]
    header = [str(column.label) for column in shown] + [read_only_label(_("Village or district"))]

    def rows():
        """The import template's columns (an edited export imports back), then the region's name."""
        for person in people.iterator(chunk_size=1000):
            values = {"name": person.name, "nik": person.nik, "sex": person.get_sex_display(),
                      "birth_date": person.birth_date, "kind": person.get_kind_display(), "address": person.address,
                      "region": person.region_id, "phone": display_phone(person.phone)}
            yield [values[column.key] for column in shown] + [person.region.label()]

    return export_response(fmt, "orang", header, rows(), sheet=_("Participants"))


@login_required
def person_detail(request, pk):
    person = get_object_or_404(
        Person.objects.visible_to(request.user).select_related("region__parent__parent", "partner"), pk=pk
    )
    return render(request, "people/person_detail.html", {
        "person": person,
        "can_edit": Person.objects.editable_by(request.user).filter(pk=pk).exists(),
    })


def _save(request, form, person=None):
    fields = {name: value for name, value in form.cleaned_data.items() if name not in {"district", "village"}}
    try:
        if person is None:
            return person_create(by=request.user, **fields)
        return person_update(person=person, by=request.user, **fields)
    except DomainError as error:
        show_on_form(form, error)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def person_create_view(request):
    require_officer(request.user)
    form = PersonForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        person = _save(request, form)
        if person is not None:
            messages.success(request, _("%(name)s registered.") % {"name": person.name})
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/person_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request, pk):
    person = get_object_or_404(Person.objects.editable_by(request.user), pk=pk)
    form = PersonForm(request.POST or None, instance=person, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, person=Person.objects.get(pk=pk))
        if saved is not None:
            messages.success(request, _("%(name)s saved.") % {"name": saved.name})
            return redirect("people:detail", pk=saved.pk)
    return render(request, "people/person_form.html", {"form": form, "person": person})


@login_required
def person_history(request, pk):
    person = get_object_or_404(Person.objects.visible_to(request.user), pk=pk)
    return render(request, "people/person_history.html", {
        "person": person,
        "entries": history_entries(person, mask=lambda field, value: person_value_for(field, value, request.user)),
    })


@login_required
@require_http_methods(["GET", "POST"])
def person_import(request):
    """People from an Excel file, all or none; the problems of every row are listed when there are any."""
    require_officer(request.user)
    return import_page(
        request, title=_("Import people"), columns=PERSON_IMPORT_COLUMNS, run=people_import,
        done=lambda count: ngettext("%(count)s person registered.", "%(count)s people registered.",
                                    count) % {"count": count},
        template_url=reverse("people:import-template"), back_url=reverse("people:list"))


@login_required
def person_import_template(request):
    """The Excel template, with the regions the officer may use."""
    require_officer(request.user)
    return template_response("impor-orang", PERSON_IMPORT_COLUMNS, title=_("Participants"),
                             lists=region_code_lists(request.user))
