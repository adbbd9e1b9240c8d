from django import forms
from django.utils.translation import gettext_lazy as _

from sigap.items.models import Item
from sigap.lib.filters import empty_choice_says_all
from sigap.lib.phone import PhoneNumberField
from sigap.lib.regions_field import AddressRegionMixin
from sigap.lib.spreadsheet import ChoiceByNameField, Column
from sigap.lib.widgets import date_input
from sigap.organisations.models import Organisation
from sigap.partners.models import Partner, PartnerProduct, Sector, Status
from sigap.regions.models import Region


class NibField(forms.CharField):
    """A NIB as people type it, in groups or not; cleaned to its 13 digits."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("NIB"))
        kwargs.setdefault("max_length", 20)  # longer than 13, so that a NIB typed in groups is cleaned, not refused
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return ""
        nib = "".join(value.split())
        if not (len(nib) == 13 and nib.isdigit()):
            raise forms.ValidationError(_("NIB is 13 digits."), code="invalid_nib")
        return nib


class PartnerForm(AddressRegionMixin, forms.ModelForm):
    nib = NibField(help_text=_("Business identification number (Nomor Induk Berusaha), 13 digits."))
    phone = PhoneNumberField(label=_("Phone/WhatsApp"), required=False)

    class Meta:
        model = Partner
        fields = ["name", "nib", "owner_name", "address", "phone", "sector", "assisting_office", "joined_on", "status"]
        widgets = {
            "joined_on": date_input(),
        }

    field_order = ["name", "nib", "owner_name", "address", "district", "village", "phone", "sector",
                   "assisting_office", "joined_on", "status"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nib"].widget.attrs.update({"inputmode": "numeric"})
        self.fields["assisting_office"].queryset = Organisation.objects.visible_to(user).industry_offices()
        self.setup_region_fields(
            region_scope=user.region_code, current=self.instance.region if self.instance.region_id else None
        )

    def clean(self):
        cleaned = super().clean()
        cleaned["region"] = self.chosen_region()
        return cleaned


class PartnerProductForm(forms.ModelForm):
    class Meta:
        model = PartnerProduct
        fields = ["item", "weekly_capacity"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = Item.objects.products().active()
        self.fields["weekly_capacity"].widget.attrs.update({"min": 1, "inputmode": "numeric"})


PartnerProductFormSet = forms.inlineformset_factory(
    Partner, PartnerProduct, form=PartnerProductForm, extra=2, can_delete=True, max_num=20, validate_max=True,
)


class PartnerFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, widget=forms.SearchInput())
    regency = forms.ModelChoiceField(Region.objects.none(), label=_("Regency/city"), required=False,
                                     to_field_name="code")
    product = forms.ModelChoiceField(Item.objects.products(), label=_("Product"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All"))] + Status.choices, required=False)
    sector = forms.ChoiceField(label=_("Sector"), choices=[("", _("All"))] + Sector.choices, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.has_region_scope:
            self.fields["regency"].queryset = Region.objects.regencies().within(user.region_code)
        else:  # a partner user has only its own business: no region to choose
            del self.fields["regency"]
        self.fields["q"].widget.attrs.update({"placeholder": _("Name, owner or NIB")})
        empty_choice_says_all(self)

    def apply(self, partners):
        if not self.is_valid():
            return partners.none()
        data = self.cleaned_data
        partners = partners.search(data["q"] or "")
        if data.get("regency"):
            partners = partners.in_region(data["regency"].code)
        if data["product"]:
            partners = partners.making(data["product"])
        if data["status"]:
            partners = partners.filter(status=data["status"])
        if data["sector"]:
            partners = partners.filter(sector=data["sector"])
        return partners


# The columns of the Excel import: the same fields, so the same validators and messages, as the form above.
PARTNER_IMPORT_COLUMNS = [
    Column("name", Partner._meta.get_field("name").formfield(), example="Konveksi Tuntung Pandang"),
    Column("nib", NibField(), hint=_("Business identification number (Nomor Induk Berusaha), 13 digits."),
           example="9120001230001"),
    Column("owner_name", Partner._meta.get_field("owner_name").formfield(), example="Hj. Rusmilawati"),
    Column("phone", PhoneNumberField(label=_("Phone/WhatsApp"), required=False), example="0812-5123-0001"),
    Column("address", Partner._meta.get_field("address").formfield(), example="Jl. A. Yani No. 5"),
    Column("region", forms.CharField(label=_("Region code"), max_length=13),
           hint=_("Kemendagri code of the village, or of the district (kecamatan), in your region; see the sheet "
                  "of region codes."), example="63.01.03.1004"),
    Column("sector", ChoiceByNameField(label=_("Sector"), choices=Sector.choices),
           hint=_("The code or the name:"), example=Sector.GARMENT.value, choices_in_template=True),
    Column("joined_on", Partner._meta.get_field("joined_on").formfield(),
           hint=_("A date cell, or a date written as 2020-06-01."), example="2020-06-01"),
    Column("assisting_office", forms.CharField(label=_("Assisting office code"), max_length=40, required=False),
           hint=_("Code of an industry office of your region (see the sheet of offices); empty: your own office."),
           example="DISNAKERIND-TALA"),
]
