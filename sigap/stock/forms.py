from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sigap.items.models import Item
from sigap.lib.filters import ListFilterForm
from sigap.lib.lines import DocumentLinesFormSet, lines_formset
from sigap.lib.widgets import date_input
from sigap.organisations.models import Organisation
from sigap.partners.models import Partner
from sigap.people.models import Person
from sigap.stock.models import Location

MAX_QUANTITY = Decimal("1000000")


class LineForm(forms.Form):
    item = forms.ModelChoiceField(Item.objects.active(), label=_("Item"))
    quantity = forms.DecimalField(localize=True, label=_("Quantity"), max_digits=14, decimal_places=3, min_value=Decimal("0.001"),
                                  max_value=MAX_QUANTITY)


class BaseLineFormSet(DocumentLinesFormSet):
    def clean(self):
        if any(self.errors):
            return
        kept = self.kept_forms()
        if not kept:
            raise forms.ValidationError(_("Add at least one line."))
        seen = set()
        for form in kept:
            item = form.cleaned_data["item"]
            if item in seen:
                form.add_error("item", _("Each item may appear on one line only."))
            seen.add(item)
        if len(seen) != len(kept):
            raise forms.ValidationError(_("Each item may appear on one line only."))

    def lines(self):
        return [(f.cleaned_data["item"], f.cleaned_data["quantity"]) for f in self.kept_forms()]


LineFormSet = lines_formset(LineForm, formset=BaseLineFormSet)


class _OfficeDocumentForm(forms.Form):
    office = forms.ModelChoiceField(Organisation.objects.none(), label=_("Office"))
    date = forms.DateField(label=_("Date"), widget=date_input())
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        offices = Organisation.objects.editable_by(user).industry_offices()
        self.fields["office"].queryset = offices
        if user.organisation_id and offices.filter(pk=user.organisation_id).exists():
            self.fields["office"].initial = user.organisation_id
        self.fields["date"].initial = timezone.localdate()


class ReceiptForm(_OfficeDocumentForm):
    supplier = forms.ModelChoiceField(Organisation.objects.all(), label=_("Supplied by"), required=False)
    reference = forms.CharField(label=_("Reference number"), max_length=60, required=False)
    field_order = ["office", "supplier", "date", "reference", "note"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["supplier"].queryset = Organisation.objects.visible_to(user)


class IssueForm(_OfficeDocumentForm):
    partner = forms.ModelChoiceField(Partner.objects.none(), label=_("To an IKM partner"), required=False)
    person = forms.ModelChoiceField(Person.objects.none(), label=_("Or to a participant"), required=False)
    field_order = ["office", "partner", "person", "date", "note"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["partner"].queryset = Partner.objects.editable_by(user).active()
        self.fields["person"].queryset = Person.objects.editable_by(user)

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("partner")) == bool(cleaned.get("person")):
            raise forms.ValidationError(_("Choose either a partner or a participant."))
        cleaned["recipient"] = cleaned.get("partner") or cleaned.get("person")
        return cleaned


class TransferForm(_OfficeDocumentForm):
    source = forms.ModelChoiceField(Location.objects.none(), label=_("From"))
    destination = forms.ModelChoiceField(Location.objects.none(), label=_("To"))
    field_order = ["office", "source", "destination", "date", "note"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        visible = Location.objects.visible_to(user).select_related("region")
        self.fields["source"].queryset = visible
        # Goods may go up to the provincial office's store, which a district officer sees as a destination.
        self.fields["destination"].queryset = Location.objects.filter(
            pk__in=visible.values("pk")
        ) | Location.objects.filter(organisation__in=Organisation.objects.visible_to(user))


class AdjustmentForm(forms.Form):
    location = forms.ModelChoiceField(Location.objects.none(), label=_("Location"))
    item = forms.ModelChoiceField(Item.objects.active(), label=_("Item"))
    counted = forms.DecimalField(localize=True, label=_("Counted quantity"), max_digits=14, decimal_places=3, min_value=0,
                                 max_value=MAX_QUANTITY)
    counted_on = forms.DateField(label=_("Date counted"), widget=date_input())
    reason = forms.CharField(label=_("Reason for the difference"), max_length=255)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = Location.objects.visible_to(user)
        self.fields["counted_on"].initial = timezone.localdate()


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("Reason for voiding"), max_length=255)


class StockFilterForm(ListFilterForm):
    location = forms.ModelChoiceField(Location.objects.none(), label=_("Location"), required=False)
    item = forms.ModelChoiceField(Item.objects.all(), label=_("Item"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = Location.objects.visible_to(user)
        if not user.has_region_scope:  # a partner user's one workshop: no place to choose
            del self.fields["location"]

