from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sigap.handovers.models import RECEIVER_KINDS, Purpose, SupplyRequest
from sigap.items.models import Item
from sigap.lib.lines import DocumentLinesFormSet, lines_formset
from sigap.lib.widgets import date_input
from sigap.organisations.models import Organisation
from sigap.production.models import Batch


class HandoverForm(forms.Form):
    office = forms.ModelChoiceField(Organisation.objects.none(), label=_("Giving office (PIHAK PERTAMA)"))
    giver_name = forms.CharField(label=_("Giver's signatory"), max_length=120)
    giver_position = forms.CharField(label=_("Giver's position"), max_length=160)
    giver_nip = forms.CharField(label=_("Giver's NIP (optional)"), max_length=18, required=False)
    receiver = forms.ModelChoiceField(Organisation.objects.none(), label=_("Receiving organisation (PIHAK KEDUA)"))
    receiver_name = forms.CharField(label=_("Receiver's signatory"), max_length=120)
    receiver_position = forms.CharField(label=_("Receiver's position"), max_length=160)
    receiver_nip = forms.CharField(label=_("Receiver's NIP (optional)"), max_length=18, required=False)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    handed_over_on = forms.DateField(label=_("Date"), widget=date_input())
    place = forms.CharField(label=_("Place"), max_length=120)
    request = forms.ModelChoiceField(SupplyRequest.objects.none(), label=_("Fulfils request (optional)"),
                                     required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        offices = Organisation.objects.editable_by(user).industry_offices()
        self.fields["office"].queryset = offices
        if user.organisation_id and offices.filter(pk=user.organisation_id).exists():
            office = user.organisation
            self.fields["office"].initial = office.pk
            self.fields["giver_name"].initial = office.head_name
            self.fields["giver_position"].initial = office.head_title
        self.fields["receiver"].queryset = Organisation.objects.visible_to(user).filter(kind__in=RECEIVER_KINDS)
        self.fields["request"].queryset = SupplyRequest.objects.visible_to(user).open().select_related("agency")
        self.fields["handed_over_on"].initial = timezone.localdate()


class HandoverLineForm(forms.Form):
    product = forms.ModelChoiceField(Item.objects.products().active(), label=_("Product"))
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=10_000_000)
    batch = forms.ModelChoiceField(Batch.objects.none(), label=_("Batch (optional)"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["batch"].queryset = Batch.objects.visible_to(user).filter(status="inspected")


class BaseHandoverLineFormSet(DocumentLinesFormSet):
    def clean(self):
        if any(self.errors):
            return
        if not self.kept_forms():
            raise forms.ValidationError(_("Add at least one line."))

    def lines(self):
        return [(f.cleaned_data["product"], f.cleaned_data["quantity"], f.cleaned_data.get("batch"))
                for f in self.kept_forms()]


HandoverLineFormSet = lines_formset(HandoverLineForm, formset=BaseHandoverLineFormSet)


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("Reason for voiding"), max_length=255)


class ReceiptForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        for line in self.lines:
            self.fields[f"line_{line.pk}"] = forms.IntegerField(
                label=_("%(product)s received (of %(quantity)s)") % {"product": line.product_name,
                                                                     "quantity": line.quantity},
                min_value=0, max_value=line.quantity, initial=line.quantity)

    def received(self):
        return {line.pk: self.cleaned_data[f"line_{line.pk}"] for line in self.lines}


class RequestForm(forms.Form):
    agency = forms.ModelChoiceField(Organisation.objects.none(), label=_("Requesting agency"))
    office = forms.ModelChoiceField(Organisation.objects.industry_offices(), label=_("Office asked"))
    needed_by = forms.DateField(label=_("Needed by"), widget=date_input())
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.role == "agency":
            self.fields["agency"].queryset = Organisation.objects.filter(pk=user.organisation_id)
            self.fields["agency"].initial = user.organisation_id
            # An agency asks the industry offices of its province.
            province = user.organisation.region_id[:2]
            self.fields["office"].queryset = Organisation.objects.industry_offices().filter(
                region__code__startswith=province)
        else:
            self.fields["agency"].queryset = Organisation.objects.visible_to(user).filter(kind__in=RECEIVER_KINDS)
            self.fields["office"].queryset = Organisation.objects.editable_by(user).industry_offices()


class RequestLineForm(forms.Form):
    product = forms.ModelChoiceField(Item.objects.products().active(), label=_("Product"))
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=10_000_000)


class BaseRequestLineFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        if not any(f.cleaned_data for f in self.forms):
            raise forms.ValidationError(_("Add at least one line."))

    def lines(self):
        return [(f.cleaned_data["product"], f.cleaned_data["quantity"]) for f in self.forms if f.cleaned_data]


RequestLineFormSet = forms.formset_factory(RequestLineForm, formset=BaseRequestLineFormSet, extra=3, max_num=20)


class AllocationForm(forms.Form):
    due_on = forms.DateField(label=_("Due"), widget=date_input())

    def __init__(self, *args, shares, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        proposed = {share.key.pk: share.quantity for share in shares}
        self.partners = candidates
        for partner in candidates:
            self.fields[f"partner_{partner.pk}"] = forms.IntegerField(
                label=partner.name, min_value=0, max_value=10_000_000, initial=proposed.get(partner.pk, 0))

    def quantities(self):
        return {p: self.cleaned_data[f"partner_{p.pk}"] for p in self.partners}
