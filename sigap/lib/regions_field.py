"""Choosing a village inside a district, within the regions a user may work in."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sigap.regions.models import Region


class DistrictChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} — {obj.parent.name}"


class AddressRegionMixin(forms.Form):
    """Adds a kecamatan select and a village select (filled by htmx when the kecamatan changes).

    The form's ``region_scope`` (a Kemendagri code, or None for all) limits both. ``cleaned_data["region"]``
    is the village when one is chosen, otherwise the kecamatan (the form's clean() sets it from
    ``chosen_region()``).
    """

    district = DistrictChoiceField(queryset=Region.objects.none(), label=_("District (kecamatan)"))
    village = forms.ModelChoiceField(queryset=Region.objects.none(), label=_("Village"), required=False)

    def setup_region_fields(self, *, region_scope: str | None, current: Region | None):
        districts = Region.objects.districts().within(region_scope).select_related("parent")
        self.fields["district"].queryset = districts
        self.fields["village"].queryset = Region.objects.villages().within(region_scope)
        self.fields["district"].widget.attrs.update({
            "hx-get": reverse("regions:villages"), "hx-target": f"#{self['village'].auto_id}", "hx-trigger": "change",
        })
        if current is not None and not self.is_bound:
            district_code = current.code if current.level == 3 else current.parent_id
            self.initial.setdefault("district", district_code)
            if current.level == 4:
                self.initial.setdefault("village", current.code)
        chosen = self.data.get(self.add_prefix("district")) if self.is_bound else self.initial.get("district")
        # Render only the chosen kecamatan's villages; a full province would be thousands of options.
        villages = Region.objects.villages().filter(parent_id=chosen) if chosen else Region.objects.none()
        self.fields["village"].widget.choices = [("", _("— whole district —"))] + [
            (v.code, v.name) for v in villages
        ]

    def chosen_region(self):
        district = self.cleaned_data.get("district")
        village = self.cleaned_data.get("village")
        if district and village and village.parent_id != district.code:
            self.add_error("village", _("This village is not in the chosen district."))
            return None
        return village or district
