from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from sigap.items.models import Item


class ItemForm(forms.ModelForm):
    class Meta:
        model = Item
        fields = ["name", "code", "kind", "unit", "description", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ComponentForm(forms.Form):
    material = forms.ModelChoiceField(Item.objects.active(), label=_("Material"))
    quantity = forms.DecimalField(localize=True, label=_("Quantity per unit"), max_digits=12, decimal_places=4,
                                  min_value=Decimal("0.0001"), max_value=Decimal("10000"))


ComponentFormSet = forms.formset_factory(ComponentForm, extra=3, max_num=30, validate_max=True)
