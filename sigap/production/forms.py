from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sigap.accounts.models import Role
from sigap.items.models import Item
from sigap.lib.filters import ListFilterForm
from sigap.lib.spreadsheet import Column
from sigap.lib.widgets import date_input
from sigap.partners.forms import NibField
from sigap.partners.models import Partner
from sigap.people.forms import NikField
from sigap.people.models import Kind as PersonKind, Person
from sigap.production.models import MAX_BATCH, Status


class BatchForm(forms.Form):
    partner = forms.ModelChoiceField(Partner.objects.none(), label=_("Made by an IKM partner"), required=False)
    person = forms.ModelChoiceField(Person.objects.none(), label=_("Or by a participant"), required=False)
    product = forms.ModelChoiceField(Item.objects.products().active(), label=_("Product"))
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=MAX_BATCH)
    produced_on = forms.DateField(label=_("Date produced"), widget=date_input())
    code = forms.CharField(label=_("Batch code"), max_length=40, required=False,
                           help_text=_("Leave empty to number it automatically."))
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["produced_on"].initial = timezone.localdate()
        if user.role == Role.PARTNER:
            self.fields["partner"].queryset = Partner.objects.filter(pk=user.partner_id)
            self.fields["partner"].initial = user.partner_id
            self.fields["partner"].empty_label = None  # their own business is the only one to choose
            del self.fields["person"]
        else:
            self.fields["partner"].queryset = Partner.objects.visible_to(user).active()
            self.fields["person"].queryset = Person.objects.visible_to(user).filter(kind=PersonKind.PARTICIPANT)

    def clean(self):
        cleaned = super().clean()
        partner, person = cleaned.get("partner"), cleaned.get("person")
        if bool(partner) == bool(person):
            raise forms.ValidationError(_("Choose either a partner or a participant."))
        cleaned["producer"] = partner or person
        return cleaned


class BatchFilterForm(ListFilterForm):
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All"))] + Status.choices, required=False)
    product = forms.ModelChoiceField(Item.objects.products(), label=_("Product"), required=False)


# The columns of the Excel import: the form's fields where it has them. The quantity's range and the date are
# checked by the service's rules, as for a batch recorded on the form.
PRODUCTION_IMPORT_COLUMNS = [
    Column("code", BatchForm.base_fields["code"], example="HZ-2020-001"),
    Column("partner_nib", NibField(label=_("Partner NIB"), required=False),
           hint=_("The NIB of the IKM partner who made it; or leave it empty and give a participant's NIK."),
           example="9120001230001"),
    Column("person_nik", NikField(label=_("Participant NIK"), required=False),
           hint=_("The NIK of the participant who made it, when no partner NIB is given."), example=""),
    Column("product", forms.CharField(label=_("Product code"), max_length=40),
           hint=_("See the sheet of products."), example="baju-hazmat"),
    Column("quantity", forms.IntegerField(label=_("Quantity")), hint=_("A whole number."), example=40),
    Column("produced_on", BatchForm.base_fields["produced_on"],
           hint=_("A date cell, or a date written as 2020-06-01."), example="2020-06-01"),
    Column("note", BatchForm.base_fields["note"], example=""),
]
