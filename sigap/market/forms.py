from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sigap.items.models import Item
from sigap.lib.filters import empty_choice_says_all
from sigap.lib.images import MAX_BYTES, validate_image
from sigap.lib.widgets import date_input
from sigap.market.models import MAX_PRICE, BuyerType, Channel, Listing
from sigap.partners.models import Partner
from sigap.regions.models import Region


class ListingForm(forms.ModelForm):
    photo = forms.ImageField(label=_("Photo"), required=False, validators=[validate_image],
                             help_text=_("JPEG, PNG or WebP, at most %(mb)s MB; it is resized for slow connections.")
                             % {"mb": MAX_BYTES // (1024 * 1024)})

    class Meta:
        model = Listing
        fields = ["product", "title", "description", "price", "min_order", "lead_time_days", "whatsapp",
                  "is_published"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Item.objects.products().active()
        self.fields["price"].localize = True
        self.fields["price"].widget = forms.TextInput(attrs={"inputmode": "numeric"})


class PartnerChoiceForm(forms.Form):
    partner = forms.ModelChoiceField(Partner.objects.none(), label=_("IKM partner"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.editable_by(user).active()


class TakeDownForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=255)


class InquiryForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=120)
    phone = forms.CharField(label=_("Your phone/WhatsApp"), max_length=20)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=1_000_000)
    message = forms.CharField(label=_("Message"), max_length=1000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    # Hidden from people by CSS; bots fill every field they find.
    website = forms.CharField(label=_("Leave this empty"), required=False,
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))


class SaleForm(forms.Form):
    partner = forms.ModelChoiceField(Partner.objects.none(), label=_("IKM partner"))
    product = forms.ModelChoiceField(Item.objects.products().active(), label=_("Product"))
    sold_on = forms.DateField(label=_("Date"), widget=date_input())
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=10_000_000)
    unit_price = forms.DecimalField(label=_("Unit price (Rp)"), min_value=1, max_value=MAX_PRICE, decimal_places=0,
                                    localize=True, widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    marketplace = forms.CharField(label=_("Marketplace or shop (optional)"), max_length=60, required=False)
    buyer_type = forms.ChoiceField(label=_("Buyer"), choices=BuyerType.choices)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.role == "partner":
            self.fields["partner"].queryset = Partner.objects.filter(pk=user.partner_id)
            self.fields["partner"].initial = user.partner_id
        else:
            self.fields["partner"].queryset = Partner.objects.editable_by(user).active()
        self.fields["sold_on"].initial = timezone.localdate()


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100, widget=forms.SearchInput())
    product = forms.ModelChoiceField(Item.objects.products().active(), label=_("Product"), required=False)
    regency = forms.ModelChoiceField(Region.objects.none(), label=_("Regency/city"), required=False,
                                     to_field_name="code")
    price_max = forms.DecimalField(label=_("Price up to (Rp)"), required=False, min_value=1, max_value=MAX_PRICE,
                                   decimal_places=0, localize=True,
                                   widget=forms.TextInput(attrs={"inputmode": "numeric"}))

    def __init__(self, *args, regencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regency"].queryset = regencies
        self.fields["q"].widget.attrs["placeholder"] = _("Masks, hazmat, sasirangan…")
        empty_choice_says_all(self)

    def apply(self, listings):
        """Valid filters narrow the list; a nonsense value is dropped (and the form shows why)."""
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        if data.get("q"):
            listings = listings.search(data["q"])
        if data.get("product"):
            listings = listings.filter(product=data["product"])
        if data.get("regency"):
            code = data["regency"].code
            listings = listings.filter(partner__region__code__startswith=f"{code}.")
        if data.get("price_max"):
            listings = listings.filter(price__lte=Decimal(data["price_max"]))
        return listings
